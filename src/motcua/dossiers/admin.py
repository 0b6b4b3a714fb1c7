"""Dossiers in Django's admin, for administrators and auditors to look at: never to change.

A dossier changes only through the lifecycle services, which check the action, bump the version and append
the event in one transaction; an edit here would skip all of that. So nobody may add, change or delete a
dossier, an event, a rating or a note on these pages, superusers included; staff may look.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from motcua.catalog.admin import FoldedSearchMixin
from motcua.catalog.forms_admin import format_dong
from motcua.core.identifiers import mask_personal_id
from motcua.dossiers.models import Dossier, DossierEvent, DossierNote, DossierStep, Rating
from motcua.dossiers.timing import dossier_timing


class LookOnly:
    """Permissions of a page that staff may read and nobody may write."""

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class LookOnlyAdmin(LookOnly, admin.ModelAdmin):
    actions = None

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_staff


class LookOnlyInline(LookOnly, admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False
    # The foreign keys the rows show, fetched with them.
    shown_relations: tuple[str, ...] = ()

    def get_queryset(self, request: HttpRequest) -> Any:
        rows = super().get_queryset(request)
        # select_related() without names would follow every foreign key.
        return rows.select_related(*self.shown_relations) if self.shown_relations else rows


def _local(moment: Any) -> str:
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT") if moment else ""


class StepInline(LookOnlyInline):
    model = DossierStep
    fields = ["name", "role", "agency", "assignee", "started_at", "due_at", "finished_at", "outcome"]
    verbose_name_plural = _("steps")
    shown_relations = ("agency", "assignee")


class EventInline(LookOnlyInline):
    model = DossierEvent
    fields = ["version", "at", "action", "from_status", "to_status", "actor", "actor_unit", "note"]
    verbose_name_plural = _("history")
    shown_relations = ("actor", "actor_unit")


class NoteInline(LookOnlyInline):
    model = DossierNote
    fields = ["created_at", "author", "author_unit", "text"]
    verbose_name_plural = _("officers' notes")
    shown_relations = ("author", "author_unit")


class RatingInline(LookOnly, admin.StackedInline):
    model = Rating
    fields = ["score", "comment", "channel", "rated_by", "rated_at"]
    can_delete = False


@admin.register(Dossier)
class DossierAdmin(FoldedSearchMixin, LookOnlyAdmin):
    list_display = ["code", "status", "procedure", "received_by", "due", "overdue", "channel"]
    list_filter = ["status", "channel", ("receiving_unit", admin.RelatedOnlyFieldListFilter), "is_demo"]
    list_select_related = ["procedure_version__procedure", "receiving_unit"]
    search_fields = ["code"]
    folded_search_field = "search_text"
    search_help_text = _("Dossier code, or the applicant's name or number, with or without accents.")
    date_hierarchy = "created_at"
    list_per_page = 50
    ordering = ["-created_at", "-id"]
    inlines = [StepInline, EventInline, NoteInline, RatingInline]
    readonly_fields = ["masked_id_number", "timing", "fees", "form_answers"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "code",
                    "other_codes",
                    "status",
                    "procedure_version",
                    "case",
                    "channel",
                    "result_delivery",
                    "version",
                ]
            },
        ),
        (
            _("Applicant"),
            {
                "fields": [
                    "applicant_kind",
                    "applicant_name",
                    "masked_id_number",
                    "applicant_tax_code",
                    "applicant_phone",
                    "applicant_email",
                    "applicant_address",
                    "representative",
                    "applicant_user",
                ]
            },
        ),
        (_("Agencies"), {"fields": ["receiving_unit", "competent_authority", "current_unit", "assignee"]}),
        (
            _("Dates"),
            {
                "fields": [
                    "created_at",
                    "received_at",
                    "counting_from",
                    "due_at",
                    "timing",
                    "new_appointment_at",
                    "finished_at",
                    "returned_at",
                ]
            },
        ),
        (_("Supplements, fees and result"), {"fields": ["supplement_count", "fees", "result_number"]}),
        (_("E-form answers"), {"classes": ["collapse"], "fields": ["form_answers"]}),
    ]

    @admin.display(description=_("procedure"), ordering="procedure_version__procedure__local_code")
    def procedure(self, dossier: Dossier) -> str:
        return format_html(
            '{}<br><span class="quiet">{}</span>',
            Truncator(dossier.procedure_version.name).chars(60),
            dossier.procedure_version.procedure.local_code,
        )

    @admin.display(description=_("receiving unit"), ordering="receiving_unit__identity_code")
    def received_by(self, dossier: Dossier) -> str:
        unit = dossier.receiving_unit
        return format_html(
            '{}<br><span class="quiet">{}</span>', unit.identity_code, Truncator(unit.name).chars(40)
        )

    @admin.display(description=_("due"), ordering="due_at")
    def due(self, dossier: Dossier) -> str:
        return _local(dossier.due_at)

    @admin.display(description=_("overdue"))
    def overdue(self, dossier: Dossier) -> str:
        # The dossier's own clock: waiting for the applicant's supplement is never overdue (DOMAIN.md §4.4).
        if dossier_timing(dossier, timezone.now(), translation.get_language()).overdue:
            return format_html('<span class="admin-badge admin-badge-danger">{}</span>', gettext("Overdue"))
        return ""

    @admin.display(description=_("personal identification number"))
    def masked_id_number(self, dossier: Dossier) -> str:
        return mask_personal_id(dossier.applicant_id_number) if dossier.applicant_id_number else ""

    @admin.display(description=_("against the deadline"))
    def timing(self, dossier: Dossier) -> str:
        timing = dossier_timing(dossier, timezone.now(), translation.get_language())
        return timing.remaining or timing.punctuality or ""

    @admin.display(description=_("fees"))
    def fees(self, dossier: Dossier) -> str:
        return gettext("%(paid)s đ paid of %(due)s đ") % {
            "paid": format_dong(dossier.fee_paid),
            "due": format_dong(dossier.fee_due),
        }

    @admin.display(description=_("answers"))
    def form_answers(self, dossier: Dossier) -> str:
        return format_html("<pre>{}</pre>", json.dumps(dossier.form_data, ensure_ascii=False, indent=2))


@admin.register(DossierEvent)
class DossierEventAdmin(LookOnlyAdmin):
    list_display = ["dossier", "version", "action", "from_status", "to_status", "actor", "actor_unit", "at"]
    list_filter = ["action", "to_status"]
    list_select_related = ["dossier", "actor", "actor_unit"]
    search_fields = ["dossier__code"]
    date_hierarchy = "at"
    ordering = ["-at", "-id"]


@admin.register(Rating)
class RatingAdmin(LookOnlyAdmin):
    list_display = ["dossier", "score", "channel", "rated_by", "rated_at"]
    list_filter = ["score", "channel"]
    list_select_related = ["dossier", "rated_by"]
    search_fields = ["dossier__code"]
    ordering = ["-rated_at"]


@admin.register(DossierNote)
class DossierNoteAdmin(LookOnlyAdmin):
    list_display = ["dossier", "author", "author_unit", "created_at", "excerpt"]
    list_select_related = ["dossier", "author", "author_unit"]
    search_fields = ["dossier__code", "text"]
    ordering = ["-created_at", "-id"]

    @admin.display(description=_("note"))
    def excerpt(self, note: DossierNote) -> str:
        return Truncator(note.text).chars(80)
