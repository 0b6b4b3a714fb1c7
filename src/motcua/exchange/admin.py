from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.utils.translation import ngettext

from motcua.exchange.mappings import unmapped_procedures
from motcua.exchange.models import AgencyMapping, ProcedureMapping

# The unmapped procedures named on the list of mappings; `motcua exchange unmapped` lists them all.
UNMAPPED_SHOWN = 20


@admin.register(ProcedureMapping)
class ProcedureMappingAdmin(admin.ModelAdmin):
    """Our procedures' codes on the national portal (MaTTHC); `motcua exchange import-mappings` loads many."""

    list_display = ("procedure", "national_code")
    list_select_related = ("procedure",)
    search_fields = ("procedure__local_code", "procedure__national_code", "national_code")
    autocomplete_fields = ("procedure",)

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        # Whoever maps procedures sees at once which dossiers wait for a mapping to reach the portal.
        if request.method == "GET" and (unmapped := unmapped_procedures()):
            names = ", ".join(
                ngettext("%(code)s (%(count)d dossier)", "%(code)s (%(count)d dossiers)", p.dossiers)
                % {"code": p.local_code, "count": p.dossiers}
                for p in unmapped[:UNMAPPED_SHOWN]
            )
            message = ngettext(
                "%(count)d procedure has dossiers but no national code; they are not synchronised with the "
                "national portal: %(names)s",
                "%(count)d procedures have dossiers but no national code; they are not synchronised with the "
                "national portal: %(names)s",
                len(unmapped),
            ) % {"count": len(unmapped), "names": names + ("…" if len(unmapped) > UNMAPPED_SHOWN else "")}
            self.message_user(request, message, messages.WARNING)
        return super().changelist_view(request, extra_context)


@admin.register(AgencyMapping)
class AgencyMappingAdmin(admin.ModelAdmin):
    """Our agencies' unit codes on the national portal (DonViXuLy)."""

    list_display = ("agency", "national_code")
    list_select_related = ("agency",)
    search_fields = ("agency__identity_code", "agency__name", "national_code")
    autocomplete_fields = ("agency",)
