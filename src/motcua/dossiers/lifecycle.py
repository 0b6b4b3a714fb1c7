"""The dossier lifecycle, declared once: statuses, their national codes, and every action.

Services enforce this table, the API lists `allowed_actions` from it and the pages draw their buttons from it.
No status is compared anywhere else (DESIGN.md §4).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import FieldProblem
from motcua.org.constants import Role

if TYPE_CHECKING:
    from motcua.dossiers.models import Dossier


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted online, not yet received")
    RECEIVED = "received", _("Received")
    REFUSED_AT_RECEIPT = "refused_at_receipt", _("Refused at receipt")
    IN_PROCESS = "in_process", _("In process")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Waiting for a supplement")
    AWAITING_PAYMENT = "awaiting_payment", _("Waiting for payment")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    STOPPED = "stopped", _("Stopped")
    RESULT_READY = "result_ready", _("Result ready")
    RETURNED = "returned", _("Result returned")


# TrangThaiHoSo of the national public service portal (DOMAIN.md §2.6): the contract for synchronisation.
NATIONAL_STATUS_CODE: dict[str, int] = {
    Status.SUBMITTED: 1,
    Status.RECEIVED: 2,
    Status.REFUSED_AT_RECEIPT: 3,
    Status.IN_PROCESS: 4,
    Status.SUPPLEMENT_REQUESTED: 5,
    Status.AWAITING_PAYMENT: 6,
    Status.WITHDRAWN: 7,
    Status.STOPPED: 8,
    Status.RESULT_READY: 9,
    Status.RETURNED: 10,
}

# Received and not finished: the dossiers an agency still owes an answer on.
OPEN_STATUSES = frozenset(
    {Status.RECEIVED, Status.IN_PROCESS, Status.SUPPLEMENT_REQUESTED, Status.AWAITING_PAYMENT}
)
# Open, and the legal clock is running: a dossier waiting for the applicant's supplement is not late (§4.4).
CLOCK_RUNNING_STATUSES = frozenset({Status.RECEIVED, Status.IN_PROCESS, Status.AWAITING_PAYMENT})
FINISHED_STATUSES = frozenset({Status.RESULT_READY, Status.RETURNED, Status.WITHDRAWN, Status.STOPPED})
# Open with the clock stopped: waiting for the applicant's supplement, which statistics count as within the
# deadline (DOMAIN.md §4.4).
CLOCK_STOPPED_STATUSES = OPEN_STATUSES - CLOCK_RUNNING_STATUSES
# Finished with a result issued (9, 10): the end of processing of indicator 2.2.
RESULT_STATUSES = frozenset({Status.RESULT_READY, Status.RETURNED})
# Never received (1, 3): excluded from every statistic (DOMAIN.md §10).
NOT_RECEIVED_STATUSES = frozenset({Status.SUBMITTED, Status.REFUSED_AT_RECEIPT})


class Channel(models.TextChoices):
    COUNTER = "counter", _("At the counter")
    ONLINE = "online", _("Online")
    POST = "post", _("By public post")


# KenhThucHien in national data (DOMAIN.md §2.1).
NATIONAL_CHANNEL_CODE: dict[str, int] = {Channel.COUNTER: 1, Channel.ONLINE: 2, Channel.POST: 3}


class ResultDelivery(models.TextChoices):
    COUNTER = "counter", _("At the counter")
    POST = "post", _("By post")
    ONLINE = "online", _("Online")


class ActionName(StrEnum):
    """Every lifecycle action, by the name its events carry in the history (`DossierEvent.action`)."""

    ACCEPT = "accept"
    REQUEST_FIX = "request_fix"
    REFUSE = "refuse"
    ASSIGN = "assign"
    FORWARD = "forward"
    SEND_BACK = "send_back"
    TRANSFER = "transfer"
    REQUEST_SUPPLEMENT = "request_supplement"
    SUBMIT_SUPPLEMENT = "submit_supplement"
    ACCEPT_SUPPLEMENT = "accept_supplement"
    REQUEST_PAYMENT = "request_payment"
    RECORD_PAYMENT = "record_payment"
    STOP = "stop"
    ISSUE_RESULT = "issue_result"
    RETURN_RESULT = "return_result"
    WITHDRAW = "withdraw"
    APOLOGISE = "apologise"


class CreationEvent(StrEnum):
    """The events that open a dossier's history, named after how it came in; they are not actions."""

    SUBMIT = "submit"
    RECEIVE = "receive"


class OutsideEvent(StrEnum):
    """Events an outside party's message adds to a dossier's history: not actions of ours, and they never
    change the status (a partner agency reporting on a dossier we transferred to it, ADR 0027)."""

    PARTNER_STATUS = "partner_status"


