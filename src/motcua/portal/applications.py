"""Applying online: a draft that is saved, resumed, checked and submitted once.

Every rule of the dossier itself stays in the dossiers app: a submission goes through `intake.create_dossier`.
What is decided here is only what a citizen's application page needs on top of it: the fixed parts of every
application (the applicant, a representative, where the dossier is received and how the result comes back),
the draft with its uploads, and the checks that say, field by field, what stops the submission.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile as DjangoUpload
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.catalog.constants import OnlineLevel
from motcua.catalog.eform import (
    EField,
    eform_answers,
    field_problems,
    initial_answers,
    leaves,
    parse_date,
    schema_fields,
)
from motcua.catalog.models import Case, RequiredDocument
from motcua.catalog.selectors import IntakeOffer, intake_offer
from motcua.catalog.widgets import Kind
from motcua.core.errors import Conflict, FieldProblem, InvalidInput, NotFound, PermissionDenied, StaleVersion
from motcua.dossiers.applicants import KnownApplicant, known_applicant_for_user
from motcua.dossiers.lifecycle import Channel, ResultDelivery
from motcua.dossiers.models import ApplicantKind, Dossier
from motcua.dossiers.services.files import store_upload
from motcua.dossiers.services.intake import (
    Applicant,
    AttachedDocument,
    Intake,
    create_dossier,
    intake_problems,
)
from motcua.org.models import CitizenProfile
from motcua.portal.models import ApplicationDraft, DraftDocument, DraftState
from motcua.portal.selectors import AnyUser, draft_documents, draft_for

# --- the fixed parts of every application -------------------------------------------------------------------


KNOWN_FIELDS = frozenset(f.name for f in dataclass_fields(KnownApplicant))


# Field lengths are the dossier's columns (dossiers.models.Dossier): the page refuses what cannot be stored.
APPLICANT_FIELDS: tuple[EField, ...] = (
    EField(
        "applicant.kind",
        gettext_lazy("Applying as"),
        Kind.RADIO,
        required=True,
        choices=tuple((str(v), label) for v, label in ApplicantKind.choices),
    ),
    EField(
        "applicant.full_name",
        gettext_lazy("Full name (or the organisation's name)"),
        Kind.TEXT,
        required=True,
        attrs=(("maxlength", "255"), ("autocomplete", "name")),
    ),
    EField(
        "applicant.id_number",
        gettext_lazy("Personal identification number"),
        Kind.TEXT,
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
        Kind.TEXT,
        help=gettext_lazy(
            "Required when applying as an organisation: 10 digits, or 10 digits and a 3-digit branch suffix."
        ),
        attrs=(("maxlength", "16"),),
        required_when=("applicant.kind", ApplicantKind.ORGANISATION),
    ),
    EField(
        "applicant.date_of_birth",
        gettext_lazy("Date of birth"),
        Kind.DATE,
        attrs=(("autocomplete", "bday"),),
    ),
    EField(
        "applicant.phone",
        gettext_lazy("Phone"),
        Kind.TEL,
        attrs=(("maxlength", "32"), ("autocomplete", "tel")),
    ),
    EField(
        "applicant.email",
        gettext_lazy("E-mail"),
        Kind.EMAIL,
        attrs=(("maxlength", "254"), ("autocomplete", "email")),
    ),
    EField(
        "applicant.address",
        gettext_lazy("Address"),
        Kind.TEXT,
        attrs=(("maxlength", "500"), ("autocomplete", "street-address")),
    ),
)


REPRESENTATIVE_FIELDS: tuple[EField, ...] = (
    EField(
        "representative.full_name",
        gettext_lazy("Representative's full name"),
        Kind.TEXT,
        attrs=(("maxlength", "255"),),
    ),
    EField(
        "representative.id_number",
        gettext_lazy("Representative's personal identification number"),
        Kind.TEXT,
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
        Kind.TEL,
        attrs=(("maxlength", "32"),),
    ),
    EField(
        "representative.email",
        gettext_lazy("Representative's e-mail"),
        Kind.EMAIL,
        attrs=(("maxlength", "254"),),
    ),
    EField(
        "representative.address",
        gettext_lazy("Representative's address"),
        Kind.TEXT,
        attrs=(("maxlength", "500"),),
    ),
    EField(
        "representative.authorisation",
        gettext_lazy("Authorisation document"),
        Kind.TEXT,
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
            Kind.SELECT,
            required=True,
            choices=tuple((a.identity_code, a.name) for a in units),
        ),
        EField(
            RESULT_DELIVERY,
            gettext_lazy("How you receive the result"),
            Kind.RADIO,
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


# --- drafts -------------------------------------------------------------------------------------------------


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


# --- checking and submitting --------------------------------------------------------------------------------


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
