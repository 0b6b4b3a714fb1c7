"""Intake: a dossier comes in online (submitted, waiting for an officer), or at the counter or by post
(received).

Every problem with the request is collected and reported at once, each with its field path, before anything is
written; then the dossier, its code, its documents and its first event are saved in one transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.constants import OnlineLevel
from motcua.catalog.forms_schema import form_problems
from motcua.catalog.models import Case, ProcedureVersion
from motcua.catalog.selectors import IntakeOffer, intake_offer
from motcua.core.errors import FieldProblem, InvalidInput
from motcua.core.identifiers import personal_id_problem, tax_code_problem
from motcua.core.text import fold_vietnamese
from motcua.dossiers.lifecycle import (
    CREATION_EVENTS,
    Channel,
    ResultDelivery,
    awaits_receipt,
    initial_status,
)
from motcua.dossiers.models import ApplicantKind, Dossier, DossierDocument, Origin, SubmittedAs, UploadedFile
from motcua.dossiers.services.clock import start_clock
from motcua.dossiers.services.codes import next_dossier_code
from motcua.dossiers.services.events import append_event
from motcua.org.constants import Role
from motcua.org.models import Agency
from motcua.org.selectors import agency_by_code, has_role, roles_by_agency


@dataclass
class Applicant:
    kind: str
    full_name: str
    id_number: str = ""
    tax_code: str = ""
    date_of_birth: dt.date | None = None
    phone: str = ""
    email: str = ""
    address: str = ""


# More copies of one document than this is a typing error, not a dossier.
MAX_COPIES = 99


@dataclass
class AttachedDocument:
    """A required document handed in: its scan (none for paper received unscanned), in what form, how many."""

    requirement: int
    file: int | None = None
    submitted_as: str = SubmittedAs.ELECTRONIC
    copies: int = 1


@dataclass
class Intake:
    procedure: str
    channel: str
    applicant: Applicant
    form: dict[str, Any] = field(default_factory=dict)
    documents: list[AttachedDocument] = field(default_factory=list)
    case: str | None = None
    receiving_unit: str | None = None
    competent_authority: str | None = None
    result_delivery: str = ResultDelivery.COUNTER
    representative: dict[str, Any] | None = None
    # A dossier filed elsewhere: where, by which agency (a partner's identity code), under which code there.
    origin: str = Origin.OWN
    origin_party: str = ""
    origin_code: str = ""
    vneid_verified: bool = False


@dataclass
class _Resolved:
    version: ProcedureVersion
    case: Case
    receiving_unit: Agency
    competent_authority: Agency
    files: dict[int, UploadedFile]


def _applicant_problems(applicant: Applicant) -> list[FieldProblem]:
    problems = []
    if not applicant.full_name.strip():
        problems.append(
            FieldProblem("applicant.full_name", "required", _("The applicant's name is required."))
        )
    if applicant.kind == ApplicantKind.PERSON:
        if why := personal_id_problem(applicant.id_number, applicant.date_of_birth):
            problems.append(FieldProblem("applicant.id_number", "invalid", why))
    elif applicant.kind == ApplicantKind.ORGANISATION:
        if why := tax_code_problem(applicant.tax_code):
            problems.append(FieldProblem("applicant.tax_code", "invalid", why))
    else:
        problems.append(FieldProblem("applicant.kind", "invalid", _("Use “person” or “organisation”.")))
    if applicant.date_of_birth and applicant.date_of_birth > timezone.localdate():
        problems.append(
            FieldProblem("applicant.date_of_birth", "future", _("The date of birth is in the future."))
        )
    return problems


def _default_receiving_unit(actor: User, offer: IntakeOffer, channel: str) -> Agency | None:
    if channel == Channel.ONLINE:
        return offer.receiving_units[0] if offer.receiving_units else offer.version.competent_agency
    counters = [
        agency_id for agency_id, roles in roles_by_agency(actor).items() if Role.COUNTER_OFFICER in roles
    ]
    if len(counters) != 1:
        return None
    return next((a for a in offer.receiving_units if a.pk == counters[0]), None)


def _resolve(actor: User, intake: Intake, today: dt.date) -> _Resolved:
    """Look up everything the request names; raise one InvalidInput listing every problem found."""
    problems: list[FieldProblem] = []
    offer = intake_offer(intake.procedure, today)
    if offer is None:
        raise InvalidInput.field(
            "procedure", "unknown", _("No procedure in force has the code %s.") % intake.procedure
        )
    version = offer.version
    case = offer.cases.get(intake.case) if intake.case else None
    if intake.case and case is None:
        problems.append(FieldProblem("case", "unknown", _("The procedure has no case %s.") % intake.case))
    elif not intake.case:
        if len(offer.cases) == 1:
            case = next(iter(offer.cases.values()))
        else:
            problems.append(
                FieldProblem("case", "required", _("This procedure has several cases; choose one."))
            )

    if intake.channel not in Channel.values:
        problems.append(FieldProblem("channel", "invalid", _("Use counter, online or post.")))
    elif intake.channel == Channel.ONLINE and version.online_level == OnlineLevel.NONE:
        problems.append(FieldProblem("channel", "not_online", _("This procedure is not offered online.")))
    if intake.result_delivery not in ResultDelivery.values:
        problems.append(FieldProblem("result_delivery", "invalid", _("Use counter, post or online.")))

    receiving = (
        agency_by_code(intake.receiving_unit)
        if intake.receiving_unit
        else _default_receiving_unit(actor, offer, intake.channel)
    )
    if receiving is None:
        problems.append(
            FieldProblem("receiving_unit", "unknown", _("Name the receiving unit by its identity code."))
        )
    elif handed_over(intake):
        # A partner agency hands the dossier to the unit it addressed (the exchange checks that it is ours);
        # no counter of ours received it from the applicant.
        pass
    elif receiving.pk not in offer.receiving_unit_ids:
        problems.append(
            FieldProblem("receiving_unit", "not_receiving", _("This unit does not receive this procedure."))
        )
    elif intake.channel in (Channel.COUNTER, Channel.POST) and not has_role(
        actor, receiving.pk, [Role.COUNTER_OFFICER]
    ):
        problems.append(
            FieldProblem(
                "receiving_unit", "not_your_unit", _("Only a counter officer of this unit may receive here.")
            )
        )
    competent = version.competent_agency
    if intake.competent_authority:
        found = agency_by_code(intake.competent_authority)
        if found is None:
            problems.append(
                FieldProblem("competent_authority", "unknown", _("No agency has this identity code."))
            )
        else:
            competent = found

    problems += _applicant_problems(intake.applicant)
    representative_id = (intake.representative or {}).get("id_number")
    if representative_id and (why := personal_id_problem(representative_id)):
        problems.append(FieldProblem("representative.id_number", "invalid", why))
    files: dict[int, UploadedFile] = {}
    if case is not None:
        problems += form_problems(case.form_schema, intake.form)
        # A dossier filed elsewhere was checked there, and its documents are that system's files, not answers
        # to our list one by one: the officer judges it complete on acceptance, or asks for a supplement.
        files, document_problems = _document_problems(
            actor, case, intake.documents, require_all=intake.origin == Origin.OWN
        )
        problems += document_problems
    # Without a case or a receiving unit there is a problem listed already; the test tells the type checker.
    if problems or case is None or receiving is None:
        raise InvalidInput(_("The dossier cannot be accepted as it is."), problems)
    return _Resolved(version, case, receiving, competent, files)


def _document_problems(
    actor: User, case: Case, documents: list[AttachedDocument], *, require_all: bool
) -> tuple[dict[int, UploadedFile], list[FieldProblem]]:
    requirements = {d.pk: d for d in case.documents.all()}
    file_ids = [d.file for d in documents if d.file is not None]
    files = {f.pk: f for f in UploadedFile.objects.filter(owner=actor, pk__in=file_ids)}
    problems = []
    for index, document in enumerate(documents):
        if document.requirement not in requirements:
            problems.append(
                FieldProblem(
                    f"documents.{index}.requirement", "unknown", _("Not a document this case requires.")
                )
            )
        problems += _handed_in_problems(index, document, files)
    given = {d.requirement for d in documents}
    for requirement in requirements.values():
        if require_all and requirement.mandatory and requirement.pk not in given:
            problems.append(
                FieldProblem("documents", "missing", _("Missing required document: %s.") % requirement.name)
            )
    return files, problems


def _handed_in_problems(
    index: int, document: AttachedDocument, files: dict[int, UploadedFile]
) -> list[FieldProblem]:
    """What is wrong with the file, the form and the number of copies of one document."""
    problems = []
    if document.file is not None and document.file not in files:
        problems.append(
            FieldProblem(f"documents.{index}.file", "unknown", _("No such file uploaded by you."))
        )
    if document.submitted_as not in SubmittedAs.values:
        problems.append(
            FieldProblem(
                f"documents.{index}.submitted_as",
                "invalid",
                _("Use original, certified_copy, photocopy or electronic."),
            )
        )
    elif document.file is None and document.submitted_as == SubmittedAs.ELECTRONIC:
        problems.append(
            FieldProblem(f"documents.{index}.file", "required", _("An electronic document needs its file."))
        )
    copies = document.copies
    if isinstance(copies, bool) or not isinstance(copies, int) or not 1 <= copies <= MAX_COPIES:
        problems.append(
            FieldProblem(
                f"documents.{index}.copies",
                "invalid",
                _("Give a whole number of copies from 1 to %d.") % MAX_COPIES,
            )
        )
    return problems


def handed_over(intake: Intake) -> bool:
    """Whether a partner agency transferred the dossier to us: it was received from the applicant there."""
    return intake.origin == Origin.PARTNER


def intake_problems(actor: User, intake: Intake) -> list[FieldProblem]:
    """Every problem `create_dossier` would report for `intake`, found without writing anything: a page can
    check an application before its review with exactly the rules its submission will meet."""
    try:
        _resolve(actor, intake, timezone.localdate())
    except InvalidInput as exc:
        return exc.errors
    return []


def create_dossier(actor: User, intake: Intake, now: dt.datetime | None = None) -> Dossier:
    """Submit online (status submitted) or receive at the counter or by post (status received, clock started).

    `now` is for replaying history (simulation, migration), never for the API."""
    now = now or timezone.now()
    resolved = _resolve(actor, intake, timezone.localdate(now))
    # Within the idempotency transaction when there is one: a savepoint would only add round trips.
    with transaction.atomic(savepoint=False):
        status = initial_status(intake.channel, received_elsewhere=handed_over(intake))
        # Submitted online and waiting for an officer; otherwise received now, and the clock starts.
        submitted = awaits_receipt(status)
        applicant = intake.applicant
        dossier = Dossier(
            code=next_dossier_code(resolved.receiving_unit, timezone.localdate(now)),
            other_codes=[intake.origin_code] if intake.origin_code else [],
            origin=intake.origin,
            origin_party=intake.origin_party,
            origin_code=intake.origin_code,
            vneid_verified=intake.vneid_verified,
            procedure_version=resolved.version,
            case=resolved.case,
            channel=intake.channel,
            result_delivery=intake.result_delivery,
            status=status,
            applicant_kind=applicant.kind,
            applicant_name=applicant.full_name.strip(),
            applicant_id_number=applicant.id_number,
            applicant_tax_code=applicant.tax_code,
            applicant_date_of_birth=applicant.date_of_birth,
            applicant_phone=applicant.phone,
            applicant_email=applicant.email,
            applicant_address=applicant.address,
            representative=intake.representative,
            # A dossier filed elsewhere belongs to no account here: its actor is the system that brought it.
            applicant_user=actor if submitted and intake.origin == Origin.OWN else None,
            search_text=fold_vietnamese(f"{applicant.full_name} {applicant.id_number} {applicant.tax_code}"),
            form_data=intake.form,
            receiving_unit=resolved.receiving_unit,
            competent_authority=resolved.competent_authority,
            current_unit=resolved.receiving_unit,
            created_by=actor,
            created_at=now,
            submitted_at=now if submitted else None,
            received_at=None if submitted else now,
        )
        if not submitted:
            start_clock(dossier, now)
        dossier.save()
        documents = DossierDocument.objects.bulk_create(
            DossierDocument(
                dossier=dossier,
                requirement_id=d.requirement,
                file=resolved.files[d.file] if d.file is not None else None,
                submitted_as=d.submitted_as,
                copies=d.copies,
                added_at=now,
            )
            for d in intake.documents
        )
        # The answer lists the documents just written; Django's prefetch cache hands them over without a read.
        vars(dossier)["_prefetched_objects_cache"] = {"documents": documents}
        append_event(
            dossier,
            CREATION_EVENTS[dossier.status],
            actor,
            now,
            from_status="",
            actor_unit_id=None if submitted else resolved.receiving_unit.pk,
            data={
                "channel": dossier.channel,
                "due_at": dossier.due_at.isoformat() if dossier.due_at else None,
            },
        )
    return dossier
