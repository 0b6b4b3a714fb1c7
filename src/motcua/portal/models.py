"""What the citizen keeps on the portal between visits: applications not yet submitted, and the files they
have uploaded for a supplement but not yet sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Procedure, RequiredDocument
from motcua.dossiers.models import Dossier, SupplementRequest, UploadedFile


class DraftState(models.TextChoices):
    OPEN = "open", _("Being filled in")
    SUBMITTED = "submitted", _("Submitted")


class ApplicationDraft(models.Model):
    """An online application being filled in: the answers exactly as typed, valid or not, until submitted.

    Answers are kept raw (one string per field, keyed by the field's name on the page), so that a draft saved
    half-typed comes back as it was left; they are checked and converted only on the way to review."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="application_drafts"
    )
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="+")
    # The case by its code, not its row: a draft outlives the procedure version it was started under.
    case_code = models.CharField(max_length=32)
    state = models.CharField(max_length=16, choices=DraftState.choices, default=DraftState.OPEN)
    version = models.PositiveIntegerField(
        default=1, help_text=_("Raised on every save; a stale save is refused.")
    )
    answers = models.JSONField(default=dict, blank=True)
    dossier = models.OneToOneField(
        Dossier, null=True, blank=True, on_delete=models.PROTECT, related_name="application_draft"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "procedure", "case_code"],
                condition=models.Q(state="open"),
                name="one_open_draft_per_case",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.procedure.local_code}/{self.case_code} ({self.owner})"


class DraftDocument(models.Model):
    """The file uploaded for one required document of a draft; a new upload replaces it."""

    draft = models.ForeignKey(ApplicationDraft, on_delete=models.CASCADE, related_name="documents")
    requirement = models.ForeignKey(RequiredDocument, on_delete=models.CASCADE, related_name="+")
    file = models.ForeignKey(UploadedFile, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["draft", "requirement"], name="one_file_per_draft_document"),
        ]


class SupplementUpload(models.Model):
    """The file uploaded for one item of a supplement request, kept until the applicant sends them all."""

    supplement = models.ForeignKey(SupplementRequest, on_delete=models.CASCADE, related_name="+")
    item = models.PositiveSmallIntegerField(help_text=_("Position of the item in the request's list."))
    file = models.ForeignKey(UploadedFile, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["supplement", "item"], name="one_file_per_supplement_item"),
        ]
