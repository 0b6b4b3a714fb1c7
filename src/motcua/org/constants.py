from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitLevel(models.TextChoices):
    PROVINCE = "province", _("province")
    DISTRICT = "district", _("district (before 1 July 2025)")
    COMMUNE = "commune", _("commune")


class AgencyKind(models.TextChoices):
    PEOPLES_COMMITTEE = "peoples_committee", _("People's Committee")
    SERVICE_CENTRE = "service_centre", _("Public administration service centre")
    SERVICE_BRANCH = "service_branch", _("Service centre branch")
    DEPARTMENT = "department", _("Department")
    SECTOR_OFFICE = "sector_office", _("Vertical sector office")
    OTHER = "other", _("Other")


class Role(models.TextChoices):
    COUNTER_OFFICER = "counter_officer", _("Counter officer")
    SPECIALIST = "specialist", _("Specialist")
    UNIT_LEADER = "unit_leader", _("Unit leader")
    CLERK = "clerk", _("Clerk")
    ADMIN = "admin", _("Administrator")
    AUDITOR = "auditor", _("Auditor")
