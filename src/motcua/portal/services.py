"""The applicant's side of the portal: applying online through a draft that is saved, resumed, checked and
submitted once; and, for a dossier of their own, what it means now and what they can do about it (send a
supplement, withdraw, rate the service).

Every rule of the dossier itself stays in the dossiers app: a submission goes through
`intake.create_dossier`, every change through `actions.take_action` with the version the page showed, a rating
through `feedback.rate_dossier`. What is decided here is only what a citizen's page needs on top of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from dataclasses import fields as dataclass_fields
from enum import StrEnum
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.core.files.uploadedfile import UploadedFile as DjangoUpload
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.catalog.constants import OnlineLevel
from motcua.catalog.models import Case, RequiredDocument
from motcua.catalog.selectors import IntakeOffer, intake_offer
from motcua.core.errors import Conflict, FieldProblem, InvalidInput, NotFound, PermissionDenied, StaleVersion
from motcua.dossiers.applicants import KnownApplicant, known_applicant_for_user
from motcua.dossiers.lifecycle import (
    ACTIONS,
    ActionName,
    Channel,
    CreationEvent,
    ResultDelivery,
    Status,
    is_finished,
    may_be_rated,
)
from motcua.dossiers.models import (
    ApplicantKind,
    Dossier,
    DossierEvent,
    Rating,
    SupplementRequest,
    UploadedFile,
)
from motcua.dossiers.policy import allowed_actions
from motcua.dossiers.selectors import dossier_documents, dossier_for, visible_dossiers, with_reference_rows
from motcua.dossiers.services import actions
from motcua.dossiers.services.actions.payloads import SuppliedDocument
from motcua.dossiers.services.files import store_upload
from motcua.dossiers.services.intake import (
    Applicant,
    AttachedDocument,
    Intake,
    create_dossier,
    intake_problems,
)
from motcua.org.models import Agency, CitizenProfile
from motcua.org.selectors import agency_by_code
from motcua.portal.eform import (
    EField,
    Widget,
    eform_answers,
    field_problems,
    initial_answers,
    leaves,
    parse_date,
    schema_fields,
)
from motcua.portal.models import ApplicationDraft, DraftDocument, DraftState, SupplementUpload

AnyUser = User | AnonymousUser
MAX_REASON = 2000
KNOWN_FIELDS = frozenset(f.name for f in dataclass_fields(KnownApplicant))

# --- the fixed parts of every application ------------------------------------------------------------------

# Field lengths are the dossier's columns (dossiers.models.Dossier): the page refuses what cannot be stored.
APPLICANT_FIELDS: tuple[EField, ...] = (
    EField(
        "applicant.kind",
        gettext_lazy("Applying as"),
        Widget.RADIO,
        required=True,
        choices=tuple((str(v), label) for v, label in ApplicantKind.choices),
    ),
    EField(
        "applicant.full_name",
        gettext_lazy("Full name (or the organisation's name)"),
        Widget.TEXT,
        required=True,
        attrs=(("maxlength", "255"), ("autocomplete", "name")),
    ),
    EField(
        "applicant.id_number",
        gettext_lazy("Personal identification number"),
        Widget.TEXT,
        help=gettext_lazy("Required when applying as a person: the 12 digits of the citizen identity card."),
        attrs=(
            ("maxlength", "12"),
            ("inputmode", "numeric"),
            ("data-pattern", r"^[0-9]{12}$"),
            ("pattern", r"^[0-9]{12}$"),
        ),
        required_when=("applicant.kind", ApplicantKind.PERSON),
    ),
    EField(
        "applicant.tax_code",
        gettext_lazy("Tax code (organisations)"),
        Widget.TEXT,
        help=gettext_lazy(
            "Required when applying as an organisation: 10 digits, or 10 digits and a 3-digit branch suffix."
        ),
        attrs=(("maxlength", "16"),),
        required_when=("applicant.kind", ApplicantKind.ORGANISATION),
    ),
    EField(
        "applicant.date_of_birth",
        gettext_lazy("Date of birth"),
        Widget.DATE,
        attrs=(("autocomplete", "bday"),),
    ),
    EField(
        "applicant.phone",
        gettext_lazy("Phone"),
        Widget.TEL,
        attrs=(("maxlength", "32"), ("autocomplete", "tel")),
    ),
    EField(
        "applicant.email",
        gettext_lazy("E-mail"),
        Widget.EMAIL,
        attrs=(("maxlength", "254"), ("autocomplete", "email")),
    ),
    EField(
        "applicant.address",
        gettext_lazy("Address"),
        Widget.TEXT,
        attrs=(("maxlength", "500"), ("autocomplete", "street-address")),
    ),
)
REPRESENTATIVE_FIELDS: tuple[EField, ...] = (
    EField(
        "representative.full_name",
        gettext_lazy("Representative's full name"),
        Widget.TEXT,
        attrs=(("maxlength", "255"),),
    ),
    EField(
        "representative.id_number",
        gettext_lazy("Representative's personal identification number"),
        Widget.TEXT,
        attrs=(
            ("maxlength", "12"),
            ("inputmode", "numeric"),
            ("data-pattern", r"^[0-9]{12}$"),
            ("pattern", r"^[0-9]{12}$"),
        ),
    ),
    EField(
        "representative.phone",
        gettext_lazy("Representative's phone"),
        Widget.TEL,
        attrs=(("maxlength", "32"),),
    ),
    EField(
        "representative.email",
        gettext_lazy("Representative's e-mail"),
        Widget.EMAIL,
        attrs=(("maxlength", "254"),),
    ),
    EField(
        "representative.address",
        gettext_lazy("Representative's address"),
        Widget.TEXT,
        attrs=(("maxlength", "500"),),
    ),
    EField(
        "representative.authorisation",
        gettext_lazy("Authorisation document"),
        Widget.TEXT,
        help=gettext_lazy("For example the number and date of the power of attorney."),
        attrs=(("maxlength", "500"),),
    ),
)
RESULT_DELIVERY = "result_delivery"
RECEIVING_UNIT = "receiving_unit"


def _delivery_fields(offer: IntakeOffer) -> tuple[EField, ...]:
    units = offer.receiving_units or (offer.version.competent_agency,)
    # Only a full-process online service returns its result online (Decree 42/2022); the others at a counter
    # or by post.
    deliveries = [
        (str(value), label)
        for value, label in ResultDelivery.choices
        if value != ResultDelivery.ONLINE or offer.version.online_level == OnlineLevel.FULL
    ]
    return (
        EField(
            RECEIVING_UNIT,
            gettext_lazy("Where your dossier is received"),
            Widget.SELECT,
            required=True,
            choices=tuple((a.identity_code, a.name) for a in units),
        ),
        EField(
            RESULT_DELIVERY,
            gettext_lazy("How you receive the result"),
            Widget.RADIO,
            required=True,
            choices=tuple(deliveries),
        ),
    )


@dataclass(frozen=True)
class ApplicationForm:
    """Everything the application page of one draft shows, from the procedure version in force today."""

    offer: IntakeOffer
    case: Case
    form: tuple[EField, ...]
    delivery: tuple[EField, ...]
    requirements: tuple[RequiredDocument, ...]

    applicant = APPLICANT_FIELDS
    representative = REPRESENTATIVE_FIELDS

    @property
    def fields(self) -> tuple[EField, ...]:
        """Every field, in the order the page shows them."""
        return (*self.applicant, *self.representative, *self.form, *self.delivery)

    @property
    def fixed_fields(self) -> tuple[EField, ...]:
        return (*self.applicant, *self.representative, *self.delivery)


def require_citizen(user: AnyUser) -> User:
    """Online applications are a citizen's: staff receive dossiers at the counter instead."""
    if not (user.is_authenticated and CitizenProfile.objects.filter(user_id=user.pk).exists()):
        raise PermissionDenied(_("Only a citizen's account can apply online."))
    assert isinstance(user, User)
    return user


