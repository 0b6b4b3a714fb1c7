from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from motcua.alerts.constants import Channel, Level, WarningKind
from motcua.dossiers.models import Dossier, DossierStep


class DeadlineWarning(models.Model):
    """One warning about one deadline to one recipient, recorded once whoever scans and however often.

    The deadline is the dossier's appointment date (no step) or the due moment of one of its steps. Its
    `due_at` is part of what makes a warning the same: a deadline counted again after a supplement is a new
    deadline, warned about afresh. A citizen (no user) is told by e-mail; an officer sees every warning in the
    back office and also gets the e-mail when they have an address."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="deadline_warnings")
    step = models.ForeignKey(
        DossierStep, null=True, blank=True, on_delete=models.CASCADE, related_name="deadline_warnings"
    )
    kind = models.CharField(max_length=16, choices=WarningKind.choices)
    level = models.PositiveSmallIntegerField(choices=Level.choices, default=Level.ASSIGNEE)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deadline_warnings",
        help_text=_("Empty for the applicant, who is written to at the e-mail address."),
    )
    recipient_email = models.EmailField(blank=True)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    warned_at = models.DateTimeField()
    due_at = models.DateTimeField(help_text=_("The deadline the warning is about."))
    # The e-mail: claimed by setting sent_at before sending, so that two workers never both send it; put back
    # to empty with one more failure when the mail server refuses, for a later scan to try again.
    sent_at = models.DateTimeField(null=True, blank=True)
    send_failures = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            # NULL never equals NULL in a unique index: the nullable step and recipient are compared as 0.
            models.UniqueConstraint(
                "dossier",
                Coalesce("step", 0, output_field=models.BigIntegerField()),
                "kind",
                "level",
                Coalesce("recipient", 0, output_field=models.BigIntegerField()),
                "due_at",
                name="deadline_warning_once",
            ),
            # The applicant is reminded of the apology they are owed once per dossier, whatever its deadlines.
            models.UniqueConstraint(
                fields=["dossier"],
                condition=models.Q(kind=WarningKind.APOLOGY_OWED),
                name="apology_reminder_once",
            ),
        ]
        indexes = [
            # An officer's warnings, newest first: their page and the count in the menu.
            models.Index(fields=["recipient", "-warned_at"], name="deadline_warning_recipient"),
            # The e-mails still to send: a handful among every warning ever recorded.
            models.Index(
                fields=["id"],
                condition=models.Q(channel=Channel.EMAIL, sent_at__isnull=True),
                name="deadline_warning_unsent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.dossier_id} → {self.recipient_id or self.recipient_email}"
