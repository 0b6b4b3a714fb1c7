from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalog.constants import FeeKind, OnlineLevel, ProcedureLevel, SupplementPolicy
from motcua.core.text import fold_vietnamese
from motcua.org.constants import Role
from motcua.org.models import Agency
from motcua.worktime.constants import DurationUnit


class Field(models.Model):
    """Lĩnh vực: the field a procedure belongs to (e.g. civil status, land, construction)."""

    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Procedure(models.Model):
    """A procedure's identity; what it says lives in its versions, each valid for a period."""

    national_code = models.CharField(max_length=16, db_index=True, help_text=_("e.g. 1.001193"))
    local_code = models.CharField(max_length=64, unique=True, help_text=_("e.g. 1.001193.000.00.00.H26"))
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["national_code"]

    def __str__(self) -> str:
        return self.local_code


class ProcedureVersion(models.Model):
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(default=1)
    valid_from = models.DateField()
    valid_to = models.DateField(
        null=True, blank=True, help_text=_("Last day in force; empty while in force.")
    )
    name = models.CharField(max_length=500)
    field = models.ForeignKey(Field, on_delete=models.PROTECT, related_name="procedure_versions")
    level = models.CharField(max_length=16, choices=ProcedureLevel.choices)
    competent_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="competent_for")
    receiving_units = models.ManyToManyField(Agency, related_name="receives_for", blank=True)
    online_level = models.CharField(max_length=16, choices=OnlineLevel.choices, default=OnlineLevel.NONE)
    description = models.TextField(blank=True)
    applicants = models.TextField(blank=True, help_text=_("Who may apply (đối tượng thực hiện)."))
    steps = models.TextField(blank=True, help_text=_("The steps as published (trình tự thực hiện)."))
    conditions = models.TextField(blank=True)
    legal_basis = models.JSONField(default=list, blank=True, help_text=_('[{"number", "name", "date"}]'))
    result_types = models.JSONField(default=list, blank=True, help_text=_('[{"code", "name"}]'))
    publish_decision = models.CharField(max_length=120, blank=True)
    instant_service = models.BooleanField(
        default=False, help_text=_("Result at the counter, no appointment slip (không chờ).")
    )
    supplement_policy = models.CharField(
        max_length=16, choices=SupplementPolicy.choices, default=SupplementPolicy.RECOUNT
    )
    search_text = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["procedure", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="procedure_version_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.procedure.local_code} v{self.number} {self.name}"

    def save(self, *args, **kwargs) -> None:
        self.search_text = fold_vietnamese(
            " ".join([self.name, self.procedure.national_code, self.procedure.local_code, self.field.name])
        )
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The end of validity is before its start.")})


class Case(models.Model):
    """Trường hợp: one way a procedure is done, with its own time, fees, documents, e-form and workflow."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="cases")
    code = models.CharField(max_length=32)
    name = models.CharField(max_length=500)
    order = models.PositiveSmallIntegerField(default=0)
    time_value = models.PositiveIntegerField(default=0)
    time_unit = models.CharField(
        max_length=16, choices=DurationUnit.choices, default=DurationUnit.WORKING_DAYS
    )
    online_time_value = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("A different time for online dossiers, where the law sets one.")
    )
    online_time_unit = models.CharField(max_length=16, choices=DurationUnit.choices, blank=True)
    same_day_cutoff = models.TimeField(
        null=True,
        blank=True,
        help_text=_("Received after this hour: due at the end of the next working day."),
    )
    form_schema = models.JSONField(default=dict, blank=True, help_text=_("The e-form as JSON Schema."))

    class Meta:
        ordering = ["version", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="case_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        from motcua.catalog.forms_schema import schema_problem

        if problem := schema_problem(self.form_schema):
            raise ValidationError({"form_schema": problem})
        if self.online_time_value is not None and not self.online_time_unit:
            raise ValidationError({"online_time_unit": _("Give the unit of the online time.")})


class Fee(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="fees")
    kind = models.CharField(max_length=16, choices=FeeKind.choices)
    amount = models.PositiveBigIntegerField(help_text=_("Whole đồng."))
    online_amount = models.PositiveBigIntegerField(null=True, blank=True, help_text=_("When paid online."))
    unit = models.CharField(max_length=64, blank=True, help_text=_("per copy, per page, per case…"))
    description = models.TextField(blank=True)
    exemptions = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount:,} đ"


class RequiredDocument(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=500)
    originals = models.PositiveSmallIntegerField(default=0)
    copies = models.PositiveSmallIntegerField(default=0)
    mandatory = models.BooleanField(default=True)
    template_url = models.URLField(blank=True)
    national_doc_type_code = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["case", "order", "id"]

    def __str__(self) -> str:
        return self.name


class WorkflowStep(models.Model):
    """One internal step of a case, done by a role in a unit within a budget of working hours."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=32, choices=Role.choices)
    agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Empty: the procedure's competent agency."),
    )
    budget_hours = models.PositiveIntegerField(help_text=_("Working hours allowed for this step."))

    class Meta:
        ordering = ["case", "order"]
        constraints = [models.UniqueConstraint(fields=["case", "order"], name="workflow_step_order_unique")]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class ServiceProgramme(models.Model):
    """A themed day (e.g. "Green Friday") on which listed procedures are done within a shorter time."""

    name = models.CharField(max_length=200)
    weekdays = models.JSONField(default=list, help_text=_("ISO weekdays, 1 = Monday … 7 = Sunday."))
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    is_active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not self.weekdays or not all(isinstance(d, int) and 1 <= d <= 7 for d in self.weekdays):
            raise ValidationError({"weekdays": _("List ISO weekdays from 1 (Monday) to 7 (Sunday).")})


class ProgrammeEntry(models.Model):
    programme = models.ForeignKey(ServiceProgramme, on_delete=models.CASCADE, related_name="entries")
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="programme_entries")
    time_value = models.PositiveIntegerField()
    time_unit = models.CharField(max_length=16, choices=DurationUnit.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "procedure"], name="programme_entry_unique"),
        ]