def _online_offer(procedure_code: str) -> IntakeOffer:
    offer = intake_offer(procedure_code, timezone.localdate())
    if offer is None:
        raise NotFound(_("No procedure in force has the code %s.") % procedure_code)
    if offer.version.online_level == OnlineLevel.NONE:
        raise Conflict(_("This procedure is not offered online."))
    return offer


def online_cases(procedure_code: str) -> tuple[IntakeOffer, list[Case]]:
    """The procedure in force and the cases one may apply for online, for the choice of case."""
    offer = _online_offer(procedure_code)
    return offer, list(offer.cases.values())


def application_form(draft: ApplicationDraft) -> ApplicationForm:
    offer = _online_offer(draft.procedure.local_code)
    case = offer.cases.get(draft.case_code)
    if case is None:
        raise Conflict(
            _("The procedure no longer has the case %s; start a new application.") % draft.case_code
        )
    return ApplicationForm(
        offer=offer,
        case=case,
        form=schema_fields(case.form_schema),
        delivery=_delivery_fields(offer),
        requirements=tuple(case.documents.all()),
    )


# --- drafts ------------------------------------------------------------------------------------------------


# E-form fields that ask for the requester's own details, by the names the catalogue's forms use for them
# (the "người yêu cầu" section); a schema can name others with "x-prefill".
PREFILL_BY_NAME = {
    "ho_ten_nguoi_yeu_cau": "full_name",
    "so_dinh_danh_nguoi_yeu_cau": "id_number",
    "noi_cu_tru": "address",
    "so_dien_thoai": "phone",
    "email": "email",
}


