"""The change chain in the admin: read only, for the superusers who audit who changed the catalogue, roles and
delegations (ADR 0015). Nobody adds, changes or deletes a record here; the database would refuse anyway."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from motcua.audit.models import ChangeRecord


@admin.register(ChangeRecord)
class ChangeRecordAdmin(admin.ModelAdmin):
    list_display = ["id", "at", "actor_name", "via", "operation", "model", "object_pk"]
    list_filter = ["operation", "model"]
    search_fields = ["actor_name", "model", "object_pk"]
    date_hierarchy = "at"
    fields = ("at", "actor_name", "actor_id", "via", "operation", "model", "object_pk", "changes")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
