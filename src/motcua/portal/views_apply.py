"""Applying online: choose the case, fill in the application (saved as a draft), upload the documents, review,
submit once, see the confirmation. Thin views over portal.applications and portal.selectors."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile as DjangoUpload
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from motcua.catalog.eform import (
    EField,
    bind,
    browser_messages,
    errors_by_field,
    field_id,
    leaves,
    read_answers,
)
from motcua.catalog.models import RequiredDocument
from motcua.catalog.widgets import error_id
from motcua.core.errors import Conflict, DomainError, FieldProblem, InvalidInput, NotFound, StaleVersion
from motcua.core.links import absolute_url
from motcua.dossiers.models import UploadedFile
from motcua.portal import applications, selectors
from motcua.portal.applications import ApplicationForm
from motcua.portal.models import ApplicationDraft

# What the file pickers offer; the server checks the content whatever the name says (dossiers.services.files).
ACCEPT_FILES = ".pdf,.jpg,.jpeg,.png,.tif,.tiff,.webp,.heic,.doc,.docx,.xls,.xlsx,.odt,.ods"


# --- shared by the applicant's pages -----------------------------------------------------------------------


@dataclass(frozen=True)
class SummaryEntry:
    message: str
    href: str  # the field's anchor on the page; empty when the problem concerns no single field


@dataclass(frozen=True)
class Target:
    """Where a problem about a field is shown: the input's id, and the label that names it in the summary
    (none when the message names the thing already, as "Missing required document: …" does)."""

    id: str
    label: str = ""


def problem_summary(problems: Iterable[FieldProblem], targets: dict[str, Target]) -> list[SummaryEntry]:
    """The error summary at the top of a page, in the order of the fields on it (`targets` lists them in that
    order); each entry links to its field."""
    order = {name: index for index, name in enumerate(targets)}
    entries = []
    for problem in sorted(problems, key=lambda p: order.get(p.field, -1)):
        target = targets.get(problem.field)
        message = str(problem.message)
        if target is not None and target.label:
            message = _("%(field)s: %(problem)s") % {"field": target.label, "problem": message}
        entries.append(SummaryEntry(message, f"#{target.id}" if target else ""))
    return entries


def wants_json(request: HttpRequest) -> bool:
    """The upload script asks for JSON; a plain form post gets a page."""
    return "application/json" in request.headers.get("Accept", "")


def posted_version(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return 0


def error_message(error: DomainError) -> str:
    return "; ".join(str(p.message) for p in error.errors) or str(error.detail)


def unavailable(request: HttpRequest, error: DomainError, procedure_code: str = "") -> HttpResponse:
    """A page that says why the application cannot go on (not offered online, not a citizen's account…)."""
    return render(
        request,
        "portal/apply/unavailable.html",
        {"message": error_message(error), "procedure_code": procedure_code},
        status=error.status,
    )


def send_file(stored: UploadedFile, content: File | None = None) -> FileResponse:
    """An uploaded file, shown in the browser under its own name, as the type its content was found to be;
    `content` serves other bytes of the same type under that name (the signed copy of a result)."""
    response = FileResponse(
        (content or stored.file).open("rb"), content_type=stored.content_type, filename=stored.original_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def upload_limit() -> int:
    return int(settings.MOTCUA_MAX_UPLOAD_BYTES)


# --- choosing the case and starting ------------------------------------------------------------------------


@login_required
def apply(request: HttpRequest, code: str) -> HttpResponse:
    """Start or resume the draft for the procedure; ask for the case first when it has several."""
    try:
        applications.require_citizen(request.user)
        offer, cases = applications.online_cases(code)
    except DomainError as error:
        return unavailable(request, error, code)
    case_code = request.GET.get("case", "") or (cases[0].code if len(cases) == 1 else "")
    problems: list[FieldProblem] = []
    if case_code:
        try:
            draft = applications.start_application(request.user, code, case_code)
        except InvalidInput as error:
            problems = error.errors
        except DomainError as error:
            return unavailable(request, error, code)
        else:
            return redirect("portal:application", pk=draft.pk)
    return render(
        request,
        "portal/apply/choose_case.html",
        {
            "version": offer.version,
            "procedure_code": code,
            "cases": cases,
            "summary": problem_summary(problems, {"case": Target("case-choice")}),
            "case_errors": [str(p.message) for p in problems],
        },
        status=422 if problems else 200,
    )


# --- the application page ----------------------------------------------------------------------------------


@dataclass
class UploadSlot:
    """One file the page asks for (a required document, a requested supplement item): what is uploaded for
    it, and what is wrong. The same template and script serve every such slot."""

    name: str  # the file input's name, and the path of problems about it
    label: str
    detail: str
    required: bool
    file: UploadedFile | None
    errors: list[str]
    upload_url: str
    remove_url: str
    file_url: str = ""
    # Without JavaScript, removing goes through the page's own form under this intent, which saves the rest.
    remove_intent: str = ""

    @property
    def id(self) -> str:
        return field_id(self.name)

    @property
    def error_id(self) -> str:
        return error_id(self.id)


def _copies_text(requirement: RequiredDocument) -> str:
    parts = []
    if requirement.originals:
        count = requirement.originals
        parts.append(ngettext("%(count)d original", "%(count)d originals", count) % {"count": count})
    if requirement.copies:
        count = requirement.copies
        parts.append(ngettext("%(count)d copy", "%(count)d copies", count) % {"count": count})
    return ", ".join(parts)


def _slots(draft: ApplicationDraft, form: ApplicationForm, errors: dict[str, list[str]]) -> list[UploadSlot]:
    uploaded = selectors.draft_documents(draft)
    slots = []
    for requirement in form.requirements:
        name = applications.document_field(requirement.pk)
        document = uploaded.get(requirement.pk)
        args = {"pk": draft.pk, "requirement": requirement.pk}
        slots.append(
            UploadSlot(
                name=name,
                label=requirement.name,
                detail=_copies_text(requirement),
                required=requirement.mandatory,
                file=document.file if document else None,
                errors=errors.get(name, []),
                upload_url=reverse("portal:application-upload", kwargs=args),
                remove_url=reverse("portal:application-remove", kwargs=args),
                file_url=reverse("portal:application-file", kwargs=args),
                remove_intent=f"remove:{requirement.pk}",
            )
        )
    return slots


def slot_json(request: HttpRequest, slot: UploadSlot, status: int = 200) -> JsonResponse:
    """The slot re-drawn by the server, for the upload script to put in place of the old one."""
    html = render_to_string(
        "portal/apply/_upload_slot.html", {"slot": slot, "accept_files": ACCEPT_FILES}, request
    )
    return JsonResponse({"html": html}, status=status)


def _targets(form: ApplicationForm) -> dict[str, Target]:
    """Every place a problem can be shown on the application page, in the page's order."""
    targets = {f.name: Target(f.id, str(f.label)) for f in leaves([*form.applicant, *form.representative])}
    for field in form.form:
        targets[field.name] = Target(field.id, str(field.label))
        targets |= {leaf.name: Target(leaf.id, str(leaf.label)) for leaf in field.leaves()}
    targets["documents"] = Target("documents")
    targets |= {
        applications.document_field(r.pk): Target(f"field-documents-{r.pk}") for r in form.requirements
    }
    targets |= {f.name: Target(f.id, str(f.label)) for f in form.delivery}
    return targets


def _render_application(
    request: HttpRequest,
    draft: ApplicationDraft,
    form: ApplicationForm,
    answers: dict[str, str],
    problems: Sequence[FieldProblem] = (),
    *,
    version: int,
    notice: str = "",
    status: int = 200,
) -> HttpResponse:
    errors = errors_by_field(problems)
    representative_given = any(answers.get(f.name) for f in form.representative) or any(
        f.name in errors for f in form.representative
    )
    return render(
        request,
        "portal/apply/application.html",
        {
            "draft": draft,
            "draft_version": version,
            "version": form.offer.version,
            "case": form.case,
            "several_cases": len(form.offer.cases) > 1,
            "applicant_fields": bind(form.applicant, answers, errors),
            "representative_fields": bind(form.representative, answers, errors),
            "representative_open": representative_given,
            "form_fields": bind(form.form, answers, errors),
            "form_title": form.case.form_schema.get("title", ""),
            "delivery_fields": bind(form.delivery, answers, errors),
            "slots": _slots(draft, form, errors),
            "summary": problem_summary(problems, _targets(form)),
            "notice": notice,
            "browser_messages": browser_messages(),
            "max_bytes": upload_limit(),
            "accept_files": ACCEPT_FILES,
        },
        status=status,
    )


def _draft(request: HttpRequest, pk: int) -> ApplicationDraft:
    try:
        return selectors.draft_for(request.user, pk)
    except NotFound as error:
        raise Http404(str(error)) from None


def _open_draft(request: HttpRequest, pk: int) -> tuple[ApplicationDraft, ApplicationForm] | HttpResponse:
    """The draft still being written, with its form; or where to go instead: the submitted page once it is
    sent, the unavailable page when its procedure is no longer offered online."""
    draft = _draft(request, pk)
    if draft.dossier_id is not None:
        return redirect("portal:application-submitted", pk=pk)
    try:
        return draft, applications.application_form(draft)
    except DomainError as error:
        return unavailable(request, error, draft.procedure.local_code)


def _store_posted_files(
    request: HttpRequest, draft: ApplicationDraft, form: ApplicationForm
) -> list[FieldProblem]:
    """Without JavaScript the files come with the form itself: store each, and say which were refused."""
    problems = []
    for requirement in form.requirements:
        upload = request.FILES.get(applications.document_field(requirement.pk))
        if upload is None:
            continue
        try:
            applications.attach_document(request.user, draft.pk, requirement.pk, upload)
        except DomainError as error:
            problems.append(
                FieldProblem(applications.document_field(requirement.pk), "upload", error_message(error))
            )
    return problems


@login_required
def application(request: HttpRequest, pk: int) -> HttpResponse:
    """The application form: GET shows the draft (with its problems after ?check=1); POST saves it, and then
    removes a document, goes on to the review, or stays."""
    opened = _open_draft(request, pk)
    if isinstance(opened, HttpResponse):
        return opened
    draft, form = opened
    if request.method != "POST":
        problems = applications.check_application(request.user, draft) if request.GET.get("check") else []
        return _render_application(
            request,
            draft,
            form,
            draft.answers,
            problems,
            version=draft.version,
            status=422 if problems else 200,
        )

    answers = read_answers(form.fields, request.POST)
    intent = request.POST.get("intent", "save")
    upload_problems = _store_posted_files(request, draft, form)
    try:
        draft = applications.save_draft(request.user, pk, posted_version(request), answers)
    except StaleVersion as error:
        # Nothing is lost: the page shows what this tab sent, with the version now current, to save over it.
        current = selectors.draft_for(request.user, pk)
        return _render_application(
            request,
            current,
            form,
            answers,
            upload_problems,
            version=current.version,
            notice=str(error.detail),
            status=409,
        )
    except Conflict:
        return redirect("portal:application-submitted", pk=pk)

    if intent.startswith("remove:") and intent[7:].isdigit():
        applications.remove_document(request.user, pk, int(intent[7:]))
        messages.success(request, _("The file was removed. Your answers are saved."))
        return redirect(reverse("portal:application", kwargs={"pk": pk}) + "#documents")
    if upload_problems:
        return _render_application(
            request, draft, form, answers, upload_problems, version=draft.version, status=422
        )
    if intent == "review":
        if problems := applications.check_application(request.user, draft):
            return _render_application(
                request, draft, form, answers, problems, version=draft.version, status=422
            )
        return redirect("portal:application-review", pk=pk)
    messages.success(request, _("Your draft is saved. You can come back to it from “My dossiers”."))
    return redirect("portal:application", pk=pk)


@login_required
@require_POST
def discard(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        applications.discard_draft(request.user, pk)
    except NotFound as error:
        raise Http404(str(error)) from None
    except Conflict:
        return redirect("portal:application-submitted", pk=pk)
    messages.success(request, _("The draft was deleted."))
    return redirect("portal:my-dossiers")


# --- uploads -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SlotActions:
    """What the upload and remove buttons of one upload slot do: store a file for it, remove that file, and
    redraw the slot for the upload script; `back_to` is where a plain form post returns (the page, at the
    slot or its section)."""

    attach: Callable[[DjangoUpload], object]
    remove: Callable[[], object]
    redraw: Callable[[], UploadSlot]
    back_to: str


def change_slot(request: HttpRequest, slot: SlotActions, *, remove: bool = False) -> HttpResponse:
    """The one handler of every upload slot's upload (a file posted as "file") and remove buttons: the upload
    script gets the slot redrawn, or the error as JSON; a plain form post goes back to the page with a
    message."""
    try:
        if remove:
            slot.remove()
        else:
            upload = request.FILES.get("file")
            if upload is None:
                raise InvalidInput.field("file", "required", _("Choose a file to upload."))
            slot.attach(upload)
    except NotFound as error:
        raise Http404(str(error)) from None
    except DomainError as error:
        return upload_failed(request, error, slot.back_to)
    if not wants_json(request):
        if not remove:
            messages.success(request, _("The file was uploaded."))
        return redirect(slot.back_to)
    return slot_json(request, slot.redraw(), 200 if remove else 201)


def upload_failed(request: HttpRequest, error: DomainError, back_to: str) -> HttpResponse:
    message = error_message(error)
    if wants_json(request):
        return JsonResponse({"error": message}, status=error.status)
    messages.error(request, message)
    return redirect(back_to)


def _document_slot(request: HttpRequest, pk: int, requirement: int) -> SlotActions:
    """The upload slot of one required document of the user's draft."""

    def redraw() -> UploadSlot:
        draft = _draft(request, pk)
        slots = _slots(draft, applications.application_form(draft), {})
        return next(s for s in slots if s.name == applications.document_field(requirement))

    return SlotActions(
        attach=lambda upload: applications.attach_document(request.user, pk, requirement, upload),
        remove=lambda: applications.remove_document(request.user, pk, requirement),
        redraw=redraw,
        back_to=reverse("portal:application", kwargs={"pk": pk}) + f"#field-documents-{requirement}",
    )


@login_required
@require_POST
def upload_document(request: HttpRequest, pk: int, requirement: int) -> HttpResponse:
    return change_slot(request, _document_slot(request, pk, requirement))


@login_required
@require_POST
def remove_document(request: HttpRequest, pk: int, requirement: int) -> HttpResponse:
    return change_slot(request, _document_slot(request, pk, requirement), remove=True)


@login_required
def document_file(request: HttpRequest, pk: int, requirement: int) -> FileResponse:
    try:
        return send_file(selectors.draft_file(request.user, pk, requirement))
    except NotFound as error:
        raise Http404(str(error)) from None


# --- review, submission, confirmation ----------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    label: str
    value: str
    children: tuple[Answer, ...] = ()


def _shown(field: EField, answers: dict[str, str]) -> Answer:
    if field.is_group:
        return Answer(str(field.label), "", tuple(_shown(c, answers) for c in field.children))
    raw = (answers.get(field.name) or "").strip()
    if field.widget == "checkbox":
        return Answer(str(field.label), _("Yes") if raw in ("on", "true", "1") else _("No"))
    labels = {value: str(label) for value, label in field.choices}
    return Answer(str(field.label), labels.get(raw, raw))


def _answers(fields: Iterable[EField], answers: dict[str, str], skip_empty: bool = False) -> list[Answer]:
    shown = [_shown(f, answers) for f in fields]
    return [a for a in shown if a.value or a.children or not skip_empty]


@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: everything entered, for a last look. POST: submit, once."""
    opened = _open_draft(request, pk)
    if isinstance(opened, HttpResponse):
        return opened
    draft, form = opened
    if request.method == "POST":
        return _submit(request, draft, form)
    if applications.check_application(request.user, draft):
        return redirect(reverse("portal:application", kwargs={"pk": pk}) + "?check=1")
    answers = draft.answers
    return render(
        request,
        "portal/apply/review.html",
        {
            "draft": draft,
            "version": form.offer.version,
            "case": form.case,
            "applicant": _answers(form.applicant, answers, skip_empty=True),
            "representative": _answers(form.representative, answers, skip_empty=True),
            "form_answers": _answers(form.form, answers),
            "form_title": form.case.form_schema.get("title", ""),
            "delivery": _answers(form.delivery, answers),
            "slots": _slots(draft, form, {}),
        },
    )


def _submit(request: HttpRequest, draft: ApplicationDraft, form: ApplicationForm) -> HttpResponse:
    try:
        applications.submit_application(request.user, draft.pk, posted_version(request))
    except StaleVersion:
        messages.warning(
            request,
            _("This application was changed in another tab or window. Check it again before you submit it."),
        )
        return redirect("portal:application-review", pk=draft.pk)
    except InvalidInput as error:
        return _render_application(
            request, draft, form, draft.answers, error.errors, version=draft.version, status=422
        )
    except DomainError as error:
        return unavailable(request, error, draft.procedure.local_code)
    return redirect("portal:application-submitted", pk=draft.pk)


def public_lookup_url(request: HttpRequest, code: str, key: str) -> str:
    """The address that shows the dossier's status to whoever holds it (with its lookup key): the QR code's
    target."""
    return absolute_url(reverse("portal:lookup-code", kwargs={"code": code}) + "?" + urlencode({"key": key}))


def qr_svg(url: str, title: str) -> str:
    return segno.make(url, error="m").svg_inline(scale=4, border=2, omitsize=True, title=title)


@login_required
def submitted(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        draft = selectors.draft_for(request.user, pk)
    except NotFound as error:
        raise Http404(str(error)) from None
    if draft.dossier_id is None:
        return redirect("portal:application", pk=pk)
    dossier = draft.dossier
    assert dossier is not None
    lookup_url = public_lookup_url(request, dossier.code, dossier.lookup_key)
    context: dict[str, Any] = {
        "draft": draft,
        "dossier": dossier,
        "procedure_name": dossier.procedure_version.name,
        "lookup_url": lookup_url,
        "qr": qr_svg(lookup_url, _("QR code of the address to follow dossier %s") % dossier.code),
        "result_delivery": dossier.get_result_delivery_display(),
    }
    return render(request, "portal/apply/submitted.html", context)
