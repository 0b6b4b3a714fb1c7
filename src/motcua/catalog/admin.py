from django.contrib import admin

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


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


class VersionInline(admin.TabularInline):
    model = ProcedureVersion
    fields = ["number", "name", "valid_from", "valid_to", "online_level"]
    show_change_link = True
    extra = 0


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ["local_code", "national_code", "is_demo"]
    search_fields = ["local_code", "national_code", "versions__name"]
    inlines = [VersionInline]


class CaseInline(admin.StackedInline):
    model = Case
    extra = 0
    show_change_link = True
    fields = ["code", "name", "order", "time_value", "time_unit", "same_day_cutoff"]


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(admin.ModelAdmin):
    list_display = ["procedure", "number", "name", "level", "online_level", "valid_from", "valid_to"]
    list_filter = ["level", "online_level", "field", "instant_service"]
    search_fields = ["name", "procedure__local_code", "procedure__national_code"]
    raw_id_fields = ["competent_agency"]
    filter_horizontal = ["receiving_units"]
    inlines = [CaseInline]


class FeeInline(admin.TabularInline):
    model = Fee
    extra = 0


class RequiredDocumentInline(admin.TabularInline):
    model = RequiredDocument
    extra = 0


class WorkflowStepInline(admin.TabularInline):
    model = WorkflowStep
    extra = 0
    raw_id_fields = ["agency"]


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "version", "time_value", "time_unit"]
    search_fields = ["code", "name", "version__name"]
    inlines = [FeeInline, RequiredDocumentInline, WorkflowStepInline]


class ProgrammeEntryInline(admin.TabularInline):
    model = ProgrammeEntry
    extra = 0
    raw_id_fields = ["procedure"]


@admin.register(ServiceProgramme)
class ServiceProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "weekdays", "valid_from", "valid_to", "is_active"]
    inlines = [ProgrammeEntryInline]
