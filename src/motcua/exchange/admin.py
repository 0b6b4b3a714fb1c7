from django.contrib import admin

from motcua.exchange.models import AgencyMapping, ProcedureMapping


@admin.register(ProcedureMapping)
class ProcedureMappingAdmin(admin.ModelAdmin):
    """Our procedures' codes on the national portal (MaTTHC); `motcua exchange import-mappings` loads many."""

    list_display = ("procedure", "national_code")
    list_select_related = ("procedure",)
    search_fields = ("procedure__local_code", "procedure__national_code", "national_code")
    autocomplete_fields = ("procedure",)


@admin.register(AgencyMapping)
class AgencyMappingAdmin(admin.ModelAdmin):
    """Our agencies' unit codes on the national portal (DonViXuLy)."""

    list_display = ("agency", "national_code")
    list_select_related = ("agency",)
    search_fields = ("agency__identity_code", "agency__name", "national_code")
    autocomplete_fields = ("agency",)
