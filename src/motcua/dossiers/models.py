from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Case, ProcedureVersion, RequiredDocument, WorkflowStep
from motcua.core.identifiers import new_lookup_key
from motcua.dossiers.lifecycle import Channel, ResultDelivery, Status
from motcua.org.constants import Role
from motcua.org.models import Agency


class Origin(models.TextChoices):
    """Where a dossier was first filed: here, on the national portal, or with a partner agency's system."""

    OWN = "own", _("This system")
    NATIONAL_PORTAL = "national_portal", _("National Public Service Portal")
    PARTNER = "partner", _("Partner agency")


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")


class UploadedFile(models.Model):
    """A file uploaded through the API, checked by content, before or after it joins a dossier."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="uploads")
    file = models.FileField(upload_to="uploads/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=128)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.original_name} ({self.size} B)"


class Dossier(models.Model):
    code = models.CharField(max_length=64, unique=True)
    other_codes = models.JSONField(default=list, blank=True, help_text=_("Codes given by other systems."))
    # The secret the public lookup asks for besides the code: printed on the receipt and carried by its QR
    # code, so that walking a day's sequential codes reads nothing (ADR 0014).
    lookup_key = models.CharField(max_length=16, default=new_lookup_key, editable=False)
    procedure_version = models.ForeignKey(ProcedureVersion, on_delete=models.PROTECT, related_name="dossiers")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="dossiers")
    channel = models.CharField(max_length=16, choices=Channel.choices)
    result_delivery = models.CharField(max_length=16, choices=ResultDelivery.choices)
    status = models.CharField(max_length=32, choices=Status.choices)
    status_before = models.CharField(max_length=32, choices=Status.choices, blank=True)
    version = models.PositiveIntegerField(default=1)

    # Who applies: the applicant's own data as given, and the account that owns the dossier online.
    applicant_kind = models.CharField(max_length=16, choices=ApplicantKind.choices)
    applicant_name = models.CharField(max_length=255)
    applicant_id_number = models.CharField(max_length=12, blank=True, db_index=True)
    applicant_tax_code = models.CharField(max_length=16, blank=True, db_index=True)
    applicant_date_of_birth = models.DateField(null=True, blank=True)
    applicant_phone = models.CharField(max_length=32, blank=True)
    applicant_email = models.EmailField(blank=True)
    applicant_address = models.CharField(max_length=500, blank=True)
    representative = models.JSONField(null=True, blank=True)
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="dossiers"
    )
    search_text = models.CharField(max_length=400, editable=False, default="")
    form_data = models.JSONField(default=dict, blank=True)

    # Three organisation references (DOMAIN.md §1.3): where it was received, who decides, where it is now.
    receiving_unit = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    competent_authority = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    current_unit = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    current_step = models.ForeignKey(
        "DossierStep", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    created_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)
    counting_from = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True, help_text=_("The appointment date (NgayHenTra)."))
    new_appointment_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("The date promised in an apology; lateness is still judged by due_at."),
    )
    apology_count = models.PositiveSmallIntegerField(default=0)
    needs_fix = models.BooleanField(default=False)
    supplement_count = models.PositiveSmallIntegerField(default=0)
    supplement_requested_at = models.DateTimeField(null=True, blank=True)
    supplement_submitted_at = models.DateTimeField(null=True, blank=True)
    fee_due = models.PositiveBigIntegerField(default=0)
    fee_paid = models.PositiveBigIntegerField(default=0)
    finished_at = models.DateTimeField(
        null=True, blank=True, help_text=_("End of processing (result or stop).")
    )
    returned_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    result_number = models.CharField(max_length=64, blank=True)
    result_file = models.ForeignKey(
        UploadedFile, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    return_details = models.JSONField(default=dict, blank=True)
    is_demo = models.BooleanField(default=False)
    origin = models.CharField(max_length=16, choices=Origin.choices, default=Origin.OWN)
    # The agency that sent a partner's dossier (its identity code); blank otherwise.
    origin_party = models.CharField(max_length=35, blank=True)
    # The dossier's code where it was filed (the national dossier code, the partner's code).
    origin_code = models.CharField(max_length=64, blank=True)
    # The applicant signed in with a VNeID-verified account (TaiKhoanDuocXacThucVoiVNeID, 766 indicator 4.5).
    vneid_verified = models.BooleanField(default=False)

    class Meta:
        constraints = [
            # An outside dossier is created once however often it arrives (fetched again, sent again).
            models.UniqueConstraint(
                fields=["origin", "origin_party", "origin_code"],
                condition=~models.Q(origin_code=""),
                name="dossier_origin_once",
            )
        ]
        indexes = [
            # The first page of a large scope (a leader's, a service centre's) walks this index from the
            # newest and stops after a page; the indexes below serve small scopes and the filters.
            models.Index(fields=["-created_at", "-id"], name="dossier_recent"),
            # The scoped staff lists: one index per organisation reference, newest first.
            models.Index(fields=["receiving_unit", "-created_at"], name="dossier_receiving_recent"),
            models.Index(fields=["current_unit", "-created_at"], name="dossier_current_recent"),
            models.Index(fields=["competent_authority", "-created_at"], name="dossier_competent_recent"),
            models.Index(fields=["applicant_user", "-created_at"], name="dossier_owner_recent"),
            models.Index(fields=["status", "due_at"], name="dossier_status_due"),
            models.Index(fields=["assignee", "status"], name="dossier_assignee_status"),
        ]

    def __str__(self) -> str:
        return self.code


class DossierCodeCounter(models.Model):
    """Last sequence number used per receiving unit per day: codes are gap-free because this row is
    incremented in the same transaction that creates the dossier."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="dossier_code_counter_unique")]


