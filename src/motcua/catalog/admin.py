"""The catalogue in Django's admin: procedures, their versions in force, cases with documents, fees, e-form
and workflow. The checks the publishing services make run on these pages too, so a wrong entry is shown on
the page instead of being saved."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from motcua.catalog.forms_admin import (
    CaseAdminForm,
    CaseInlineForm,
    FeeForm,
    ProcedureVersionAdminForm,
    WorkflowStepFormSet,
    format_dong,
)
from motcua.catalog.models import (
    Case,
    Fee,
    Field,
    Procedure,
    ProcedureVersion,
    ProgrammeEntry,
    RequiredDocument,
    ServiceProgramme,
    WorkflowStep,
)
from motcua.catalog.selectors import in_force_on
from motcua.catalog.services import case_budget_hours, working_day_minutes
from motcua.core.text import fold_vietnamese
from motcua.org.admin import validity_text
from motcua.worktime.constants import DurationUnit


class FoldedSearchMixin:
    """Search that ignores accents and case, as people type: "dang ky khai sinh" finds "Đăng ký khai sinh".

    Every word must match either the folded text column (filled with `fold_vietnamese`) or one of the
    `search_fields`, which hold codes.
    """

    folded_search_field: str
    search_fields: list[str]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        for word in search_term.split():
            match = Q(**{f"{self.folded_search_field}__contains": fold_vietnamese(word)})
            for field in self.search_fields:
                match |= Q(**{f"{field}__icontains": word})
            queryset = queryset.filter(match)
        # Searching through a to-many relation may find a row once per related row.
        return queryset, "__" in self.folded_search_field


def time_text(value: int, unit: str) -> str:
    if unit == DurationUnit.NONE:
        return str(DurationUnit.NONE.label)
    return gettext("%(value)d %(unit)s") % {"value": value, "unit": DurationUnit(unit).label}


class InForceFilter(admin.SimpleListFilter):
    title = _("in force")
    parameter_name = "in_force"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, Any]]:
        return [("today", _("In force today")), ("upcoming", _("Not yet in force")), ("ended", _("Ended"))]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[ProcedureVersion]
    ) -> QuerySet[ProcedureVersion]:
        today = timezone.localdate()
        if self.value() == "today":
            return queryset.filter(in_force_on(today))
        if self.value() == "upcoming":
            return queryset.filter(valid_from__gt=today)
        if self.value() == "ended":
            return queryset.filter(valid_to__lt=today)
        return queryset


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


class VersionInline(admin.TabularInline):
    """The versions of a procedure, newest first; each is edited on its own page, with its cases."""

    model = ProcedureVersion
    fields = ["number", "name", "valid_from", "valid_to", "online_level"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Procedure)
class ProcedureAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["local_code", "national_code", "name", "in_force_today", "is_demo"]
    list_filter = [("versions__field", admin.RelatedOnlyFieldListFilter), "is_demo"]
    search_fields = ["local_code", "national_code"]
    folded_search_field = "versions__search_text"
    search_help_text = _("Code, or words of the name with or without accents.")
    inlines = [VersionInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Procedure]:
        versions = ProcedureVersion.objects.filter(procedure=OuterRef("pk"))
        versions = versions.order_by("-valid_from", "-number")
        current = versions.filter(in_force_on(timezone.localdate()))
        return (
            super()
            .get_queryset(request)
            .annotate(
                current_name=Subquery(current.values("name")[:1]),
                latest_name=Subquery(versions.values("name")[:1]),
            )
        )

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        # The page links to adding the next version (template admin/catalog/procedure/change_form.html).
        can_add_version = request.user.has_perm("catalog.add_procedureversion")
        extra_context = {**(extra_context or {}), "can_add_version": can_add_version}
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description=_("name"), ordering=Coalesce("current_name", "latest_name"))
    def name(self, procedure: Procedure) -> str:
        return procedure.current_name or procedure.latest_name or ""

    @admin.display(description=_("in force today"), boolean=True)
    def in_force_today(self, procedure: Procedure) -> bool:
        return procedure.current_name is not None


class CaseInline(admin.TabularInline):
    model = Case
    form = CaseInlineForm
    extra = 0
    show_change_link = True


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(FoldedSearchMixin, admin.ModelAdmin):
    form = ProcedureVersionAdminForm
    list_display = ["procedure", "number", "name", "level", "validity", "in_force_today"]
    list_display_links = ["procedure", "name"]
    list_filter = [InForceFilter, "field", "level", "online_level", "instant_service"]
    list_select_related = ["procedure"]
    search_fields = ["procedure__local_code", "procedure__national_code"]
    folded_search_field = "search_text"
    search_help_text = _("Code, or words of the name with or without accents.")
    autocomplete_fields = ["procedure", "field", "competent_agency", "receiving_units"]
    inlines = [CaseInline]
    fieldsets = [
        (None, {"fields": ["procedure", "number", "name", "field", "level"]}),
        (
            _("Validity"),
            {
                "fields": [("valid_from", "valid_to")],
                "description": _(
                    "Dossiers are received under the version in force on their day; versions of one "
                    "procedure may not overlap. To change a procedure, end this version and add the next one."
                ),
            },
        ),
        (_("Agencies"), {"fields": ["competent_agency", "receiving_units"]}),
        (_("Service"), {"fields": ["online_level", "instant_service", "supplement_policy"]}),
        (
            _("As published"),
            {
                "classes": ["collapse"],
                "fields": [
                    "description",
                    "applicants",
                    "steps",
                    "conditions",
                    "legal_basis",
                    "result_types",
                    "publish_decision",
                ],
            },
        ),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ProcedureVersion]:
        in_force = ExpressionWrapper(in_force_on(timezone.localdate()), output_field=BooleanField())
        return super().get_queryset(request).annotate(in_force=in_force)

    def get_readonly_fields(self, request: HttpRequest, obj: ProcedureVersion | None = None) -> list[str]:
        # A version belongs to its procedure for good: dossiers received under it name both.
        return ["procedure"] if obj is not None else []

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        """A version added from its procedure's page follows the latest one: the next number, its name and
        agencies, and the day after it ends."""
        initial = super().get_changeform_initial_data(request)
        versions = ProcedureVersion.objects.filter(procedure_id=initial.get("procedure"))
        latest = versions.order_by("-number").first()
        if latest is not None:
            initial["number"] = latest.number + 1
            initial["name"] = latest.name
            initial["field"] = latest.field_id
            initial["level"] = latest.level
            initial["competent_agency"] = latest.competent_agency_id
            if latest.valid_to is not None:
                initial["valid_from"] = latest.valid_to + dt.timedelta(days=1)
        return initial

    @admin.display(description=_("validity"), ordering="valid_from")
    def validity(self, version: ProcedureVersion) -> str:
        return validity_text(version.valid_from, version.valid_to)

    @admin.display(description=_("in force today"), boolean=True, ordering="in_force")
    def in_force_today(self, version: ProcedureVersion) -> bool:
        return version.in_force


class FeeInline(admin.TabularInline):
    model = Fee
    form = FeeForm
    extra = 0
    verbose_name_plural = _("fees and charges (whole đồng)")


class RequiredDocumentInline(admin.TabularInline):
    model = RequiredDocument
    fields = ["order", "name", "originals", "copies", "mandatory", "template_url", "national_doc_type_code"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    extra = 0


class WorkflowStepInline(admin.TabularInline):
    model = WorkflowStep
    formset = WorkflowStepFormSet
    fields = ["order", "name", "role", "agency", "budget_hours"]
    autocomplete_fields = ["agency"]
    extra = 0


@admin.register(Case)
class CaseAdmin(FoldedSearchMixin, admin.ModelAdmin):
    form = CaseAdminForm
    list_display = ["code", "name", "procedure", "time", "fees", "step_hours", "has_form"]
    list_select_related = ["version__procedure"]
    list_filter = ["time_unit", "version__field", "version__level"]
    search_fields = ["code", "version__procedure__local_code", "version__procedure__national_code"]
    folded_search_field = "version__search_text"
    search_help_text = _("Case code, procedure code, or words of the procedure's name.")
    autocomplete_fields = ["version"]
    readonly_fields = ["budget_summary"]
    inlines = [RequiredDocumentInline, FeeInline, WorkflowStepInline]
    fieldsets = [
        (None, {"fields": ["version", "code", "name", "order"]}),
        (
            _("Processing time"),
            {
                "fields": [
                    ("time_value", "time_unit"),
                    ("online_time_value", "online_time_unit"),
                    "same_day_cutoff",
                    "budget_summary",
                ]
            },
        ),
        (
            _("E-form"),
            {
                "fields": ["form_schema"],
                "description": _(
                    "The form applicants fill in, as a JSON Schema object: each property is a field, with "
                    'a "title", a "type" (string, integer, number, boolean), an optional "format" (date, '
                    'email) or "enum" (a list of choices); "required" lists the fields that must be filled '
                    "in."
                ),
            },
        ),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Case]:
        # The list shows every case's fees and step hours: one query each for the page, not one per row.
        return (
            super()
            .get_queryset(request)
            .annotate(step_hours_total=Sum("steps__budget_hours"))
            .prefetch_related("fees")
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Case | None = None) -> list[str]:
        # A case belongs to its version for good: dossiers received under it name both.
        return [*self.readonly_fields, "version"] if obj is not None else self.readonly_fields

    @admin.display(description=_("procedure"), ordering="version__procedure__local_code")
    def procedure(self, case: Case) -> str:
        return f"{case.version.procedure.local_code} v{case.version.number}"

    @admin.display(description=_("time"), ordering="time_value")
    def time(self, case: Case) -> str:
        return time_text(case.time_value, case.time_unit)

    @admin.display(description=_("fees"))
    def fees(self, case: Case) -> str:
        return ", ".join(f"{fee.get_kind_display()} {format_dong(fee.amount)} đ" for fee in case.fees.all())

    @admin.display(description=_("step hours"), ordering="step_hours_total")
    def step_hours(self, case: Case) -> str:
        cap = case_budget_hours(case.time_value, case.time_unit)
        used = case.step_hours_total or 0
        return f"{used} / {cap}" if cap is not None else str(used)

    @admin.display(description=_("e-form"), boolean=True)
    def has_form(self, case: Case) -> bool:
        return bool(case.form_schema)

    @admin.display(description=_("step budgets"))
    def budget_summary(self, case: Case) -> str:
        if case.pk is None:
            return gettext("Save the case first, then give its steps.")
        cap = case_budget_hours(case.time_value, case.time_unit)
        used = sum(step.budget_hours for step in case.steps.all())
        if cap is None:
            return gettext("The case has no deadline; its steps use %(used)d working hours.") % {"used": used}
        return gettext(
            "The steps use %(used)d of the %(cap)d working hours the case allows "
            "(a working day counts %(day)d hours)."
        ) % {"used": used, "cap": cap, "day": working_day_minutes() // 60}


class ProgrammeEntryInline(admin.TabularInline):
    model = ProgrammeEntry
    extra = 0
    autocomplete_fields = ["procedure"]


@admin.register(ServiceProgramme)
class ServiceProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "weekdays", "validity", "is_active"]
    list_filter = ["is_active"]
    inlines = [ProgrammeEntryInline]

    @admin.display(description=_("validity"), ordering="valid_from")
    def validity(self, programme: ServiceProgramme) -> str:
        return validity_text(programme.valid_from, programme.valid_to)
