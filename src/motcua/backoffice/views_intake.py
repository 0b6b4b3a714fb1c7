"""Counter intake: an officer of a one-stop counter takes in a dossier from the person at the counter.

One page and one form in four steps: find the applicant by ID number (pre-filled from their last dossier),
choose a procedure this counter receives and its case, check the required documents and the e-form, then
decide (DOMAIN.md §2.2): receive (the dossier, its code and the receipt), ask to complete (form 02, nothing is
received and no clock starts) or refuse (form 03). Every post draws the page again with what was typed; scans
are stored as they arrive and carried from post to post by id.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from motcua.backoffice.access import staff_required
from motcua.backoffice.action_forms import Widget, remembered_upload, stored_uploads
from motcua.catalog import eform
from motcua.catalog.models import Case, ProcedureVersion, RequiredDocument
from motcua.catalog.selectors import IntakeOffer, intake_offer, search_versions
from motcua.catalog.widgets import Kind
from motcua.core.errors import DomainError, FieldProblem, NotFound
from motcua.core.idempotency import Created, run_once
from motcua.dossiers.applicants import known_applicant_by_id_number
from motcua.dossiers.lifecycle import Channel, ResultDelivery
from motcua.dossiers.models import ApplicantKind, SubmittedAs
from motcua.dossiers.selectors import dossier_for
from motcua.dossiers.services.intake import Applicant, AttachedDocument, Intake, create_dossier
from motcua.org.constants import Role
from motcua.org.models import Agency
from motcua.org.selectors import agency_by_id, roles_by_agency
from motcua.printing.services import CounterNotice, counter_notice_form, form_pdf

# The procedure list of the second step: enough to scroll, few enough to read; the search narrows it.
MAX_PROCEDURES = 100
IDEMPOTENCY_SCOPE = "backoffice.intake"

# The ID number comes first: the page draws it apart, beside the button that looks the person up.
APPLICANT_FIELDS = (
    ("id_number", Kind.TEXT, gettext_lazy("ID number (12 digits)")),
    ("full_name", Kind.TEXT, gettext_lazy("Full name")),
    ("date_of_birth", Kind.DATE, gettext_lazy("Date of birth")),
    ("phone", Kind.TEL, gettext_lazy("Phone")),
    ("email", Kind.EMAIL, gettext_lazy("E-mail")),
    ("address", Kind.TEXT, gettext_lazy("Address")),
)
REPRESENTATIVE_FIELDS = (
    ("full_name", Kind.TEXT, gettext_lazy("Representative's full name")),
    ("id_number", Kind.TEXT, gettext_lazy("Representative's ID number")),
    ("phone", Kind.TEL, gettext_lazy("Representative's phone")),
    ("authorisation", Kind.TEXT, gettext_lazy("Authorisation (number and date of the document)")),
)
REQUIRED_APPLICANT = frozenset({"full_name", "id_number"})
# The names of the plain fields, each the path the services report problems under.
PLAIN_FIELDS = (
    *(f"applicant.{name}" for name, *_ in APPLICANT_FIELDS),
    *(f"representative.{name}" for name, *_ in REPRESENTATIVE_FIELDS),
    "q",
    "procedure",
    "case",
    "receiving_unit",
    "result_delivery",
    "fix_reason",
    "fix_items",
    "refuse_reason",
    "looked_up",
    "token",
)
# The service names a document's problem by its place in the list sent; the page by its requirement.
DOCUMENT_ATTRIBUTES = {
    "requirement": "received",
    "file": "scan",
    "submitted_as": "submitted_as",
    "copies": "copies",
}


@dataclass
class Checklist:
    """One required document on the page: what the case expects and what the counter received."""

    requirement: RequiredDocument
    received: Widget
    submitted_as: Widget
    copies: Widget
    scan: Widget

    @property
    def expected(self) -> str:
        """What the procedure asks for: "1 original, 2 copies"."""
        originals, copies = self.requirement.originals, self.requirement.copies
        counts = [
            ngettext("%(count)d original", "%(count)d originals", originals) % {"count": originals}
            if originals
            else "",
            ngettext("%(count)d copy", "%(count)d copies", copies) % {"count": copies} if copies else "",
        ]
        return ", ".join(c for c in counts if c)


@dataclass
class IntakePage:
    values: dict[str, str]
    counters: list[Agency]
    offer: IntakeOffer | None = None
    case: Case | None = None
    answers: dict[str, str] = field(default_factory=dict)
    documents: dict[int, AttachedDocument] = field(default_factory=dict)  # what was received, by requirement
    shown_documents: set[int] = field(default_factory=set)  # requirements whose row was on the posted page
    problems: list[FieldProblem] = field(default_factory=list)
    notice: str = ""  # what the ID-number lookup found


def counter_units(user: User) -> list[Agency]:
    """The agencies in which the user receives dossiers as a counter officer."""
    held = roles_by_agency(user)
    units = [agency_by_id(agency_id) for agency_id, roles in held.items() if Role.COUNTER_OFFICER in roles]
    return sorted(units, key=lambda unit: unit.identity_code)


def receivable_versions(units: Iterable[Agency], q: str) -> QuerySet[ProcedureVersion]:
    """Procedure versions in force that one of `units` receives, matching the search words."""
    ids = [unit.pk for unit in units]
    receiving = ProcedureVersion.objects.filter(receiving_units__in=ids).values("pk")
    return search_versions(q).filter(Q(pk__in=receiving) | Q(competent_agency_id__in=ids))


# --- reading the posted page -------------------------------------------------------------------------------


def _read(request: HttpRequest, counters: list[Agency]) -> IntakePage:
    values = {name: request.POST.get(name, "").strip() for name in PLAIN_FIELDS}
    page = IntakePage(values, counters)
    _resolve_procedure(page)
    if page.case is not None:
        page.answers = eform.read_answers(eform.schema_fields(page.case.form_schema or {}), request.POST)
        for requirement in page.case.documents.all():
            _read_document(request, page, requirement)
    return page


def _resolve_procedure(page: IntakePage) -> None:
    """The offer of the chosen procedure, and its case when one is chosen or it has only one."""
    code = page.values["procedure"]
    page.offer = intake_offer(code, timezone.localdate()) if code else None
    if page.offer is None:
        return
    cases = page.offer.cases
    if page.values["case"] not in cases and len(cases) == 1:
        page.values["case"] = next(iter(cases))
    page.case = cases.get(page.values["case"])


def _read_document(request: HttpRequest, page: IntakePage, requirement: RequiredDocument) -> None:
    prefix = f"doc-{requirement.pk}"
    if request.POST.get(f"{prefix}-shown") != "1":
        return
    page.shown_documents.add(requirement.pk)
    page.values[f"{prefix}-submitted_as"] = request.POST.get(f"{prefix}-submitted_as", "")
    page.values[f"{prefix}-copies"] = copies = request.POST.get(f"{prefix}-copies", "").strip()
    scan = remembered_upload(request, f"{prefix}-scan", page.problems)
    page.values[f"{prefix}-scan"] = str(scan or "")
    if request.POST.get(f"{prefix}-received") != "yes":
        return
    page.values[f"{prefix}-received"] = "yes"
    page.documents[requirement.pk] = AttachedDocument(
        requirement=requirement.pk,
        file=scan,
        submitted_as=page.values[f"{prefix}-submitted_as"],
        # Not a number: no count at all, which the service refuses on this field with its own message.
        copies=int(copies) if copies.isdigit() else 0,
    )


# --- what a post does -----------------------------------------------------------------------------------


def _find_applicant(page: IntakePage) -> None:
    id_number = page.values["applicant.id_number"]
    if not id_number:
        # Enter pressed in any field submits with the first button, Find: with no number it only redraws.
        return
    known = known_applicant_by_id_number(id_number)
    if known is None:
        page.notice = _("No earlier dossier has this ID number: enter the applicant's details.")
        return
    # A new number replaces what the page holds; the same number again only fills what is still empty, so
    # that a correction the officer typed is not undone.
    replace = page.values["looked_up"] != id_number
    found = {
        "full_name": known.full_name,
        "date_of_birth": known.date_of_birth.isoformat() if known.date_of_birth else "",
        "phone": known.phone,
        "email": known.email,
        "address": known.address,
    }
    for name, value in found.items():
        if replace or not page.values[f"applicant.{name}"]:
            page.values[f"applicant.{name}"] = value
    page.values["looked_up"] = id_number
    page.notice = _("This person applied before: their details are filled in. Check them with the applicant.")


def _applicant(page: IntakePage) -> Applicant:
    raw_birth = page.values["applicant.date_of_birth"]
    birth = eform.parse_date(raw_birth)
    if raw_birth and birth is None:
        page.problems.append(FieldProblem("applicant.date_of_birth", "invalid", _("Enter a valid date.")))
    return Applicant(
        kind=ApplicantKind.PERSON,
        full_name=page.values["applicant.full_name"],
        id_number=page.values["applicant.id_number"],
        date_of_birth=birth,
        phone=page.values["applicant.phone"],
        email=page.values["applicant.email"],
        address=page.values["applicant.address"],
    )


def _representative(page: IntakePage) -> dict[str, Any] | None:
    given = {name: page.values[f"representative.{name}"] for name, *_ in REPRESENTATIVE_FIELDS}
    if not any(given.values()):
        return None
    if not given["full_name"]:
        page.problems.append(
            FieldProblem("representative.full_name", "required", _("Enter the representative's name."))
        )
    return given


def _intake(page: IntakePage) -> Intake:
    applicant = _applicant(page)
    representative = _representative(page)
    form: dict[str, Any] = {}
    if page.case is not None and page.case.form_schema:
        form, conversion = eform.typed_answers(eform.schema_fields(page.case.form_schema), page.answers)
        page.problems += conversion
    return Intake(
        procedure=page.values["procedure"],
        case=page.values["case"] or None,
        channel=Channel.COUNTER,
        applicant=applicant,
        form=form,
        documents=list(page.documents.values()),
        receiving_unit=page.values["receiving_unit"] or None,
        result_delivery=page.values["result_delivery"] or ResultDelivery.COUNTER,
        representative=representative,
    )


def _service_problems(page: IntakePage, error: DomainError) -> list[FieldProblem]:
    """The service's problems, named as the page names its inputs (documents by requirement, not position)."""
    order = list(page.documents)
    problems = []
    for problem in error.errors or [FieldProblem("", error.slug, str(error.detail))]:
        parts = problem.field.split(".")
        if parts[0] == "documents" and len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(order):
            name = f"doc-{order[int(parts[1])]}-{DOCUMENT_ATTRIBUTES.get(parts[2], 'received')}"
            problems.append(FieldProblem(name, problem.code, problem.message))
        else:
            problems.append(problem)
    return problems