def _known_form_answers(form: ApplicationForm, known: KnownApplicant) -> dict[str, str]:
    """The e-form's questions about the requester, answered from what the portal knows of them."""
    answers = {}
    for leaf in leaves(form.form):
        source = leaf.prefill or PREFILL_BY_NAME.get(leaf.name.rsplit(".", 1)[-1], "")
        value = getattr(known, source, None) if source in KNOWN_FIELDS else None
        if value:
            answers[leaf.name] = value.isoformat() if isinstance(value, dt.date) else str(value)
    return answers


def _prefilled(user: User, form: ApplicationForm) -> dict[str, str]:
    """A new draft starts with what the portal already knows ("never ask twice") and the e-form's defaults."""
    known = known_applicant_for_user(user)
    delivery = form.delivery[0].choices
    return {
        **initial_answers(form.form),
        **_known_form_answers(form, known),
        "applicant.kind": ApplicantKind.PERSON,
        "applicant.full_name": known.full_name,
        "applicant.id_number": known.id_number,
        "applicant.date_of_birth": known.date_of_birth.isoformat() if known.date_of_birth else "",
        "applicant.phone": known.phone,
        "applicant.email": known.email,
        "applicant.address": known.address,
        RECEIVING_UNIT: delivery[0][0] if delivery else "",
        RESULT_DELIVERY: ResultDelivery.COUNTER,
    }


def start_application(user: AnyUser, procedure_code: str, case_code: str) -> ApplicationDraft:
    """The citizen's open draft for this procedure and case: resumed when there is one, else started."""
    citizen = require_citizen(user)
    offer = _online_offer(procedure_code)
    if case_code not in offer.cases:
        raise InvalidInput.field("case", "unknown", _("The procedure has no case %s.") % case_code)
    open_draft = ApplicationDraft.objects.filter(
        owner=citizen, procedure=offer.version.procedure, case_code=case_code, state=DraftState.OPEN
    )
    if (existing := open_draft.first()) is not None:
        return existing
    draft = ApplicationDraft(owner=citizen, procedure=offer.version.procedure, case_code=case_code)
    draft.answers = _prefilled(citizen, application_form(draft))
    try:
        with transaction.atomic():
            draft.save()
    except IntegrityError:
        # Another tab started the same application a moment ago: one open draft per case, so resume that one.
        return open_draft.get()
    return draft


def open_drafts(user: AnyUser) -> QuerySet[ApplicationDraft]:
    if not user.is_authenticated:
        return ApplicationDraft.objects.none()
    return ApplicationDraft.objects.filter(owner_id=user.pk, state=DraftState.OPEN).select_related(
        "procedure"
    )


def draft_for(user: AnyUser, pk: int) -> ApplicationDraft:
    """The user's own draft, open or submitted; anyone else's is not found."""
    draft = (
        ApplicationDraft.objects.filter(pk=pk, owner_id=user.pk)
        .select_related("procedure", "dossier")
        .first()
        if user.is_authenticated
        else None
    )
    if draft is None:
        raise NotFound(_("You have no application %d.") % pk)
    return draft