class Actor(StrEnum):
    """Who may take an action, besides the staff roles of `Role`."""

    APPLICANT = "applicant"
    STEP_ROLE = "step_role"  # the role the dossier's current workflow step names
    SIGNER = "signer"  # a leader, or an officer holding a delegation for the procedure


class Where(StrEnum):
    """The agency in which the actor's role must be held."""

    RECEIVING = "receiving"  # the unit that received the dossier (the one-stop counter)
    CURRENT = "current"  # the unit the dossier is at now


@dataclass(frozen=True)
class Permit:
    sources: frozenset[str]
    actors: frozenset[str]
    where: Where


# Why the dossier's own state forbids an action now, beyond its status; None when nothing does.
Guard = Callable[["Dossier"], str | None]


@dataclass(frozen=True)
class ActionField:
    """A field an action takes: whether it must be filled in, and for which dossiers it is asked at all."""

    name: str
    required: bool = False
    asked_of: Callable[[Dossier], bool] | None = None  # None: of every dossier
    # What a blank required field is told, when there is more to say than its name.
    missing: Promise | None = None

    def is_asked_of(self, dossier: Dossier) -> bool:
        return self.asked_of is None or self.asked_of(dossier)


@dataclass(frozen=True)
class Action:
    name: ActionName
    label: Promise
    transitions: dict[str, str | None]  # source status → target status (None: back to where it was before)
    permits: tuple[Permit, ...]
    fields: tuple[ActionField, ...] = ()  # besides the note, which every action takes
    guards: tuple[Guard, ...] = ()

    @property
    def sources(self) -> frozenset[str]:
        return frozenset(self.transitions)

    @property
    def fields_for_every_dossier(self) -> tuple[ActionField, ...]:
        return tuple(f for f in self.fields if f.asked_of is None)

    def fields_for(self, dossier: Dossier) -> tuple[ActionField, ...]:
        """The fields the action asks of this dossier."""
        return tuple(f for f in self.fields if f.is_asked_of(dossier))


def _permit(sources: Iterable[str], actors: set[str], where: Where = Where.CURRENT) -> Permit:
    return Permit(frozenset(sources), frozenset(actors), where)


def _required(*names: str) -> tuple[ActionField, ...]:
    return tuple(ActionField(name, required=True) for name in names)


def _optional(*names: str) -> tuple[ActionField, ...]:
    return tuple(ActionField(name) for name in names)


def _supplement_not_yet_submitted(dossier: Dossier) -> str | None:
    if dossier.supplement_submitted_at is not None:
        return gettext("The supplement was already submitted; wait for the officer to review it.")
    return None


def _supplement_submitted(dossier: Dossier) -> str | None:
    if dossier.supplement_submitted_at is None:
        return gettext("The applicant has not submitted the supplement yet.")
    return None


def _apologies_left(dossier: Dossier) -> str | None:
    if dossier.apology_count >= settings.MOTCUA_MAX_APOLOGIES:
        return gettext("The dossier already has %d apology; no further new date may be promised.") % (
            dossier.apology_count
        )
    return None


def _sent_by_post(dossier: Dossier) -> bool:
    return dossier.result_delivery == ResultDelivery.POST


def _collected(dossier: Dossier) -> bool:
    return dossier.result_delivery != ResultDelivery.POST


S = Status
A = ActionName

