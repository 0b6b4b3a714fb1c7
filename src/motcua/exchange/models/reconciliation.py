"""A comparison of what the national portal holds with what we hold, kept so that staff see the last ones."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DifferenceKind(models.TextChoices):
    MISSING_ON_PORTAL = "missing_on_portal", _("Missing on the national portal")
    MISSING_HERE = "missing_here", _("On the national portal, unknown here")
    WRONG_STATUS = "wrong_status", _("Different status")
    WRONG_DATE = "wrong_date", _("Different date")
    OUTBOX_DEAD = "outbox_dead", _("Message not deliverable")
    OUTBOX_FAILING = "outbox_failing", _("Message failing")
    # On the portal and known here, but its procedure has no national code here any more.
    NOT_MAPPED = "not_mapped", _("Procedure without a national code")


class ReconciliationRun(models.Model):
    """One reconciliation over the dossiers received (or submitted) between two days, inclusive.

    `differences` is a list of objects: kind (a DifferenceKind), code (MaHoSo on the portal), dossier (our
    code, blank when the portal's dossier is unknown here), field, ours, theirs (national field names and
    values: statuses and yyyyMMddHHmmss dates), detail (an outbox error, masked), resynced_at (ISO time of the
    last resync a person asked for). Never a personal ID number or a name: codes, statuses and dates only."""

    date_from = models.DateField()
    date_to = models.DateField()
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Dossiers we expected on the portal, and records the portal listed for the range.
    expected_count = models.PositiveIntegerField(default=0)
    portal_count = models.PositiveIntegerField(default=0)
    difference_count = models.PositiveIntegerField(default=0)
    differences = models.JSONField(default=list, blank=True)
    # Why the run could not compare (the portal unreachable, sync off); blank when it did.
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("reconciliation with the national portal")
        verbose_name_plural = _("reconciliations with the national portal")

    def __str__(self) -> str:
        return f"{self.date_from}..{self.date_to}: {self.difference_count}"

    @property
    def failed(self) -> bool:
        return bool(self.error)
