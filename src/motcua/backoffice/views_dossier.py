"""The dossier page of the back office: the dossier in full, the actions the user may take on it, notes
between officers and the dossier's files. The views read the form, call the service and draw the answer; the
lifecycle, scope and deadlines are the services' and selectors' business."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_POST

from motcua.backoffice import action_forms
from motcua.backoffice.access import staff_required
from motcua.backoffice.action_forms import ActionForm, Widget
from motcua.catalog.forms_schema import ordered_properties
from motcua.catalog.widgets import Kind
from motcua.core.errors import DomainError, FieldProblem, NotFound, StaleVersion
from motcua.dossiers.lifecycle import (
    ACTIONS,
    Status,
    clock_running,
    event_label,
    is_open,
    national_channel_code,
    national_code,
)
from motcua.dossiers.models import (
    Dossier,
    DossierDocument,
    DossierEvent,
    DossierStep,
    SubmittedAs,
    UploadedFile,
)
from motcua.dossiers.policy import allowed_actions
from motcua.dossiers.punctuality import step_outcome
from motcua.dossiers.selectors import dossier_documents, dossier_events, dossier_for, visible_dossiers
from motcua.dossiers.services.actions import take_action_from_fields
from motcua.dossiers.services.feedback import add_note
from motcua.dossiers.timing import Timing, dossier_timing, step_timing
from motcua.exchange.selectors import portal_documents
from motcua.org.selectors import agency_by_code
from motcua.printing.catalogue import printable_forms
from motcua.privacy.constants import AccessChannel, AccessKind
from motcua.privacy.services import record_read
from motcua.signing.services import signed_copy_of
from motcua.worktime.calendar import format_working_duration
from motcua.worktime.constants import Punctuality
from motcua.worktime.services import calendar_for

# Browsers show these inline; other uploads (TIFF, HEIC, office documents) are offered as downloads.
INLINE_IMAGES = frozenset({"image/jpeg", "image/png", "image/webp"})
INLINE_TYPES = INLINE_IMAGES | {"application/pdf"}

# What an event's data says, in the order the timeline shows it.
EVENT_DETAILS: tuple[tuple[str, Promise], ...] = (
    ("reason", gettext_lazy("Reason")),
    ("step", gettext_lazy("Step")),
    ("assignee", gettext_lazy("Assigned to")),
    ("to_unit", gettext_lazy("To unit")),
    ("partner", gettext_lazy("Partner agency")),
    ("status_code", gettext_lazy("edXML status code")),
    ("amount", gettext_lazy("Amount")),
    ("receipt_number", gettext_lazy("Fee receipt number")),
    ("new_appointment", gettext_lazy("New appointment")),
    ("due_at", gettext_lazy("Due")),
    ("result_number", gettext_lazy("Result number")),
    ("recipient_name", gettext_lazy("Collected by")),
    ("recipient_id_number", gettext_lazy("ID number")),
    ("waybill_number", gettext_lazy("Waybill number")),
)
_DATETIME_DETAILS = frozenset({"new_appointment", "due_at"})

PUNCTUALITY_BADGES: dict[str, str] = {
    Punctuality.EARLY: "badge-ok",
    Punctuality.ON_TIME: "badge-ok",
    Punctuality.LATE: "badge-danger",
}


# --- what the page shows ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    label: str
    value: str


@dataclass(frozen=True)
class DocumentRow:
    name: str
    submitted_as: str
    copies: int
    file: UploadedFile | None
    preview: str  # "image", "pdf", or "" for a download only
    added_at: dt.datetime
    in_supplement: bool


@dataclass(frozen=True)
class StepRow:
    step: DossierStep
    budget: str | None
    timing: Timing
    current: bool
    punctuality: Punctuality | None  # once the step is finished, judged by its budget as on the control slip

    @property
    def punctuality_label(self) -> str:
        return str(self.punctuality.label) if self.punctuality else ""

    @property
    def punctuality_badge(self) -> str:
        return PUNCTUALITY_BADGES.get(self.punctuality or "", "badge-muted")


@dataclass(frozen=True)
class EventRow:
    event: DossierEvent
    label: str
    who: str
    unit: str
    from_label: str
    to_label: str
    details: list[tuple[str, str]]
    items: list[dict[str, str]]


@dataclass(frozen=True)
class PrintLink:
    label: str
    url: str


def _display(value: Any, schema: dict[str, Any]) -> str:
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return ", ".join(_display(v, schema.get("items") or {}) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_display(v, {})}" for k, v in value.items())
    if schema.get("format") == "date" and isinstance(value, str) and (day := parse_date(value)):
        return formats.date_format(day, "SHORT_DATE_FORMAT")
    return str(value)


def form_answers(schema: dict[str, Any], data: dict[str, Any]) -> list[Answer]:
    """The e-form answers as label and value, labelled with the schema's titles, in the schema's order."""
    properties = dict(ordered_properties(schema))
    answers = [
        Answer(str(spec.get("title") or name), _display(data[name], spec))
        for name, spec in properties.items()
        if name in data and data[name] not in ("", None)
    ]
    # Answers the case's schema no longer names (it was edited) are still the applicant's: shown last.
    return answers + [Answer(name, _display(v, {})) for name, v in data.items() if name not in properties]


def _preview(file: UploadedFile | None) -> str:
    if file is None:
        return ""
    if file.content_type in INLINE_IMAGES:
        return "image"
    return "pdf" if file.content_type == "application/pdf" else ""


def _document_rows(dossier: Dossier) -> list[DocumentRow]:
    requirements = {r.pk: r.name for r in dossier.case.documents.all()}
    rows = []
    for document in dossier_documents(dossier):
        name = requirements.get(document.requirement_id or 0) or (
            document.file.original_name if document.file else _("Other document")
        )
        rows.append(_document_row(document, name))
    return rows


def _document_row(document: DossierDocument, name: str) -> DocumentRow:
    return DocumentRow(
        name=name,
        submitted_as=str(SubmittedAs(document.submitted_as).label),
        copies=document.copies,
        file=document.file,
        preview=_preview(document.file),
        added_at=document.added_at,
        in_supplement=document.supplement_id is not None,
    )


def _step_rows(dossier: Dossier, now: dt.datetime, language: str) -> list[StepRow]:
    per_day = calendar_for().office_hours.minutes_per_day
    return [
        StepRow(
            step,
            format_working_duration(step.budget_minutes, per_day, language) if step.budget_minutes else None,
            step_timing(step, now, language),
            step.pk == dossier.current_step_id and is_open(dossier.status),
            step_outcome(step),
        )
        for step in dossier.steps.select_related("agency", "assignee")
    ]


def _status_label(status: str) -> str:
    return str(Status(status).label) if status in Status.values else status


def _detail_text(key: str, value: Any) -> str:
    if key in _DATETIME_DETAILS and isinstance(value, str) and (moment := parse_datetime(value)):
        return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
    if key == "amount" and isinstance(value, int):
        return _("%(amount)s đồng") % {"amount": formats.number_format(value, force_grouping=True)}
    if key == "to_unit" and (unit := agency_by_code(str(value))):
        return f"{unit.name} ({unit.identity_code})"
    return str(value)


def _event_row(event: DossierEvent) -> EventRow:
    actor = event.actor
    data = event.data or {}
    return EventRow(
        event=event,
        label=event_label(event.action),
        who=(actor.get_full_name() or actor.username) if actor else _("the system"),
        unit=event.actor_unit.name if event.actor_unit else "",
        from_label=_status_label(event.from_status) if event.from_status != event.to_status else "",
        to_label=_status_label(event.to_status),
        details=[(str(text), _detail_text(key, data[key])) for key, text in EVENT_DETAILS if data.get(key)],
        items=[i for i in data.get("items") or [] if isinstance(i, dict)],
    )


def _print_links(dossier: Dossier, actions: set[str]) -> list[PrintLink]:
    return [
        PrintLink(
            str(spec.label),
            reverse("printing:dossier-form", kwargs={"code": dossier.code, "form": spec.slug}),
        )
        for spec in printable_forms(actions)
    ]


def _badges(dossier: Dossier, timing: Timing) -> list[tuple[str, str]]:
    badges = []
    if timing.overdue:
        badges.append(("badge-danger", _("Overdue")))
    elif is_open(dossier.status) and not clock_running(dossier.status):
        badges.append(("badge-warn", _("Clock paused: waiting for the applicant")))
    if timing.punctuality:
        badges.append((PUNCTUALITY_BADGES[timing.punctuality], str(Punctuality(timing.punctuality).label)))
    if dossier.needs_fix:
        badges.append(("badge-warn", _("Asked to complete the dossier")))
    if dossier.apology_count:
        badges.append(("badge-warn", _("New date promised")))
    return badges


def _note_widget(text: str = "", errors: list[str] | None = None) -> Widget:
    return Widget(
        html_id="note-text",
        name="text",
        label=_("Your note"),
        kind=Kind.TEXTAREA,
        value=text,
        required=True,
        help=_("Seen by the officers who handle this dossier, never by the applicant."),
        errors=errors or [],
    )


def _render(
    request: HttpRequest,
    dossier: Dossier,
    *,
    status: int = 200,
    failed: ActionForm | None = None,
    note: Widget | None = None,
    alert: str = "",
) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    now, language = timezone.now(), get_language() or "vi"
    forms = [
        failed
        if failed is not None and failed.name == name
        else action_forms.bind(ACTIONS[name], dossier, user)
        for name in allowed_actions(user, dossier)
    ]
    errors: list[tuple[str, str]] = []
    if failed is not None:
        shown = any(form is failed for form in forms)
        errors += [(m, a if shown else "actions") for m, a in failed.summary()]
    note = note or _note_widget()
    errors += [(message, note.html_id) for message in note.errors]
    events = list(dossier_events(dossier))
    timing = dossier_timing(dossier, now, language)
    step = dossier.current_step
    context = {
        "dossier": dossier,
        "status_label": dossier.get_status_display(),
        "national_status": national_code(dossier.status),
        "national_channel": national_channel_code(dossier.channel),
        "badges": _badges(dossier, timing),
        "timing": timing,
        "in_progress": is_open(dossier.status),
        "step_timing": step_timing(step, now, language) if step is not None else None,
        "answers": form_answers(dossier.case.form_schema or {}, dossier.form_data or {}),
        "documents": _document_rows(dossier),
        "portal_documents": portal_documents(dossier),
        "result_preview": _preview(dossier.result_file),
        "steps": _step_rows(dossier, now, language),
        "events": [_event_row(e) for e in events],
        "supplements": dossier.supplements.select_related("requested_by"),
        "notes": dossier.notes.select_related("author", "author_unit"),
        "note": note,
        "forms": forms,
        "prints": _print_links(dossier, {e.action for e in events}),
        "errors": errors,
        "alert": alert,
    }
    return render(request, "backoffice/dossier/page.html", context, status=status)


def _visible(user: Any, code: str) -> Dossier:
    """The dossier if it is in the user's scope; a 404 otherwise, which never says whether it exists."""
    try:
        return dossier_for(user, code)
    except NotFound:
        raise Http404(_("No dossier %s is visible to you.") % code) from None


