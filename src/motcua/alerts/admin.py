"""Deadline warnings in Django's admin: what the scan recorded and e-mailed, for staff to look into."""

from django.contrib import admin

from motcua.alerts.models import DeadlineWarning
from motcua.dossiers.admin import LookOnlyAdmin


@admin.register(DeadlineWarning)
class DeadlineWarningAdmin(LookOnlyAdmin):
    list_display = [
        "dossier",
        "kind",
        "level",
        "recipient",
        "recipient_email",
        "due_at",
        "warned_at",
        "sent_at",
    ]
    list_filter = ["kind", "level", "channel"]
    search_fields = ["dossier__code", "recipient__username", "recipient_email"]
    list_select_related = ["dossier", "recipient"]
    date_hierarchy = "warned_at"
