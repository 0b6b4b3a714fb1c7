from django.db import models
from django.utils.translation import gettext_lazy as _


class ProcedureLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    COMMUNE = "commune", _("Commune")
    MINISTRY = "ministry", _("Ministry")
    VERTICAL = "vertical", _("Vertical sector agency")


class OnlineLevel(models.TextChoices):
    """Decree 42/2022: full-process (toàn trình) or partial (một phần) online service, or none."""

    NONE = "none", _("No online service")
    PARTIAL = "partial", _("Partial online service")
    FULL = "full", _("Full-process online service")


class FeeKind(models.TextChoices):
    FEE = "fee", _("Fee (phí)")
    CHARGE = "charge", _("Charge (lệ phí)")


class SupplementPolicy(models.TextChoices):
    """How the deadline runs after a supplement is accepted (DOMAIN.md §2.4)."""

    RECOUNT = "recount", _("Recount from the start when the supplement is accepted")
    PAUSE = "pause", _("Pause: add the time spent waiting for the supplement")