def _accept(request: HttpRequest, page: IntakePage) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    intake = _intake(page)
    if page.problems:
        return _render(request, page, status=422)

    def receive() -> Created:
        code = create_dossier(user, intake).code
        return 201, code, {"code": code}

    try:
        # The form's one-time token makes a second click (or a reload) answer with the first dossier. Its
        # fingerprint is constant: a repeat stores its scans again under new ids, yet it is the same intake.
        _, body = run_once(
            user,
            IDEMPOTENCY_SCOPE,
            page.values["token"] or None,
            {},
            receive,
            replay=lambda code: {"code": code},
        )
    except DomainError as error:
        page.problems += _service_problems(page, error)
        return _render(request, page, status=error.status)
    return redirect(f"{reverse('backoffice:intake')}?{urlencode({'done': body['code']})}")


def _items_to_complete(page: IntakePage) -> tuple[str, ...]:
    """The required documents not received, then the officer's own lines."""
    missing = [
        requirement.name
        for requirement in (page.case.documents.all() if page.case else [])
        if requirement.mandatory and requirement.pk not in page.documents
    ]
    typed = [line.strip() for line in page.values["fix_items"].splitlines() if line.strip()]
    return (*missing, *typed)


def _counter_notice(request: HttpRequest, page: IntakePage, form: str) -> HttpResponse:
    """Form 02 (ask to complete) or form 03 (refuse) as a PDF: nothing is received, no dossier is created."""
    user: User = request.user  # type: ignore[assignment]
    reason_field = "fix_reason" if form == "supplement" else "refuse_reason"
    if page.offer is None:
        page.problems.append(FieldProblem("procedure", "required", _("Choose the procedure first.")))
    if not page.values["applicant.full_name"]:
        page.problems.append(
            FieldProblem("applicant.full_name", "required", _("Enter the applicant's name."))
        )
    unit = _receiving_unit(page)
    if page.problems or page.offer is None or unit is None:
        return _render(request, page, status=422)
    notice = CounterNotice(
        unit=unit,
        officer=user,
        applicant_name=page.values["applicant.full_name"],
        applicant_phone=page.values["applicant.phone"],
        applicant_address=page.values["applicant.address"],
        procedure_version=page.offer.version,
        reason=page.values[reason_field],
        items=_items_to_complete(page) if form == "supplement" else (),
    )
    try:
        printed = counter_notice_form(form, notice, now=timezone.now())
    except DomainError as error:
        names = {"reason": reason_field, "items": "fix_items"}
        page.problems += [FieldProblem(names.get(p.field, p.field), p.code, p.message) for p in error.errors]
        return _render(request, page, status=error.status)
    response = HttpResponse(form_pdf(printed), content_type="application/pdf")
    number = printed.form.number
    response["Content-Disposition"] = f'inline; filename="mau-{number}-{timezone.localdate():%Y%m%d}.pdf"'
    return response


