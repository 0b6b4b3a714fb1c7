from django.db import models
from django.utils.translation import gettext_lazy as _


class WarningKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    APOLOGY_OWED = "apology_owed", _("Apology owed to the applicant")


class Level(models.IntegerChoices):
    """The escalation ladder: who hears of a deadline, in the order they hear of a missed one."""

    ASSIGNEE = 0, _("Assignee")
    UNIT_LEADER = 1, _("Unit leader")
    HEAD_OF_AGENCY = 2, _("Head of agency")


class Channel(models.TextChoices):
    """How a warning reached its recipient; every warning to an officer is also listed in the back office.
    A value other than in-app is the key of the notification channel that delivers it (motcua.notify)."""

    IN_APP = "in_app", _("In the back office")
    EMAIL = "email", _("By e-mail")