def _locked_open_draft(user: AnyUser, pk: int) -> ApplicationDraft:
    draft_for(user, pk)
    draft = ApplicationDraft.objects.select_for_update().select_related("procedure").get(pk=pk)
    if draft.state != DraftState.OPEN:
        raise Conflict(_("This application has already been submitted."))
    return draft


def _check_version(draft: ApplicationDraft, expected_version: int) -> None:
    if draft.version != expected_version:
        raise StaleVersion(
            _(
                "This application was changed in another tab or window after you opened it. What you typed "
                "is shown below but not saved yet: check it, then save again to keep it."
            )
        )


def save_draft(user: AnyUser, pk: int, expected_version: int, answers: Mapping[str, str]) -> ApplicationDraft:
    """Keep the answers as typed, valid or not; refused when another tab saved since this one loaded."""
    with transaction.atomic():
        draft = _locked_open_draft(user, pk)
        _check_version(draft, expected_version)
        draft.answers = dict(answers)
        draft.version += 1
        draft.save(update_fields=["answers", "version", "updated_at"])
    return draft


def discard_draft(user: AnyUser, pk: int) -> None:
    with transaction.atomic():
        _locked_open_draft(user, pk).delete()


def _requirement(form: ApplicationForm, requirement_id: int) -> RequiredDocument:
    found = next((r for r in form.requirements if r.pk == requirement_id), None)
    if found is None:
        raise NotFound(_("This application asks for no such document."))
    return found


def attach_document(user: AnyUser, pk: int, requirement_id: int, upload: DjangoUpload) -> DraftDocument:
    """Store the file (checked by content, within the size limit, as the API does) as the draft's copy of one
    required document, replacing any earlier one."""
    assert isinstance(user, User)
    with transaction.atomic():
        draft = _locked_open_draft(user, pk)
        requirement = _requirement(application_form(draft), requirement_id)
        stored = store_upload(user, upload)
        document, _created = DraftDocument.objects.update_or_create(
            draft=draft, requirement=requirement, defaults={"file": stored}
        )
    return document


def remove_document(user: AnyUser, pk: int, requirement_id: int) -> None:
    with transaction.atomic():
        draft = _locked_open_draft(user, pk)
        DraftDocument.objects.filter(draft=draft, requirement_id=requirement_id).delete()


def draft_documents(draft: ApplicationDraft) -> dict[int, DraftDocument]:
    """The draft's uploads by required document."""
    return {d.requirement_id: d for d in draft.documents.select_related("file")}


def draft_file(user: AnyUser, pk: int, requirement_id: int) -> UploadedFile:
    document = draft_documents(draft_for(user, pk)).get(requirement_id)
    if document is None:
        raise NotFound(_("No file has been uploaded for this document."))
    return document.file


# --- checking and submitting -------------------------------------------------------------------------------


def _text(answers: Mapping[str, str], name: str) -> str:
    return (answers.get(name) or "").strip()


def _representative(answers: Mapping[str, str]) -> tuple[dict[str, str] | None, list[FieldProblem]]:
    given = {f.name.split(".", 1)[1]: _text(answers, f.name) for f in REPRESENTATIVE_FIELDS}
    if not any(given.values()):
        return None, []
    if not given["full_name"]:
        # The API refuses a representative without a name (RepresentativeIn); the page says so on the field.
        return given, [
            FieldProblem(
                "representative.full_name",
                "required",
                _("Give the name of the person who represents the applicant."),
            )
        ]
    return given, []


def _intake(user: User, draft: ApplicationDraft, form: ApplicationForm) -> tuple[Intake, list[FieldProblem]]:
    """The draft as the intake it will be submitted as, and what the page's own rules find wrong with it."""
    answers = draft.answers
    form_data, problems = eform_answers(form.case.form_schema, answers)
    problems += field_problems(form.fixed_fields, answers)
    representative, representative_problems = _representative(answers)
    problems += representative_problems
    applicant = Applicant(
        kind=_text(answers, "applicant.kind") or ApplicantKind.PERSON,
        full_name=_text(answers, "applicant.full_name"),
        id_number=_text(answers, "applicant.id_number"),
        tax_code=_text(answers, "applicant.tax_code"),
        date_of_birth=parse_date(_text(answers, "applicant.date_of_birth")),
        phone=_text(answers, "applicant.phone"),
        email=_text(answers, "applicant.email"),
        address=_text(answers, "applicant.address"),
    )
    documents = [
        AttachedDocument(requirement, d.file_id) for requirement, d in draft_documents(draft).items()
    ]
    intake = Intake(
        procedure=draft.procedure.local_code,
        channel=Channel.ONLINE,
        applicant=applicant,
        form=form_data,
        documents=documents,
        case=draft.case_code,
        receiving_unit=_text(answers, RECEIVING_UNIT) or None,
        result_delivery=_text(answers, RESULT_DELIVERY) or ResultDelivery.COUNTER,
        representative=representative,
    )
    return intake, problems


