"""The dossier lifecycle, declared once: statuses, their national codes, and every action.

Services enforce this table, the API lists `allowed_actions` from it and the pages draw their buttons from it.
No status is compared anywhere else (DESIGN.md §4).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from motcua.org.constants import Role


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


@dataclass(frozen=True)
class Action:
    name: str
    label: Promise
    transitions: dict[str, str | None]  # source status → target status (None: back to where it was before)
    permits: tuple[Permit, ...]
    requires: tuple[str, ...] = ()
    fields: tuple[str, ...] = field(default=())  # optional fields the action accepts besides `requires`

    @property
    def sources(self) -> frozenset[str]:
        return frozenset(self.transitions)


def _permit(sources: set[str], actors: set[str], where: Where = Where.CURRENT) -> Permit:
    return Permit(frozenset(sources), frozenset(actors), where)


S = Status
ACTIVE = {S.RECEIVED, S.IN_PROCESS, S.SUPPLEMENT_REQUESTED, S.AWAITING_PAYMENT}

ACTIONS: dict[str, Action] = {
    a.name: a
    for a in [
        Action(
            "accept",
            _("Receive"),
            {S.SUBMITTED: S.RECEIVED},
            (_permit({S.SUBMITTED}, {Role.COUNTER_OFFICER}, Where.RECEIVING),),
        ),
        Action(
            "request_fix",
            _("Ask to complete the dossier"),
            {S.SUBMITTED: S.SUBMITTED},
            (_permit({S.SUBMITTED}, {Role.COUNTER_OFFICER}, Where.RECEIVING),),
            requires=("reason",),
            fields=("items",),
        ),
        Action(
            "refuse",
            _("Refuse to receive"),
            {S.SUBMITTED: S.REFUSED_AT_RECEIPT},
            (_permit({S.SUBMITTED}, {Role.COUNTER_OFFICER}, Where.RECEIVING),),
            requires=("reason",),
        ),
        Action(
            "assign",
            _("Assign"),
            {S.RECEIVED: S.RECEIVED, S.IN_PROCESS: S.IN_PROCESS},
            (_permit({S.RECEIVED, S.IN_PROCESS}, {Role.UNIT_LEADER}),),
            requires=("assignee",),
        ),
        Action(
            "forward",
            _("Forward to the next step"),
            {S.RECEIVED: S.IN_PROCESS, S.IN_PROCESS: S.IN_PROCESS},
            (
                _permit({S.RECEIVED}, {Role.COUNTER_OFFICER}, Where.RECEIVING),
                _permit({S.IN_PROCESS}, {Actor.STEP_ROLE, Role.UNIT_LEADER}),
            ),
        ),
        Action(
            "send_back",
            _("Send back to the previous step"),
            {S.IN_PROCESS: S.IN_PROCESS},
            (_permit({S.IN_PROCESS}, {Actor.STEP_ROLE, Role.UNIT_LEADER}),),
            requires=("note",),
        ),
        Action(
            "transfer",
            _("Transfer to another unit"),
            {S.RECEIVED: S.IN_PROCESS, S.IN_PROCESS: S.IN_PROCESS},
            (
                _permit({S.RECEIVED}, {Role.COUNTER_OFFICER, Role.UNIT_LEADER}, Where.RECEIVING),
                _permit({S.IN_PROCESS}, {Role.UNIT_LEADER}),
            ),
            requires=("to_unit",),
        ),
        Action(
            "request_supplement",
            _("Request a supplement"),
            {S.RECEIVED: S.SUPPLEMENT_REQUESTED, S.IN_PROCESS: S.SUPPLEMENT_REQUESTED},
            (
                _permit({S.RECEIVED}, {Role.COUNTER_OFFICER}, Where.RECEIVING),
                _permit({S.RECEIVED, S.IN_PROCESS}, {Actor.STEP_ROLE, Role.SPECIALIST, Role.UNIT_LEADER}),
            ),
            requires=("reason", "items"),
        ),
        Action(
            "submit_supplement",
            _("Submit the supplement"),
            {S.SUPPLEMENT_REQUESTED: S.SUPPLEMENT_REQUESTED},
            (
                _permit({S.SUPPLEMENT_REQUESTED}, {Actor.APPLICANT}),
                _permit({S.SUPPLEMENT_REQUESTED}, {Role.COUNTER_OFFICER}, Where.RECEIVING),
            ),
            fields=("documents",),
        ),
        Action(
            "accept_supplement",
            _("Accept the supplement"),
            {S.SUPPLEMENT_REQUESTED: None},
            (_permit({S.SUPPLEMENT_REQUESTED}, {Actor.STEP_ROLE, Role.SPECIALIST, Role.UNIT_LEADER}),),
        ),
        Action(
            "request_payment",
            _("Request payment"),
            {S.RECEIVED: S.AWAITING_PAYMENT, S.IN_PROCESS: S.AWAITING_PAYMENT},
            (
                _permit({S.RECEIVED}, {Role.COUNTER_OFFICER}, Where.RECEIVING),
                _permit({S.IN_PROCESS}, {Actor.STEP_ROLE, Role.SPECIALIST, Role.UNIT_LEADER}),
            ),
            requires=("amount",),
        ),
        Action(
            "record_payment",
            _("Record the payment"),
            {S.AWAITING_PAYMENT: None},
            (
                _permit({S.AWAITING_PAYMENT}, {Role.COUNTER_OFFICER}, Where.RECEIVING),
                _permit({S.AWAITING_PAYMENT}, {Actor.STEP_ROLE, Role.SPECIALIST, Role.UNIT_LEADER}),
            ),
            fields=("receipt_number",),
        ),
        Action(
            "stop",
            _("Stop processing"),
            dict.fromkeys(ACTIVE, S.STOPPED),
            (_permit(ACTIVE, {Role.UNIT_LEADER}),),
            requires=("reason",),
        ),
        Action(
            "issue_result",
            _("Issue the result"),
            {S.IN_PROCESS: S.RESULT_READY},
            (_permit({S.IN_PROCESS}, {Actor.SIGNER}),),
            fields=("result_number", "result_file"),
        ),
        Action(
            "return_result",
            _("Return the result"),
            {S.RESULT_READY: S.RETURNED},
            (_permit({S.RESULT_READY}, {Role.COUNTER_OFFICER, Role.CLERK}, Where.RECEIVING),),
            fields=("recipient_name", "recipient_id_number", "waybill_number"),
        ),
        Action(
            "withdraw",
            _("Withdraw"),
            dict.fromkeys(ACTIVE, S.WITHDRAWN),
            (
                _permit(ACTIVE, {Actor.APPLICANT}),
                _permit(ACTIVE, {Role.COUNTER_OFFICER}, Where.RECEIVING),
            ),
        ),
        Action(
            "apologise",
            _("Apologise and set a new date"),
            {s: s for s in ACTIVE},
            (_permit(ACTIVE, {Role.UNIT_LEADER}),),
            requires=("reason", "new_appointment"),
        ),
    ]
}

# The events that open a dossier's history, named after how it came in.
CREATION_EVENTS: dict[str, str] = {Status.SUBMITTED: "submit", Status.RECEIVED: "receive"}
# The applicant rates the service once the result is in their hands (DOMAIN.md §8).
RATABLE_STATUSES = frozenset({Status.RETURNED})
# Withdrawn dossiers count as resolved on time, whatever their dates (DOMAIN.md §10).
ON_TIME_BY_RULE = frozenset({Status.WITHDRAWN})


def initial_status(channel: str) -> str:
    """Online submissions wait for an officer to accept them; the counter and the post receive at once."""
    return Status.SUBMITTED if channel == Channel.ONLINE else Status.RECEIVED


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


def is_open(status: str) -> bool:
    return status in OPEN_STATUSES


def clock_running(status: str) -> bool:
    return status in CLOCK_RUNNING_STATUSES


def may_be_rated(status: str) -> bool:
    return status in RATABLE_STATUSES


def is_finished(status: str) -> bool:
    return status in FINISHED_STATUSES
