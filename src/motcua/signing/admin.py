from django.contrib import admin
from django.http import HttpRequest

from motcua.signing.models import SignedResult


@admin.register(SignedResult)
class SignedResultAdmin(admin.ModelAdmin):
    """Read-only: a signed result is written once, by the signing service, and never edited."""

    list_display = ("dossier", "agency", "signed_by", "on_behalf", "signed_at", "certificate_fingerprint")
    list_select_related = ("dossier", "agency", "signed_by")
    search_fields = ("dossier__code", "sha256", "certificate_fingerprint")
    date_hierarchy = "signed_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: SignedResult | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: SignedResult | None = None) -> bool:
        return False