def document_field(requirement_id: int) -> str:
    """The name of a required document's upload on the page, and the path of problems about it."""
    return f"documents.{requirement_id}"


def _missing_documents(draft: ApplicationDraft, form: ApplicationForm) -> list[FieldProblem]:
    uploaded = draft_documents(draft)
    return [
        FieldProblem(document_field(r.pk), "missing", _("Missing required document: %s.") % r.name)
        for r in form.requirements
        if r.mandatory and r.pk not in uploaded
    ]


def _checked(user: User, draft: ApplicationDraft) -> tuple[Intake, list[FieldProblem]]:
    """The draft as an intake, and every problem that would stop its submission, one per field: the page's
    own rules first, then exactly what `create_dossier` will check."""
    form = application_form(draft)
    intake, problems = _intake(user, draft, form)
    problems += _missing_documents(draft, form)
    reported = {p.field for p in problems}
    for problem in intake_problems(user, intake):
        # Intake reports a missing document on the list as a whole; the page reports it on its own upload.
        if problem.field in reported or (problem.field == "documents" and problem.code == "missing"):
            continue
        reported.add(problem.field)
        problems.append(problem)
    return intake, problems


def check_application(user: AnyUser, draft: ApplicationDraft) -> list[FieldProblem]:
    """What stops the draft from being submitted now (nothing: it may go to review)."""
    assert isinstance(user, User)
    return _checked(user, draft)[1]


def submit_application(user: AnyUser, pk: int, expected_version: int) -> Dossier:
    """Submit the draft as an online dossier, once: a second submission of the same draft (a double click, a
    retry) returns the dossier the first one created. The draft is marked submitted in that transaction."""
    assert isinstance(user, User)
    with transaction.atomic():
        draft_for(user, pk)
        draft = ApplicationDraft.objects.select_for_update().select_related("procedure").get(pk=pk)
        if draft.dossier_id is not None:
            return Dossier.objects.get(pk=draft.dossier_id)
        _check_version(draft, expected_version)
        intake, problems = _checked(user, draft)
        if problems:
            raise InvalidInput(_("The application cannot be submitted as it is."), problems)
        dossier = create_dossier(user, intake)
        draft.state = DraftState.SUBMITTED
        draft.dossier = dossier
        draft.submitted_at = dossier.created_at
        draft.save(update_fields=["state", "dossier", "submitted_at", "updated_at"])
    return dossier


# --- the applicant's dossiers ------------------------------------------------------------------------------


def my_dossiers(user: AnyUser) -> QuerySet[Dossier]:
    """The dossiers the user applied for, newest first; never those an officer merely has in scope."""
    return (
        visible_dossiers(user)
        .filter(applicant_user_id=user.pk)
        .select_related("rating")
        .order_by("-created_at", "-id")
    )


def my_dossier(user: AnyUser, code: str) -> Dossier:
    dossier = dossier_for(user, code)
    if dossier.applicant_user_id != user.pk:
        raise NotFound(_("No dossier %s is visible to you.") % code)
    return dossier


# What each status means to the applicant, in plain words, with the tone of its badge.
CITIZEN_STATUS: dict[str, tuple[Promise, str]] = {
    Status.SUBMITTED: (gettext_lazy("Sent; waiting for an officer to check it"), "badge"),
    Status.RECEIVED: (gettext_lazy("Received; waiting to be processed"), "badge"),
    Status.REFUSED_AT_RECEIPT: (gettext_lazy("Not accepted"), "badge-danger"),
    Status.IN_PROCESS: (gettext_lazy("Being processed"), "badge"),
    Status.SUPPLEMENT_REQUESTED: (gettext_lazy("Waiting for documents from you"), "badge-warn"),
    Status.AWAITING_PAYMENT: (gettext_lazy("Waiting for your payment"), "badge-warn"),
    Status.WITHDRAWN: (gettext_lazy("Withdrawn at your request"), "badge-muted"),
    Status.STOPPED: (gettext_lazy("Processing stopped"), "badge-danger"),
    Status.RESULT_READY: (gettext_lazy("Result ready"), "badge-ok"),
    Status.RETURNED: (gettext_lazy("Result handed over"), "badge-ok"),
}