class SubmittedAs(models.TextChoices):
    """The form in which a document was handed in (Mẫu 01 lists originals, certified copies, photocopies)."""

    ORIGINAL = "original", _("Original")
    CERTIFIED_COPY = "certified_copy", _("Certified copy")
    PHOTOCOPY = "photocopy", _("Photocopy")
    ELECTRONIC = "electronic", _("Electronic file")


class DossierDocument(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="documents")
    requirement = models.ForeignKey(RequiredDocument, null=True, blank=True, on_delete=models.PROTECT)
    # Empty for a paper document the counter received without scanning it (DOMAIN.md §7.3, indicator 4.2).
    file = models.ForeignKey(
        UploadedFile, null=True, blank=True, on_delete=models.PROTECT, related_name="attachments"
    )
    added_at = models.DateTimeField()
    submitted_as = models.CharField(
        max_length=16, choices=SubmittedAs.choices, default=SubmittedAs.ELECTRONIC
    )
    copies = models.PositiveSmallIntegerField(default=1)
    supplement = models.ForeignKey(
        "SupplementRequest", null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )


class DossierStep(models.Model):
    """A stay of the dossier at one place: a workflow step, or a unit it was transferred to."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    workflow_step = models.ForeignKey(WorkflowStep, null=True, blank=True, on_delete=models.PROTECT)
    workflow_order = models.PositiveSmallIntegerField(help_text=_("Position in the case's workflow."))
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=32, choices=Role.choices)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    budget_minutes = models.PositiveIntegerField(null=True, blank=True)
    started_at = models.DateTimeField()
    due_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["started_at", "id"]


class SupplementRequest(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="supplements")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    reason = models.TextField()
    items = models.JSONField(default=list)
    submitted_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]


class EventQuerySet(models.QuerySet["DossierEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise TypeError("Dossier events are never updated.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("Dossier events are never deleted.")


class DossierEvent(models.Model):
    """One entry of a dossier's history, appended in the transaction of the change it records."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(max_length=32)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    actor_unit = models.ForeignKey(Agency, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    from_status = models.CharField(max_length=32, blank=True)
    to_status = models.CharField(max_length=32)
    version = models.PositiveIntegerField()
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    # The dossier's hash chain (ADR 0015): the hash of the event before this one in the dossier's history (by
    # version), this event's own hash over its content and that link, and the algorithm that computed it.
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)
    hash_algorithm = models.CharField(max_length=8, editable=False)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "version"], name="dossier_event_version_unique"),
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise TypeError("Dossier events are never updated.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("Dossier events are never deleted.")


class Satisfaction(models.TextChoices):
    """The three-point scale of the per-dossier rating (DOMAIN.md §8)."""

    VERY_SATISFIED = "very_satisfied", _("Very satisfied")
    SATISFIED = "satisfied", _("Satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")


class RatingChannel(models.TextChoices):
    PORTAL = "portal", _("On the portal")
    KIOSK = "kiosk", _("At the rating kiosk")
    OFFICER = "officer", _("Entered by an officer")


class Rating(models.Model):
    """The applicant's satisfaction with one dossier, given once its result has been returned."""

    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="rating")
    score = models.CharField(max_length=16, choices=Satisfaction.choices)
    comment = models.TextField(blank=True)
    channel = models.CharField(max_length=16, choices=RatingChannel.choices)
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    rated_at = models.DateTimeField()


class DossierNote(models.Model):
    """A note between officers on a dossier; never shown to the applicant."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_unit = models.ForeignKey(Agency, null=True, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
