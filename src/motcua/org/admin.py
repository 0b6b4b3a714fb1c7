from django.contrib import admin

from motcua.org.models import (
    AdministrativeUnit,
    Agency,
    ApiToken,
    CitizenProfile,
    Counter,
    Delegation,
    DelegationAudit,
    StaffRole,
)


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "valid_from", "valid_to", "is_demo"]
    list_filter = ["level", "is_demo"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent", "successor"]


class CounterInline(admin.TabularInline):
    model = Counter
    extra = 0


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["identity_code", "name", "kind", "parent", "administrative_unit", "is_demo"]
    list_filter = ["kind", "is_demo"]
    search_fields = ["identity_code", "name"]
    raw_id_fields = ["parent", "administrative_unit"]
    inlines = [CounterInline]


@admin.register(StaffRole)
class StaffRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "agency", "role", "position"]
    list_filter = ["role"]
    search_fields = ["user__username", "agency__identity_code", "agency__name"]
    raw_id_fields = ["user", "agency"]


@admin.register(CitizenProfile)
class CitizenProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "phone"]
    search_fields = ["user__username", "id_number"]
    raw_id_fields = ["user"]


class DelegationAuditInline(admin.TabularInline):
    model = DelegationAudit
    extra = 0
    can_delete = False
    readonly_fields = ["action", "actor", "at", "detail"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    """Delegations are granted and revoked through the services (audited), so the admin only shows them."""

    list_display = ["grantor", "delegate", "agency", "valid_from", "valid_to", "revoked_at"]
    list_filter = ["agency"]
    inlines = [DelegationAuditInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "key_hash", "user", "created_at", "last_used_at"]
    search_fields = ["user__username", "prefix"]