class Expected(StrEnum):
    """What the applicant is expected to do now."""

    WAIT = "wait"  # nothing: the agency is working on it
    FIX = "fix"  # the counter asked to complete the online submission
    SUPPLEMENT = "supplement"  # send the documents the officer listed
    SUPPLEMENT_SENT = "supplement_sent"  # sent; the officer is checking them
    PAY = "pay"
    COLLECT = "collect"  # fetch the result at the counter
    DOWNLOAD = "download"  # the electronic result is ready
    POSTED = "posted"  # the result comes by post
    RATE = "rate"
    NOTHING = "nothing"  # closed: returned and rated, withdrawn, stopped or refused


# The short "what to do now" of the list of dossiers; the dossier's own page says it at length.
EXPECTED_TEXT: dict[Expected, Promise] = {
    Expected.WAIT: gettext_lazy("Nothing for now: the agency is working on it"),
    Expected.FIX: gettext_lazy("Complete your dossier as the counter asked"),
    Expected.SUPPLEMENT: gettext_lazy("Send the requested documents"),
    Expected.SUPPLEMENT_SENT: gettext_lazy("Nothing for now: your documents are being checked"),
    Expected.PAY: gettext_lazy("Pay the fee"),
    Expected.COLLECT: gettext_lazy("Collect your result"),
    Expected.DOWNLOAD: gettext_lazy("Download your result"),
    Expected.POSTED: gettext_lazy("Your result is on its way by post"),
    Expected.RATE: gettext_lazy("Rate the service"),
    Expected.NOTHING: gettext_lazy("Nothing: the dossier is closed"),
}
assert EXPECTED_TEXT.keys() == set(Expected)
# What asks the applicant to act, as opposed to waiting.
ACTION_NEEDED = frozenset(
    {Expected.FIX, Expected.SUPPLEMENT, Expected.PAY, Expected.COLLECT, Expected.DOWNLOAD, Expected.RATE}
)


def citizen_status(dossier: Dossier, expected: Expected) -> tuple[Promise, str]:
    """The status in the applicant's words, and its badge's tone. Once the supplement is sent the dossier
    still waits for it by the lifecycle, but not for the applicant: they are told it is being checked."""
    if expected == Expected.SUPPLEMENT_SENT:
        return gettext_lazy("Your documents are being checked"), "badge"
    return CITIZEN_STATUS[dossier.status]


def _waits_for(dossier: Dossier, action: str) -> bool:
    """Whether the dossier is where the lifecycle lets `action` happen next (whoever takes it)."""
    return dossier.status in ACTIONS[action].sources


def expected_of_applicant(dossier: Dossier, allowed: Iterable[str], rated: bool) -> Expected:
    """What the applicant has to do now, from the lifecycle and the dossier's data."""
    if ActionName.SUBMIT_SUPPLEMENT in allowed:
        return Expected.SUPPLEMENT
    if dossier.supplement_requested_at is not None and dossier.supplement_submitted_at is not None:
        return Expected.SUPPLEMENT_SENT
    if dossier.needs_fix and _waits_for(dossier, ActionName.ACCEPT):
        return Expected.FIX
    if _waits_for(dossier, ActionName.RECORD_PAYMENT):
        return Expected.PAY
    if _waits_for(dossier, ActionName.RETURN_RESULT):
        if dossier.result_delivery == ResultDelivery.ONLINE and dossier.result_file_id is not None:
            return Expected.DOWNLOAD
        return Expected.POSTED if dossier.result_delivery == ResultDelivery.POST else Expected.COLLECT
    if may_be_rated(dossier.status) and not rated:
        return Expected.RATE
    return Expected.NOTHING if is_finished(dossier.status) or dossier.closed_at else Expected.WAIT