def _receiving_unit(page: IntakePage) -> Agency | None:
    if len(page.counters) == 1:
        return page.counters[0]
    chosen = next((u for u in page.counters if u.identity_code == page.values["receiving_unit"]), None)
    if chosen is None:
        page.problems.append(
            FieldProblem("receiving_unit", "required", _("Choose the counter you receive at."))
        )
    return chosen


# --- drawing the page --------------------------------------------------------------------------------------


def _html_id(name: str) -> str:
    return "intake-" + name.replace(".", "-")


def _messages(page: IntakePage, name: str) -> list[str]:
    return [str(p.message) for p in page.problems if p.field == name]


def _widget(page: IntakePage, name: str, kind: str, label: Any, **extra: Any) -> Widget:
    return Widget(
        html_id=_html_id(name),
        name=name,
        label=label,
        kind=kind,
        value=page.values.get(name, ""),
        errors=_messages(page, name),
        **extra,
    )


def _checklist(page: IntakePage, user: User) -> list[Checklist]:
    if page.case is None:
        return []
    scans = [int(v) for k, v in page.values.items() if k.endswith("-scan") and v.isdigit()]
    uploads = stored_uploads(user, scans)
    rows = []
    for requirement in page.case.documents.all():
        prefix = f"doc-{requirement.pk}"
        if requirement.pk not in page.shown_documents:
            # A row seen for the first time proposes what the case expects to be handed in.
            expected = SubmittedAs.ORIGINAL if requirement.originals else SubmittedAs.PHOTOCOPY
            page.values[f"{prefix}-submitted_as"] = str(expected)
            page.values[f"{prefix}-copies"] = str(requirement.originals or requirement.copies or 1)
        scan = page.values.get(f"{prefix}-scan", "")
        about = {"sr_suffix": requirement.name}
        rows.append(
            Checklist(
                requirement=requirement,
                received=_widget(page, f"{prefix}-received", Kind.CHECKBOX, _("Handed in"), **about),
                submitted_as=_widget(
                    page,
                    f"{prefix}-submitted_as",
                    Kind.SELECT,
                    _("Handed in as"),
                    choices=[(value, str(label)) for value, label in SubmittedAs.choices],
                    **about,
                ),
                copies=_widget(page, f"{prefix}-copies", Kind.NUMBER, _("Number of copies"), **about),
                scan=_widget(
                    page,
                    f"{prefix}-scan",
                    Kind.FILE,
                    _("Scan"),
                    help=_("Optional: a PDF or a photo of the document."),
                    stored=uploads.get(int(scan)) if scan.isdigit() else None,
                    **about,
                ),
            )
        )
    return rows