def _units(dossier: Dossier) -> tuple[int, ...]:
    """The dossier's units, nearest first, to name the unit the officer acted for in the access log."""
    return (dossier.current_unit_id, dossier.receiving_unit_id, dossier.competent_authority_id)


# --- views --------------------------------------------------------------------------------------------------


@require_GET
@staff_required
def dossier_page(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _visible(request.user, code)
    record_read(
        request, channel=AccessChannel.PAGE, kind=AccessKind.DOSSIER_PAGE, code=code, near=_units(dossier)
    )
    return _render(request, dossier)


@require_POST
@staff_required
def dossier_action(request: HttpRequest, code: str, action: str) -> HttpResponse:
    dossier = _visible(request.user, code)
    chosen = ACTIONS.get(action)
    if chosen is None:
        raise Http404(_("There is no action %s.") % action)
    user: User = request.user  # type: ignore[assignment]
    submission = action_forms.read(chosen, dossier, request)
    if submission.adding_row or submission.problems:
        form = action_forms.bind(chosen, dossier, user, submission)
        return _render(request, dossier, status=200 if submission.adding_row else 422, failed=form)
    try:
        # A form without its version cannot say what the officer saw: treated as seen long ago.
        take_action_from_fields(user, code, action, submission.version or 0, submission.payload)
    except NotFound:
        raise Http404(_("No dossier %s is visible to you.") % code) from None
    except StaleVersion:
        fresh = _visible(user, code)
        return _render(
            request,
            fresh,
            status=409,
            failed=action_forms.bind(chosen, fresh, user, submission),
            alert=_(
                "The dossier changed while you were looking. Here it is as it is now; check it and try again."
            ),
        )
    except DomainError as error:
        form = action_forms.bind(
            chosen, dossier, user, submission, error.errors, message="" if error.errors else str(error.detail)
        )
        return _render(request, dossier, status=error.status, failed=form)
    messages.success(request, _("Done: %(action)s.") % {"action": chosen.label})
    # A transfer can take the dossier out of the officer's scope; the inbox is where they carry on then.
    if visible_dossiers(user).filter(code=code).exists():
        return redirect("backoffice:dossier", code=code)
    return redirect("backoffice:inbox")


@require_POST
@staff_required
def dossier_note(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _visible(request.user, code)
    text = request.POST.get("text", "")
    try:
        add_note(request.user, code, text)  # type: ignore[arg-type]
    except NotFound:
        raise Http404(_("No dossier %s is visible to you.") % code) from None
    except DomainError as error:
        problems = error.errors or [FieldProblem("text", error.slug, str(error.detail))]
        note = _note_widget(text, [str(p.message) for p in problems])
        return _render(request, dossier, status=error.status, note=note)
    messages.success(request, _("Your note was added."))
    return redirect(reverse("backoffice:dossier", kwargs={"code": code}) + "#notes")


@require_GET
@staff_required
@xframe_options_sameorigin
def dossier_file(request: HttpRequest, code: str, pk: int) -> HttpResponseBase:
    """A file of the dossier (a document or the result), inline when a browser can show it safely."""
    dossier = _visible(request.user, code)
    belongs = dossier.result_file_id == pk or dossier.documents.filter(file_id=pk).exists()
    stored = UploadedFile.objects.filter(pk=pk).first() if belongs else None
    if stored is None:
        raise Http404(_("This dossier has no such file."))
    # The result is served signed once its signed copy exists (ADR 0017); the original upload is kept.
    signed = signed_copy_of(stored) if pk == dossier.result_file_id else None
    record_read(
        request,
        channel=AccessChannel.PAGE,
        kind=AccessKind.FILE,
        code=code,
        near=_units(dossier),
        detail=f"{stored.pk} {stored.original_name}",
    )
    response = FileResponse(
        (signed or stored).file.open("rb"),
        content_type=stored.content_type,
        as_attachment=stored.content_type not in INLINE_TYPES,
        filename=stored.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
