from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from motcua.exchange.models import Partner
from motcua.exchange.partners import MIN_CREDENTIAL_LENGTH


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