ACTIONS: dict[str, Action] = {
    a.name: a
    for a in [
        Action(
            A.ACCEPT,
            _("Receive"),
            {S.SUBMITTED: S.RECEIVED},
            (_permit({S.SUBMITTED}, {Role.COUNTER_OFFICER}, Where.RECEIVING),),
        ),
        Action(
            A.REQUEST_FIX,
            _("Ask to complete the dossier"),
            {S.SUBMITTED: S.SUBMITTED},
            (_permit({S.SUBMITTED}, {Role.COUNTER_OFFICER}, Where.RECEIVING),),
            fields=(*_required("reason"), *_optional("items")),
        ),
        Action(
            A.REFUSE,
            _("Refuse to receive"),
            {S.SUBMITTED: S.REFUSED_AT_RECEIPT},
            (_permit({S.SUBMITTED}, {Role.COUNTER_OFFICER}, Where.RECEIVING),),
            fields=_required("reason"),
        ),
        Action(
            A.ASSIGN,
            _("Assign"),
            {S.RECEIVED: S.RECEIVED, S.IN_PROCESS: S.IN_PROCESS},
            (_permit({S.RECEIVED, S.IN_PROCESS}, {Role.UNIT_LEADER}),),
            fields=_required("assignee"),
        ),
        Action(
            A.FORWARD,
            _("Forward to the next step"),
            {S.RECEIVED: S.IN_PROCESS, S.IN_PROCESS: S.IN_PROCESS},
            (
                _permit({S.RECEIVED}, {Role.COUNTER_OFFICER}, Where.RECEIVING),
                _permit({S.IN_PROCESS}, {Actor.STEP_ROLE, Role.UNIT_LEADER}),
            ),
        ),
        Action(
            A.SEND_BACK,
            _("Send back to the previous step"),
            {S.IN_PROCESS: S.IN_PROCESS},
            (_permit({S.IN_PROCESS}, {Actor.STEP_ROLE, Role.UNIT_LEADER}),),
            fields=_required("note"),
        ),
        Action(
            A.TRANSFER,
            _("Transfer to another unit"),
            {S.RECEIVED: S.IN_PROCESS, S.IN_PROCESS: S.IN_PROCESS},
            (
                _permit({S.RECEIVED}, {Role.COUNTER_OFFICER, Role.UNIT_LEADER}, Where.RECEIVING),
                _permit({S.IN_PROCESS}, {Role.UNIT_LEADER}),
            ),
            fields=_required("to_unit"),
        ),
        Action(
            A.REQUEST_SUPPLEMENT,
            _("Request a supplement"),
            {S.RECEIVED: S.SUPPLEMENT_REQUESTED, S.IN_PROCESS: S.SUPPLEMENT_REQUESTED},
            (
                _permit({S.RECEIVED}, {Role.COUNTER_OFFICER}, Where.RECEIVING),
                _permit({S.RECEIVED, S.IN_PROCESS}, {Actor.STEP_ROLE, Role.SPECIALIST, Role.UNIT_LEADER}),
            ),
            fields=_required("reason", "items"),
        ),
        Action(
            A.SUBMIT_SUPPLEMENT,
            _("Submit the supplement"),
            {S.SUPPLEMENT_REQUESTED: S.SUPPLEMENT_REQUESTED},
            (
                _permit({S.SUPPLEMENT_REQUESTED}, {Actor.APPLICANT}),
                _permit({S.SUPPLEMENT_REQUESTED}, {Role.COUNTER_OFFICER}, Where.RECEIVING),
            ),
            fields=_optional("documents"),
            guards=(_supplement_not_yet_submitted,),
        ),
        Action(
            A.ACCEPT_SUPPLEMENT,
            _("Accept the supplement"),
            {S.SUPPLEMENT_REQUESTED: None},
            (_permit({S.SUPPLEMENT_REQUESTED}, {Actor.STEP_ROLE, Role.SPECIALIST, Role.UNIT_LEADER}),),
            guards=(_supplement_submitted,),
        ),
        Action(
            A.REQUEST_PAYMENT,
            _("Request payment"),
            {S.RECEIVED: S.AWAITING_PAYMENT, S.IN_PROCESS: S.AWAITING_PAYMENT},
            (
                _permit({S.RECEIVED}, {Role.COUNTER_OFFICER}, Where.RECEIVING),
                _permit({S.IN_PROCESS}, {Actor.STEP_ROLE, Role.SPECIALIST, Role.UNIT_LEADER}),
            ),
            fields=_required("amount"),
        ),
        Action(
            A.RECORD_PAYMENT,
            _("Record the payment"),
            {S.AWAITING_PAYMENT: None},
            (
                _permit({S.AWAITING_PAYMENT}, {Role.COUNTER_OFFICER}, Where.RECEIVING),
                _permit({S.AWAITING_PAYMENT}, {Actor.STEP_ROLE, Role.SPECIALIST, Role.UNIT_LEADER}),
            ),
            fields=_optional("receipt_number"),
        ),
        Action(
            A.STOP,
            _("Stop processing"),
            dict.fromkeys(OPEN_STATUSES, S.STOPPED),
            (_permit(OPEN_STATUSES, {Role.UNIT_LEADER}),),
            fields=_required("reason"),
        ),
        Action(
            A.ISSUE_RESULT,
            _("Issue the result"),
            {S.IN_PROCESS: S.RESULT_READY},
            (_permit({S.IN_PROCESS}, {Actor.SIGNER}),),
            fields=_optional("result_number", "result_file"),
        ),
        Action(
            A.RETURN_RESULT,
            _("Return the result"),
            {S.RESULT_READY: S.RETURNED},
            (_permit({S.RESULT_READY}, {Role.COUNTER_OFFICER, Role.CLERK}, Where.RECEIVING),),
            # A result sent by post is returned with its waybill; one collected with the collector's name and
            # number.
            fields=(
                ActionField("recipient_name", asked_of=_collected),
                ActionField("recipient_id_number", asked_of=_collected),
                ActionField(
                    "waybill_number",
                    required=True,
                    asked_of=_sent_by_post,
                    missing=_("A result sent by post needs its waybill number."),
                ),
            ),
        ),
        Action(
            A.WITHDRAW,
            _("Withdraw"),
            dict.fromkeys(OPEN_STATUSES, S.WITHDRAWN),
            (
                _permit(OPEN_STATUSES, {Actor.APPLICANT}),
                _permit(OPEN_STATUSES, {Role.COUNTER_OFFICER}, Where.RECEIVING),
            ),
        ),
        Action(
            A.APOLOGISE,
            _("Apologise and set a new date"),
            {s: s for s in OPEN_STATUSES},
            (_permit(OPEN_STATUSES, {Role.UNIT_LEADER}),),
            fields=_required("reason", "new_appointment"),
            guards=(_apologies_left,),
        ),
    ]
}

