from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from motcua.exchange.mappings import unmapped_procedures
from motcua.exchange.models import AgencyMapping, Partner, ProcedureMapping
from motcua.exchange.partners import MIN_CREDENTIAL_LENGTH

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


class PartnerForm(forms.ModelForm):
    """The credentials are written, never shown: a blank field keeps the one stored."""

    inbox_url = forms.URLField(label=_("Inbox address"), max_length=500, assume_scheme="https")
    new_outbound_credential = forms.CharField(
        label=_("Credential we present"),
        required=False,
        min_length=MIN_CREDENTIAL_LENGTH,
        widget=forms.PasswordInput(render_value=False),
    )
    new_inbound_credential = forms.CharField(
        label=_("Credential the partner presents"),
        required=False,
        min_length=MIN_CREDENTIAL_LENGTH,
        widget=forms.PasswordInput(render_value=False),
    )

    class Meta:
        model = Partner
        fields = ("agency", "inbox_url", "is_active")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.instance.pk is None:
            for name in ("new_outbound_credential", "new_inbound_credential"):
                if not cleaned.get(name):
                    self.add_error(name, _("A new partner needs both credentials."))
        return cleaned

    def save(self, commit: bool = True) -> Partner:
        partner: Partner = super().save(commit=False)
        if outbound := self.cleaned_data.get("new_outbound_credential"):
            partner.outbound_credential = outbound
        if inbound := self.cleaned_data.get("new_inbound_credential"):
            partner.inbound_credential_hash = Partner.hash_credential(inbound)
        if commit:
            partner.save()
        return partner


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    """Agencies of other deployments; also managed by `motcua exchange partner`."""

    form = PartnerForm
    list_display = ("agency", "inbox_url", "is_active", "created_at")
    list_select_related = ("agency",)
    list_filter = ("is_active",)
    search_fields = ("agency__identity_code", "agency__name")
    autocomplete_fields = ("agency",)