@dataclass(frozen=True)
class Milestone:
    """One step of the dossier's history as the applicant reads it: no officer's name, no internal note."""

    at: dt.datetime
    title: str
    unit: str = ""
    reason: str = ""
    items: tuple[str, ...] = ()
    appointment: dt.datetime | None = None
    amount: int | None = None
    current: bool = False


# The applicant's words for each action; the actions between officers (assigning, sending a step back) are
# their business and are left out of the applicant's history.
TIMELINE_TITLES: dict[str, Promise] = {
    CreationEvent.SUBMIT: gettext_lazy("You submitted the dossier online."),
    CreationEvent.RECEIVE: gettext_lazy("The dossier was received at the counter."),
    ActionName.ACCEPT: gettext_lazy("The dossier was received."),
    ActionName.REQUEST_FIX: gettext_lazy("You were asked to complete the dossier."),
    ActionName.REFUSE: gettext_lazy("The dossier was not accepted."),
    ActionName.FORWARD: gettext_lazy("The dossier moved on to the next step."),
    ActionName.TRANSFER: gettext_lazy("The dossier was passed to another unit."),
    ActionName.REQUEST_SUPPLEMENT: gettext_lazy("Documents were requested from you."),
    ActionName.SUBMIT_SUPPLEMENT: gettext_lazy("The requested documents were sent."),
    ActionName.ACCEPT_SUPPLEMENT: gettext_lazy("The documents you sent were accepted."),
    ActionName.REQUEST_PAYMENT: gettext_lazy("A payment was requested."),
    ActionName.RECORD_PAYMENT: gettext_lazy("The payment was recorded."),
    ActionName.STOP: gettext_lazy("Processing was stopped."),
    ActionName.ISSUE_RESULT: gettext_lazy("The result is ready."),
    ActionName.RETURN_RESULT: gettext_lazy("The result was handed over."),
    ActionName.WITHDRAW: gettext_lazy("The dossier was withdrawn."),
    ActionName.APOLOGISE: gettext_lazy("The agency apologised for the delay and set a new date."),
}
INTERNAL_ACTIONS = frozenset({ActionName.ASSIGN, ActionName.SEND_BACK})


def _moment(value: Any) -> dt.datetime | None:
    return parse_datetime(value) if isinstance(value, str) else None


def _unit_name(event: DossierEvent) -> str:
    if event.action in (ActionName.FORWARD, ActionName.TRANSFER):
        # Where it went matters more to the applicant than who sent it.
        target = agency_by_code(str(event.data.get("to_unit") or event.data.get("unit") or ""))
        if target is not None:
            return target.name
    return event.actor_unit.name if event.actor_unit else ""


def item_texts(item: Mapping[str, Any]) -> tuple[str, str]:
    """What a requested item is, and in what form it is needed (an original, a certified copy…), as the
    officer wrote them."""
    return str(item.get("description") or ""), str(item.get("requirement") or "")


def item_line(item: Mapping[str, Any]) -> str:
    return " — ".join(text for text in item_texts(item) if text)


def _milestone(event: DossierEvent) -> Milestone:
    data = event.data or {}
    items = tuple(item_line(i) for i in data.get("items") or [] if isinstance(i, dict))
    amount = data.get("amount") if event.action == ActionName.REQUEST_PAYMENT else None
    return Milestone(
        at=event.at,
        title=str(TIMELINE_TITLES[event.action]),
        unit=_unit_name(event),
        reason=str(data.get("reason") or ""),
        items=items,
        appointment=_moment(data.get("new_appointment") or data.get("due_at")),
        amount=amount if isinstance(amount, int) else None,
    )


def timeline(events: Iterable[DossierEvent]) -> list[Milestone]:
    """The applicant's view of the history, oldest first, the latest step marked as current."""
    milestones = [_milestone(e) for e in events if e.action in TIMELINE_TITLES]
    if milestones:
        milestones[-1] = replace(milestones[-1], current=True)
    return milestones


def latest_data(events: Iterable[DossierEvent], action: str) -> dict[str, Any]:
    """What the latest `action` on the dossier recorded (its reason, items, amount…); empty when none."""
    found = [e.data or {} for e in events if e.action == action]
    return found[-1] if found else {}


