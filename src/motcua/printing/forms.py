"""The contents of each legal form, built from domain data: one function per form returning a `PrintedForm`
(the registry entry in force and the template's context). Nothing here renders or checks who may print.

Each form takes its facts from the event it prints (the event's data is what the action recorded, see
dossiers/services/actions.py), and the numbering in force on that event's day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from django.contrib.auth.models import User
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from motcua.catalog.models import ProcedureVersion
from motcua.core.errors import Conflict, InvalidInput
from motcua.core.links import public_url
from motcua.dossiers.lifecycle import CREATION_EVENTS, ActionName, ResultDelivery, Status
from motcua.dossiers.models import Dossier, DossierDocument, DossierEvent, DossierStep, SubmittedAs
from motcua.dossiers.punctuality import finished_punctuality, step_outcome, step_overdue
from motcua.dossiers.services.clock import processing_time
from motcua.org.models import Agency, StaffRole
from motcua.org.selectors import agency_by_id, ancestor_ids
from motcua.printing.registry import FormTemplate, form_in_force
from motcua.printing.render import qr_data_uri
from motcua.printing.wording import (
    BLANK,
    PUNCTUALITY,
    duration_text,
    moment_text,
    place_and_day,
)
from motcua.worktime.calendar import to_local
from motcua.worktime.constants import Punctuality
from motcua.worktime.services import calendar_for

SIGN_WITH_NAME = "(Ký và ghi rõ họ tên)"
SIGN_WITH_SEAL = "(Ký, ghi rõ họ tên và đóng dấu)"
HEAD_OF_UNIT = "Thủ trưởng cơ quan"
ONE_STOP = "Bộ phận tiếp nhận và trả kết quả"
# The event that received the dossier: at the counter on creation, or an officer accepting it online.
ACCEPTANCE_EVENTS = (CREATION_EVENTS[Status.RECEIVED], ActionName.ACCEPT)
SUPPLEMENT_EVENTS = (ActionName.REQUEST_SUPPLEMENT, ActionName.REQUEST_FIX)

# The model records no count of sets; a dossier is one set unless the law of the procedure asks for more.
SETS_PER_DOSSIER = 1

SUBMITTED_AS = {
    SubmittedAs.ORIGINAL: "Bản chính",
    SubmittedAs.CERTIFIED_COPY: "Bản sao có chứng thực",
    SubmittedAs.PHOTOCOPY: "Bản chụp",
    SubmittedAs.ELECTRONIC: "Bản điện tử",
}

RESULT_DELIVERY = {
    ResultDelivery.POST: "Qua dịch vụ bưu chính công ích, tại địa chỉ: {address}",
    ResultDelivery.ONLINE: "Trực tuyến, trên Cổng Dịch vụ công",
    ResultDelivery.COUNTER: ONE_STOP + " – {unit}",
}


@dataclass(frozen=True)
class Heading:
    """The agency heading beside the national one, and the place and date line under it."""

    parent: str
    unit: str
    place_and_day: str


@dataclass(frozen=True)
class Party:
    """The applicant as the forms name them."""

    name: str
    address: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class Signature:
    title: str
    note: str
    name: str = ""


@dataclass(frozen=True)
class PrintedForm:
    """A form ready to render: the numbering it prints under, and its template's context (the template is
    the form's declaration's, printing/catalogue.py)."""

    form: FormTemplate
    context: dict[str, Any]


@dataclass(frozen=True)
class CounterNotice:
    """What a notice printed at the counter says when nothing is received: no dossier exists for it."""

    unit: Agency  # the receiving unit
    officer: User
    applicant_name: str
    applicant_phone: str
    applicant_address: str
    procedure_version: ProcedureVersion
    reason: str
    items: tuple[str, ...] = ()  # documents to add or correct (supplement only)


@dataclass(frozen=True)
class DossierRecord:
    """A dossier with what its forms read: its history (oldest first), documents and steps."""

    dossier: Dossier
    events: Sequence[DossierEvent]
    documents: Sequence[DossierDocument] = ()
    steps: Sequence[DossierStep] = ()
    base_url: str = ""
    positions: dict[tuple[int, int], str] = field(default_factory=dict)

    def latest(self, *actions: str) -> DossierEvent | None:
        return next((e for e in reversed(self.events) if e.action in actions), None)

    @property
    def lookup_url(self) -> str:
        """The public lookup of this dossier with its lookup key (ADR 0014): the QR code's target."""
        return f"{self.base_url}/lookup/{quote(self.dossier.code)}/?key={quote(self.dossier.lookup_key)}"