CREATION_EVENTS: dict[str, CreationEvent] = {
    Status.SUBMITTED: CreationEvent.SUBMIT,
    Status.RECEIVED: CreationEvent.RECEIVE,
}
# The names of the history's entries that are not actions (those are labelled by their `Action`).
_OTHER_EVENT_LABELS: dict[str, Promise] = {
    CreationEvent.SUBMIT: _("Submitted online"),
    CreationEvent.RECEIVE: _("Received"),
    OutsideEvent.PARTNER_STATUS: _("Status from the partner agency"),
}


def event_label(name: str) -> str:
    """What an entry of a dossier's history is called: its action's label, or the name of an entry that is no
    action (how the dossier came in, a partner's report); the bare name of one unknown here."""
    action = ACTIONS.get(name)
    if action is not None:
        return str(action.label)
    label = _OTHER_EVENT_LABELS.get(name)
    return str(label) if label is not None else name


# The applicant rates the service once the result is in their hands (DOMAIN.md §8).
RATABLE_STATUSES = frozenset({Status.RETURNED})
# Withdrawn dossiers count as resolved on time, whatever their dates (DOMAIN.md §10).
ON_TIME_BY_RULE = frozenset({Status.WITHDRAWN})


def initial_status(channel: str, *, received_elsewhere: bool = False) -> str:
    """Online submissions wait for an officer to accept them; the counter and the post receive at once, and so
    does an agency a partner hands a dossier over to: the partner received it from the applicant already."""
    return Status.SUBMITTED if channel == Channel.ONLINE and not received_elsewhere else Status.RECEIVED


def awaits_receipt(status: str) -> bool:
    """Submitted online and not yet received by an officer: no receipt time, no clock."""
    return status == Status.SUBMITTED


def national_code(status: str) -> int:
    return NATIONAL_STATUS_CODE[status]


def national_channel_code(channel: str) -> int:
    return NATIONAL_CHANNEL_CODE[channel]


def target_status(action: Action, source: str, previous: str | None) -> str:
    target = action.transitions[source]
    if target is None:
        if previous is None:
            raise ValueError(f"{action.name} needs the status the dossier was in before")
        return previous
    return target


def state_problem(dossier: Dossier, action: Action) -> str | None:
    """Why the dossier's state forbids `action` now: its status, else one of the action's guards (None when
    nothing does)."""
    if dossier.status not in action.sources:
        return gettext("“%(action)s” is not possible while the dossier is “%(status)s”.") % {
            "action": action.label,
            "status": dossier.get_status_display(),
        }
    for guard in action.guards:
        if (problem := guard(dossier)) is not None:
            return problem
    return None


def _is_blank(value: Any) -> bool:
    return value is None or value in ([], ()) or (isinstance(value, str) and not value.strip())


def missing_fields(fields: Iterable[ActionField], values: Mapping[str, Any]) -> list[FieldProblem]:
    """A problem for each required field among `fields` that `values` leaves blank."""
    return [
        FieldProblem(
            f.name, "required", str(f.missing) if f.missing else gettext("This action needs “%s”.") % f.name
        )
        for f in fields
        if f.required and _is_blank(values.get(f.name))
    ]


def is_open(status: str) -> bool:
    return status in OPEN_STATUSES


def clock_running(status: str) -> bool:
    return status in CLOCK_RUNNING_STATUSES


def may_be_rated(status: str) -> bool:
    return status in RATABLE_STATUSES


def is_finished(status: str) -> bool:
    return status in FINISHED_STATUSES