def _anchor(name: str, known: set[str]) -> str:
    """The id of the input a problem is about, or of the section it belongs to."""
    if name in known:
        return _html_id(name)
    if name.startswith(f"{eform.FORM_PREFIX}."):
        return eform.field_id(name)
    if name.startswith("documents"):
        return "intake-documents"
    return "intake-procedure-section" if name in ("channel", "receiving_unit") else "intake-decision"


def _render(request: HttpRequest, page: IntakePage, status: int = 200) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    versions = list(receivable_versions(page.counters, page.values["q"])[:MAX_PROCEDURES])
    if page.offer is not None and page.offer.version.pk not in {v.pk for v in versions}:
        versions.insert(0, page.offer.version)  # the chosen procedure stays listed whatever the search says
    if not page.values["token"]:
        page.values["token"] = secrets.token_urlsafe(16)
    page.values["result_delivery"] = page.values["result_delivery"] or ResultDelivery.COUNTER
    widgets: dict[str, Widget] = {}

    def add(name: str, kind: str, label: Any, **extra: Any) -> Widget:
        widgets[name] = _widget(page, name, kind, label, **extra)
        return widgets[name]

    for name, kind, label in APPLICANT_FIELDS:
        # The officer types someone else's details: the browser's own are never to be offered.
        add(f"applicant.{name}", kind, label, required=name in REQUIRED_APPLICANT, autocomplete="off")
    for name, kind, label in REPRESENTATIVE_FIELDS:
        add(f"representative.{name}", kind, label)
    add("q", Kind.SEARCH, _("Search procedures"), help=_("Words of the name, or the code."))
    add(
        "procedure",
        Kind.SELECT,
        _("Procedure"),
        required=True,
        choices=[(v.procedure.local_code, f"{v.name} ({v.procedure.local_code})") for v in versions],
    )
    if page.offer is not None:
        add(
            "case",
            Kind.SELECT,
            _("Case"),
            required=True,
            choices=[(c.code, c.name) for c in page.offer.cases.values()],
        )
    if len(page.counters) > 1:
        choices = [(u.identity_code, f"{u.name} ({u.identity_code})") for u in page.counters]
        add("receiving_unit", Kind.SELECT, _("Receiving counter"), required=True, choices=choices)
    add(
        "result_delivery",
        Kind.SELECT,
        _("The result is returned"),
        choices=[(value, str(label)) for value, label in ResultDelivery.choices],
    )
    add("fix_reason", Kind.TEXTAREA, _("Reason"), required=True)
    add(
        "fix_items",
        Kind.TEXTAREA,
        _("Other documents to add or correct"),
        help=_("One per line. The required documents not ticked as received are listed automatically."),
    )
    add("refuse_reason", Kind.TEXTAREA, _("Reason for refusing"), required=True)
    checklist = _checklist(page, user)
    known = set(widgets) | {
        w.name for row in checklist for w in (row.received, row.submitted_as, row.copies, row.scan)
    }
    schema = page.case.form_schema if page.case is not None else {}
    context = {
        "page": page,
        # Templates cannot look up a key holding a dot: "applicant.full_name" is "applicant_full_name" there.
        "w": {name.replace(".", "_"): widget for name, widget in widgets.items()},
        "representative": [widgets[f"representative.{name}"] for name, *_ in REPRESENTATIVE_FIELDS],
        "applicant": [widgets[f"applicant.{name}"] for name, *_ in APPLICANT_FIELDS[1:]],
        "checklist": checklist,
        "eform": eform.bind(eform.schema_fields(schema), page.answers, eform.errors_by_field(page.problems))
        if schema
        else [],
        "errors": [(str(p.message), _anchor(p.field, known)) for p in page.problems],
        "representative_open": any(page.values[f"representative.{n}"] for n, *_ in REPRESENTATIVE_FIELDS),
    }
    return render(request, "backoffice/intake/page.html", context, status=status)


def _received(request: HttpRequest, code: str) -> HttpResponse:
    try:
        dossier = dossier_for(request.user, code)
    except NotFound:
        raise Http404(_("No dossier %s is visible to you.") % code) from None
    return render(request, "backoffice/intake/done.html", {"dossier": dossier})


# --- the view ----------------------------------------------------------------------------------------------

OUTCOMES = {
    "accept": _accept,
    "fix": lambda request, page: _counter_notice(request, page, "supplement"),
    "refuse": lambda request, page: _counter_notice(request, page, "refusal"),
}


@require_http_methods(["GET", "POST"])
@staff_required
def intake(request: HttpRequest) -> HttpResponse:
    counters = counter_units(request.user)  # type: ignore[arg-type]
    if not counters:
        return render(request, "backoffice/intake/not_counter.html", status=403)
    if request.method != "POST":
        if code := request.GET.get("done"):
            return _received(request, code)
        return _render(request, IntakePage({name: "" for name in PLAIN_FIELDS}, counters))
    page = _read(request, counters)
    op = request.POST.get("op", "")
    if op in OUTCOMES:
        return OUTCOMES[op](request, page)
    if op == "find":
        _find_applicant(page)
    return _render(request, page)