# --- shared pieces -----------------------------------------------------------------------------------------


def person_name(user: User | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def heading(agency: Agency, day: dt.date) -> Heading:
    parent = agency_by_id(agency.parent_id).name if agency.parent_id else ""
    return Heading(parent=parent, unit=agency.name, place_and_day=place_and_day(agency, day))


def applicant(dossier: Dossier) -> Party:
    return Party(
        dossier.applicant_name, dossier.applicant_address, dossier.applicant_phone, dossier.applicant_email
    )


def local_day(moment: dt.datetime) -> dt.date:
    return to_local(moment).date()


def _event_unit(event: DossierEvent, fallback_id: int) -> Agency:
    return agency_by_id(event.actor_unit_id or fallback_id)


def _required_event(record: DossierRecord, actions: tuple[str, ...], message: str) -> DossierEvent:
    event = record.latest(*actions)
    if event is None:
        raise Conflict(message % record.dossier.code)
    return event


def signer_title(positions: dict[tuple[int, int], str], user: User | None, agency: Agency) -> str:
    """The signer's job title for a signature block: their position in the agency or the one above it."""
    if user is not None:
        for agency_id in ancestor_ids(agency.pk):
            if position := positions.get((user.pk, agency_id)):
                return position
    return HEAD_OF_UNIT


def staff_positions(user_ids: Sequence[int]) -> dict[tuple[int, int], str]:
    """Job titles printed on forms, by (user, agency), for the given users: one query."""
    rows = StaffRole.objects.filter(user_id__in=set(user_ids)).exclude(position="")
    return {(r.user_id, r.agency_id): r.position for r in rows.only("user_id", "agency_id", "position")}


def form_head(form: FormTemplate, unit: Agency, day: dt.date) -> dict[str, Any]:
    """What every form prints at its top: its number and title, and the issuing unit's heading."""
    return {"form": form, "heading": heading(unit, day), "unit": unit}


def _dossier_facts(record: DossierRecord) -> dict[str, Any]:
    dossier = record.dossier
    return {
        "code": dossier.code,
        "lookup_url": record.lookup_url,
        "lookup_key": dossier.lookup_key,
        "qr": qr_data_uri(record.lookup_url),
        "applicant": applicant(dossier),
        "procedure": dossier.procedure_version.name,
        "case": dossier.case.name,
        "received": moment_text(dossier.received_at),
    }


def _dossier_form(
    record: DossierRecord, form: FormTemplate, unit: Agency, day: dt.date, **specific: Any
) -> PrintedForm:
    return PrintedForm(form, form_head(form, unit, day) | _dossier_facts(record) | specific)


# --- Mẫu 01: receipt and appointment -----------------------------------------------------------------------


def _document_name(document: DossierDocument) -> str:
    if document.requirement is not None:
        return document.requirement.name
    return document.file.original_name if document.file is not None else "Giấy tờ khác"


def _document_rows(record: DossierRecord) -> list[dict[str, Any]]:
    """The documents handed in at receipt (not those of later supplements), as the counter recorded them."""
    return [
        {"name": _document_name(d), "kind": SUBMITTED_AS[SubmittedAs(d.submitted_as)], "copies": d.copies}
        for d in record.documents
        if d.supplement_id is None
    ]


def _statutory_time(dossier: Dossier, received_at: dt.datetime) -> str:
    received_on = calendar_for().next_working_moment(received_at).date()
    value, unit = processing_time(
        dossier.case, dossier.procedure_version.procedure_id, dossier.channel, received_on
    )
    return duration_text(value, unit)


def receipt(record: DossierRecord) -> PrintedForm:
    dossier = record.dossier
    if dossier.received_at is None:
        raise Conflict(
            _("Dossier %s has not been received yet: there is no receipt to print.") % dossier.code
        )
    day = local_day(dossier.received_at)
    unit = agency_by_id(dossier.receiving_unit_id)
    officer = record.latest(*ACCEPTANCE_EVENTS)
    delivery = RESULT_DELIVERY[ResultDelivery(dossier.result_delivery)].format(
        unit=unit.name, address=dossier.applicant_address or BLANK
    )
    return _dossier_form(
        record,
        form_in_force("receipt", day),
        unit,
        day,
        documents=_document_rows(record),
        sets=SETS_PER_DOSSIER,
        statutory_time=_statutory_time(dossier, dossier.received_at),
        appointment=_appointment(dossier),
        delivery=delivery,
        signatures=[
            Signature("Người nộp hồ sơ", SIGN_WITH_NAME, dossier.applicant_name),
            Signature(
                "Người tiếp nhận hồ sơ", SIGN_WITH_NAME, person_name(officer.actor if officer else None)
            ),
        ],
    )


def _appointment(dossier: Dossier) -> str:
    return moment_text(dossier.due_at) if dossier.due_at else "Không có ngày hẹn trả"


# --- Mẫu 02: supplement request, Mẫu 03: refusal (also without a dossier, at the counter) -------------------


def item_rows(raw: Any) -> list[dict[str, str]]:
    """The items to add or correct, as actions record them ({description, requirement}) or as plain text."""
    rows = []
    for item in raw or []:
        if isinstance(item, dict):
            rows.append(
                {
                    "description": str(item.get("description", "")),
                    "requirement": str(item.get("requirement") or ""),
                }
            )
        else:
            rows.append({"description": str(item), "requirement": ""})
    return rows


def procedure_url(base_url: str, version: ProcedureVersion) -> str:
    """Where the applicant reads the procedure's rules on the portal."""
    return f"{base_url}/procedures/{quote(version.procedure.local_code)}/"


def supplement_fields(reason: str, items: Any, officer: User | None, rules_url: str) -> dict[str, Any]:
    """What Mẫu 02 says beyond its head: the items, the reason, whom to ask and where the rules are."""
    return {
        "reason": reason,
        "items": item_rows(items),
        "officer": person_name(officer),
        "rules_url": rules_url,
        "signatures": [Signature("Người hướng dẫn", SIGN_WITH_NAME, person_name(officer))],
    }


def refusal_fields(reason: str, officer: User | None) -> dict[str, Any]:
    return {
        "reason": reason,
        "signatures": [Signature("Người tiếp nhận hồ sơ", SIGN_WITH_NAME, person_name(officer))],
    }


def supplement_at_counter(notice: CounterNotice) -> dict[str, Any]:
    if not notice.items:
        raise InvalidInput.field("items", "required", _("List the documents to add or correct."))
    rules_url = procedure_url(public_url(), notice.procedure_version)
    return supplement_fields(notice.reason, notice.items, notice.officer, rules_url)


def refusal_at_counter(notice: CounterNotice) -> dict[str, Any]:
    return refusal_fields(notice.reason, notice.officer)


def supplement(record: DossierRecord) -> PrintedForm:
    """From the latest request: a supplement after receipt, or (online) a request to complete before it;
    the event carries the request's reason and items."""
    dossier = record.dossier
    event = _required_event(record, SUPPLEMENT_EVENTS, _("No supplement has been requested for dossier %s."))
    day = local_day(event.at)
    fields = supplement_fields(
        str(event.data.get("reason", "")),
        event.data.get("items"),
        event.actor,
        procedure_url(record.base_url, dossier.procedure_version),
    )
    unit = _event_unit(event, dossier.receiving_unit_id)
    return _dossier_form(record, form_in_force("supplement", day), unit, day, **fields)


def refusal(record: DossierRecord) -> PrintedForm:
    event = _required_event(record, (ActionName.REFUSE,), _("Dossier %s was not refused at receipt."))
    day = local_day(event.at)
    fields = refusal_fields(str(event.data.get("reason", "")), event.actor)
    unit = agency_by_id(record.dossier.receiving_unit_id)
    return _dossier_form(record, form_in_force("refusal", day), unit, day, **fields)


# --- Mẫu 04: apology and new date, Mẫu 05 (2025): stop notice ----------------------------------------------


def _moment_from_data(value: Any) -> dt.datetime | None:
    return parse_datetime(value) if isinstance(value, str) else None


def _head_signature(record: DossierRecord, event: DossierEvent, unit: Agency) -> Signature:
    return Signature(
        signer_title(record.positions, event.actor, unit), SIGN_WITH_SEAL, person_name(event.actor)
    )


def _head_notice(record: DossierRecord, slug: str, event: DossierEvent, **specific: Any) -> PrintedForm:
    """A notice the competent authority's head signs about a decision on the dossier (apology, stop): dated
    and issued by the unit that recorded the event, with the event's reason."""
    day = local_day(event.at)
    unit = _event_unit(event, record.dossier.competent_authority_id)
    return _dossier_form(
        record,
        form_in_force(slug, day),
        unit,
        day,
        reason=str(event.data.get("reason", "")),
        signatures=[_head_signature(record, event, unit)],
        **specific,
    )


def apology(record: DossierRecord) -> PrintedForm:
    event = _required_event(record, (ActionName.APOLOGISE,), _("No apology has been issued for dossier %s."))
    return _head_notice(
        record,
        "apology",
        event,
        original_appointment=moment_text(_moment_from_data(event.data.get("original_due_at"))),
        new_appointment=moment_text(_moment_from_data(event.data.get("new_appointment"))),
    )


def stop(record: DossierRecord) -> PrintedForm:
    event = _required_event(record, (ActionName.STOP,), _("Processing of dossier %s has not been stopped."))
    return _head_notice(record, "stop", event, stopped=moment_text(event.at))


# --- Mẫu 05 (2018) / 06 (2025): process control slip ------------------------------------------------------


@dataclass(frozen=True)
class HandOff:
    """One row of the control slip: the dossier handed from one place to the next, and how the receiving
    place kept its time."""

    giver: str
    receiver: str
    at: str
    giver_name: str
    receiver_name: str
    result: str
    note: str


def _step_result(step: DossierStep, now: dt.datetime) -> str:
    outcome = step_outcome(step)
    if outcome is not None:
        return PUNCTUALITY[outcome]
    # Still there: only lateness is known before the step ends.
    return PUNCTUALITY[Punctuality.LATE] if step_overdue(step, now) else ""


def _place(step: DossierStep) -> str:
    return f"{agency_by_id(step.agency_id).name} – {step.name}"


def _hand_offs(record: DossierRecord, now: dt.datetime) -> list[HandOff]:
    dossier = record.dossier
    counter = f"{ONE_STOP} – {agency_by_id(dossier.receiving_unit_id).name}"
    received = record.latest(*ACCEPTANCE_EVENTS)
    giver, giver_name = counter, person_name(received.actor if received else None)
    rows = []
    for step in record.steps:
        receiver_name = person_name(step.assignee)
        rows.append(
            HandOff(
                giver=giver,
                receiver=_place(step),
                at=moment_text(step.started_at),
                giver_name=giver_name,
                receiver_name=receiver_name,
                result=_step_result(step, now),
                note="Đã xử lý" if step.finished_at is not None else "Đang xử lý",
            )
        )
        giver, giver_name = _place(step), receiver_name
    issued = record.latest(ActionName.ISSUE_RESULT)
    if issued is not None:
        returned = record.latest(ActionName.RETURN_RESULT)
        rows.append(
            HandOff(
                giver=giver,
                receiver=counter,
                at=moment_text(issued.at),
                giver_name=person_name(issued.actor),
                receiver_name=person_name(returned.actor if returned else None),
                result=PUNCTUALITY[finished_punctuality(issued.at, dossier.due_at)],
                note="Đã xử lý" if returned is not None else "Đang xử lý",
            )
        )
    return rows


def control_slip(record: DossierRecord, now: dt.datetime) -> PrintedForm:
    dossier = record.dossier
    if dossier.received_at is None:
        raise Conflict(_("Dossier %s has not been received yet: it has no control slip.") % dossier.code)
    day = local_day(dossier.received_at)
    return _dossier_form(
        record,
        form_in_force("control-slip", day),
        agency_by_id(dossier.receiving_unit_id),
        day,
        competent_authority=agency_by_id(dossier.competent_authority_id).name,
        appointment=_appointment(dossier),
        hand_offs=_hand_offs(record, now),
    )
