"""The citizen's own dossiers: the list (drafts first), and one dossier with its history in plain words and
what the citizen can do now (send a supplement, pay, collect or download the result, withdraw, rate)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.catalog.eform import browser_messages, errors_by_field
from motcua.catalog.selectors import intake_offer
from motcua.core.errors import DomainError, FieldProblem, InvalidInput, NotFound, StaleVersion
from motcua.dossiers.lifecycle import ActionName, clock_running
from motcua.dossiers.models import Dossier, Satisfaction, SupplementRequest
from motcua.dossiers.policy import allowed_actions
from motcua.dossiers.selectors import dossier_documents, dossier_events, with_reference_rows
from motcua.dossiers.services.feedback import rate_dossier
from motcua.dossiers.timing import dossier_timing
from motcua.portal import my_dossiers as mine
from motcua.portal import selectors
from motcua.portal.models import ApplicationDraft
from motcua.portal.my_dossiers import Expected
from motcua.portal.views_apply import (
    ACCEPT_FILES,
    SlotActions,
    Target,
    UploadSlot,
    change_slot,
    error_message,
    posted_version,
    problem_summary,
    send_file,
    upload_limit,
)
from motcua.privacy.selectors import openings_of
from motcua.privacy.wording import kind_text, reader_name, roles_text, unit_text
from motcua.signing.services import signed_copy_of

PAGE_SIZE = 20


def _stale_notice() -> str:
    return _(
        "The dossier changed while you were looking at it. Here is its current state; check it and try again."
    )


# --- the list ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DraftRow:
    draft: ApplicationDraft
    procedure_name: str


@dataclass(frozen=True)
class DossierRow:
    dossier: Dossier
    status_text: str
    tone: str
    expected: Expected

    @property
    def todo(self) -> str:
        return str(mine.EXPECTED_TEXT[self.expected])

    @property
    def needs_action(self) -> bool:
        return self.expected in mine.ACTION_NEEDED


def _draft_row(draft: ApplicationDraft) -> DraftRow:
    offer = intake_offer(draft.procedure.local_code, timezone.localdate())
    return DraftRow(draft, offer.version.name if offer else draft.procedure.local_code)


def _dossier_row(request: HttpRequest, dossier: Dossier) -> DossierRow:
    with_reference_rows(dossier)
    rated = getattr(dossier, "rating", None) is not None
    expected = mine.expected_of_applicant(dossier, allowed_actions(request.user, dossier), rated)
    text, tone = mine.citizen_status(dossier, expected)
    return DossierRow(dossier, str(text), tone, expected)


@login_required
def my_dossiers(request: HttpRequest) -> HttpResponse:
    drafts = [_draft_row(d) for d in selectors.open_drafts(request.user)]
    page = Paginator(selectors.my_dossiers(request.user).select_related("current_step"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "portal/mine/list.html",
        {"drafts": drafts, "page": page, "rows": [_dossier_row(request, d) for d in page]},
    )


# --- one dossier -------------------------------------------------------------------------------------------


def _mine(request: HttpRequest, code: str) -> Dossier:
    try:
        return selectors.my_dossier(request.user, code)
    except NotFound as error:
        raise Http404(str(error)) from None


def _supplement_slots(
    dossier: Dossier,
    supplement: SupplementRequest,
    errors: dict[str, list[str]],
    open_: bool,
) -> list[UploadSlot]:
    uploads = selectors.supplement_uploads(supplement)
    slots = []
    for index, item in enumerate(supplement.items):
        name = mine.supplement_field(index)
        args = {"code": dossier.code, "item": index}
        pending = uploads.get(index)
        description, needed = mine.item_texts(item)
        slots.append(
            UploadSlot(
                name=name,
                label=description,
                detail=needed,
                required=open_,
                file=pending.file if pending else None,
                errors=errors.get(name, []),
                upload_url=reverse("portal:my-dossier-supplement-upload", kwargs=args),
                remove_url=reverse("portal:my-dossier-supplement-remove", kwargs=args),
            )
        )
    return slots


def _render_detail(
    request: HttpRequest,
    dossier: Dossier,
    *,
    problems: Sequence[FieldProblem] = (),
    notice: str = "",
    values: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    events = list(dossier_events(dossier))
    allowed = allowed_actions(request.user, dossier)
    rating = selectors.dossier_rating(dossier)
    expected = mine.expected_of_applicant(dossier, allowed, rating is not None)
    errors = errors_by_field(problems)
    supplement = (
        selectors.latest_supplement(dossier)
        if expected in (Expected.SUPPLEMENT, Expected.SUPPLEMENT_SENT)
        else None
    )
    slots = (
        _supplement_slots(dossier, supplement, errors, expected == Expected.SUPPLEMENT) if supplement else []
    )
    targets = {slot.name: Target(slot.id) for slot in slots} | {
        "note": Target("supplement-note"),
        "score": Target("rating-score"),
        "comment": Target("rating-comment"),
    }
    text, tone = mine.citizen_status(dossier, expected)
    fix_request = mine.latest_data(events, ActionName.REQUEST_FIX) if expected == Expected.FIX else {}
    context: dict[str, Any] = {
        "dossier": dossier,
        "status_text": text,
        "tone": tone,
        "expected": expected,
        # While the clock is stopped (a supplement awaited) the time left would mislead: it is recounted.
        "remaining": dossier_timing(dossier, timezone.now(), get_language() or "vi").remaining
        if clock_running(dossier.status)
        else None,
        "timeline": mine.timeline(events),
        "documents": [d for d in dossier_documents(dossier) if d.file_id],
        "supplement": supplement,
        "slots": slots,
        "payment_due": mine.payment_due(events) if expected == Expected.PAY else None,
        "fix_request": fix_request,
        "fix_items": [mine.item_line(i) for i in fix_request.get("items") or [] if isinstance(i, dict)],
        "result_unit": selectors.result_unit(dossier),
        "may_withdraw": ActionName.WITHDRAW in allowed,
        "rating": rating,
        "scores": Satisfaction.choices,
        "errors": errors,
        "summary": problem_summary(problems, targets),
        "notice": notice,
        "values": values or {},
        "max_bytes": upload_limit(),
        "accept_files": ACCEPT_FILES,
        "browser_messages": browser_messages(),
        "openings": [
            {
                "at": record.at,
                "name": reader_name(record),
                "unit": unit_text(record),
                "roles": roles_text(record),
                "what": kind_text(record),
            }
            for record in openings_of(dossier, request.user)
        ],
    }
    return render(request, "portal/mine/detail.html", context, status=status)


@login_required
def my_dossier(request: HttpRequest, code: str) -> HttpResponse:
    return _render_detail(request, _mine(request, code))


@login_required
def dossier_file(request: HttpRequest, code: str, pk: int) -> FileResponse:
    try:
        stored = selectors.dossier_file(request.user, code, pk)
    except NotFound as error:
        raise Http404(str(error)) from None
    # A result is served signed once its signed copy exists (ADR 0017).
    signed = signed_copy_of(stored)
    if signed is None:
        return send_file(stored)
    return send_file(stored, content=signed.file)


def _failed(request: HttpRequest, code: str, error: DomainError, values: dict[str, str]) -> HttpResponse:
    """An action refused: a stale page gets the current state; anything else its problems on the fields."""
    dossier = _mine(request, code)
    if isinstance(error, StaleVersion):
        return _render_detail(request, dossier, notice=_stale_notice(), values=values, status=409)
    problems = error.errors or [FieldProblem("", error.slug, str(error.detail))]
    return _render_detail(request, dossier, problems=problems, values=values, status=error.status)


# --- supplement --------------------------------------------------------------------------------------------


def _detail_url(code: str, anchor: str = "") -> str:
    return reverse("portal:my-dossier", kwargs={"code": code}) + (f"#{anchor}" if anchor else "")


def _supplement_slot(request: HttpRequest, code: str, item: int) -> SlotActions:
    """The upload slot of one item of the supplement asked of the user."""

    def redraw() -> UploadSlot:
        dossier = _mine(request, code)
        supplement = selectors.latest_supplement(dossier)
        assert supplement is not None
        return _supplement_slots(dossier, supplement, {}, True)[item]

    return SlotActions(
        attach=lambda upload: mine.attach_supplement_file(request.user, code, item, upload),
        remove=lambda: mine.remove_supplement_file(request.user, code, item),
        redraw=redraw,
        back_to=_detail_url(code, "supplement"),
    )


@login_required
@require_POST
def upload_supplement(request: HttpRequest, code: str, item: int) -> HttpResponse:
    return change_slot(request, _supplement_slot(request, code, item))


@login_required
@require_POST
def remove_supplement(request: HttpRequest, code: str, item: int) -> HttpResponse:
    return change_slot(request, _supplement_slot(request, code, item), remove=True)


def _store_posted_supplement_files(request: HttpRequest, dossier: Dossier) -> list[FieldProblem]:
    """Without JavaScript the files come with the "send" form: store each first."""
    supplement = selectors.latest_supplement(dossier)
    problems = []
    for index in range(len(supplement.items) if supplement else 0):
        name = mine.supplement_field(index)
        if (upload := request.FILES.get(name)) is None:
            continue
        try:
            mine.attach_supplement_file(request.user, dossier.code, index, upload)
        except DomainError as error:
            problems.append(FieldProblem(name, "upload", error_message(error)))
    return problems


@login_required
@require_POST
def send_supplement(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _mine(request, code)
    note = request.POST.get("note", "")
    values = {"note": note}
    if problems := _store_posted_supplement_files(request, dossier):
        return _render_detail(request, dossier, problems=problems, values=values, status=422)
    try:
        mine.send_supplement(request.user, code, posted_version(request), note)
    except DomainError as error:
        return _failed(request, code, error, values)
    messages.success(request, _("The documents were sent. The officer will check them and tell you."))
    return redirect(_detail_url(code))


# --- withdraw and rate -------------------------------------------------------------------------------------


@login_required
def withdraw(request: HttpRequest, code: str) -> HttpResponse:
    """A confirmation page with the reason (GET), then the withdrawal (POST)."""
    dossier = _mine(request, code)
    reason = request.POST.get("reason", "")
    problems: list[FieldProblem] = []
    notice = ""
    if request.method == "POST":
        try:
            mine.withdraw(request.user, code, posted_version(request), reason)
        except StaleVersion:
            dossier, notice = _mine(request, code), _stale_notice()
        except InvalidInput as error:
            problems = error.errors
        except DomainError as error:
            return _failed(request, code, error, {})
        else:
            messages.success(request, _("Your dossier was withdrawn."))
            return redirect(_detail_url(code))
    allowed = allowed_actions(request.user, dossier)
    if ActionName.WITHDRAW not in allowed:
        return _render_detail(request, dossier, notice=notice, status=409 if notice else 200)
    # An open dossier: the rating, asked for once it is returned, does not enter into it.
    expected = mine.expected_of_applicant(dossier, allowed, rated=False)
    text, tone = mine.citizen_status(dossier, expected)
    return render(
        request,
        "portal/mine/withdraw.html",
        {
            "dossier": dossier,
            "status_text": text,
            "tone": tone,
            "reason": reason,
            "errors": errors_by_field(problems),
            "summary": problem_summary(problems, {"reason": Target("withdraw-reason")}),
            "notice": notice,
        },
        status=409 if notice else 422 if problems else 200,
    )


@login_required
@require_POST
def rate(request: HttpRequest, code: str) -> HttpResponse:
    _mine(request, code)
    values = {"score": request.POST.get("score", ""), "comment": request.POST.get("comment", "")}
    try:
        rate_dossier(request.user, code, values["score"], values["comment"])  # type: ignore[arg-type]
    except DomainError as error:
        return _failed(request, code, error, values)
    messages.success(request, _("Thank you for rating the service."))
    return redirect(_detail_url(code, "rating"))