def payment_due(events: Iterable[DossierEvent]) -> int | None:
    """The amount the latest payment request asked for."""
    amount = latest_data(events, ActionName.REQUEST_PAYMENT).get("amount")
    return amount if isinstance(amount, int) else None


def dossier_rating(dossier: Dossier) -> Rating | None:
    return Rating.objects.filter(dossier_id=dossier.pk).first()


def result_unit(dossier: Dossier) -> Agency:
    """Where the result is handed over: the counter that received the dossier (the one-stop principle)."""
    return with_reference_rows(dossier).receiving_unit


def withdraw(user: AnyUser, code: str, expected_version: int, reason: str) -> Dossier:
    """Withdraw at the applicant's request; the reason goes with the event for the officers."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput.field("reason", "required", _("Say why you withdraw the dossier."))
    if len(reason) > MAX_REASON:
        raise InvalidInput.field("reason", "too_long", _("At most %d characters.") % MAX_REASON)
    dossier = my_dossier(user, code)
    return actions.withdraw(dossier, user, version=expected_version, note=reason)  # type: ignore[arg-type]


# --- supplements -------------------------------------------------------------------------------------------


def latest_supplement(dossier: Dossier) -> SupplementRequest | None:
    return dossier.supplements.order_by("-requested_at", "-id").first()


def supplement_field(item: int) -> str:
    return f"supplement.{item}"


def supplement_uploads(request: SupplementRequest) -> dict[int, SupplementUpload]:
    return {u.item: u for u in SupplementUpload.objects.filter(supplement=request).select_related("file")}


def _open_supplement(user: AnyUser, code: str) -> tuple[Dossier, SupplementRequest]:
    dossier = my_dossier(user, code)
    request = latest_supplement(dossier)
    if request is None or ActionName.SUBMIT_SUPPLEMENT not in allowed_actions(user, dossier):
        raise Conflict(_("No supplement is awaited from you on this dossier now."))
    return dossier, request


def _item(request: SupplementRequest, item: int) -> int:
    if not 0 <= item < len(request.items):
        raise NotFound(_("The request has no such item."))
    return item


def attach_supplement_file(user: AnyUser, code: str, item: int, upload: DjangoUpload) -> SupplementUpload:
    assert isinstance(user, User)
    _dossier, request = _open_supplement(user, code)
    stored = store_upload(user, upload)
    pending, _created = SupplementUpload.objects.update_or_create(
        supplement=request, item=_item(request, item), defaults={"file": stored}
    )
    return pending


def remove_supplement_file(user: AnyUser, code: str, item: int) -> None:
    _dossier, request = _open_supplement(user, code)
    SupplementUpload.objects.filter(supplement=request, item=_item(request, item)).delete()


def send_supplement(user: AnyUser, code: str, expected_version: int, note: str = "") -> Dossier:
    """Send one file per requested item with `submit_supplement`; every item must have its file."""
    dossier, request = _open_supplement(user, code)
    uploads = supplement_uploads(request)
    missing = [
        FieldProblem(
            supplement_field(index), "missing", _("Upload a file for: %s.") % item.get("description", "")
        )
        for index, item in enumerate(request.items)
        if index not in uploads
    ]
    if missing:
        raise InvalidInput(_("Some requested documents are missing."), missing)
    # An item says in words what is needed (its "requirement" is text, such as "a certified copy"), not which
    # required document of the case it is: the files go in as the supplement's, not as a listed document.
    documents = [SuppliedDocument(uploads[index].file_id) for index in range(len(request.items))]
    with transaction.atomic():
        changed = actions.submit_supplement(
            dossier,
            user,  # type: ignore[arg-type]
            documents=documents,
            version=expected_version,
            note=(note or "").strip()[:MAX_REASON],
        )
        # The files are the dossier's documents now; nothing is left pending.
        SupplementUpload.objects.filter(supplement=request).delete()
    return changed


def dossier_file(user: AnyUser, code: str, file_id: int) -> UploadedFile:
    """A file of the user's own dossier: one of its documents, or its electronic result."""
    dossier = my_dossier(user, code)
    if dossier.result_file_id == file_id and dossier.result_file is not None:
        return dossier.result_file
    document = next((d for d in dossier_documents(dossier) if d.file_id == file_id and d.file), None)
    if document is None or document.file is None:
        raise NotFound(_("This dossier has no such file."))
    return document.file
