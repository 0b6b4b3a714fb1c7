"""The applicant's own dossiers: what a dossier means to them now (its status in plain words, what they are
expected to do, its history without the officers' internal steps), and what they can do about it (withdraw it,
send the supplement asked for).

Every change goes through the dossiers app's typed actions with the version the page showed; the rules stay
in the dossiers app's lifecycle.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile as DjangoUpload
from django.db import transaction
from django.utils.dateparse import parse_datetime
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core.errors import Conflict, FieldProblem, InvalidInput, NotFound
from motcua.core.text import written_text
from motcua.dossiers.lifecycle import (
    ACTIONS,
    ActionName,
    CreationEvent,
    ResultDelivery,
    Status,
    is_finished,
    may_be_rated,
)
from motcua.dossiers.models import Dossier, DossierEvent, SupplementRequest
from motcua.dossiers.policy import allowed_actions
from motcua.dossiers.services import actions
from motcua.dossiers.services.actions.payloads import SuppliedDocument
from motcua.dossiers.services.files import store_upload
from motcua.org.selectors import agency_by_code
from motcua.portal.models import SupplementUpload
from motcua.portal.selectors import AnyUser, latest_supplement, my_dossier, supplement_uploads

MAX_REASON = 2000


# --- what the dossier means to the applicant ----------------------------------------------------------------


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


# --- withdrawal ---------------------------------------------------------------------------------------------


def withdraw(user: AnyUser, code: str, expected_version: int, reason: str) -> Dossier:
    """Withdraw at the applicant's request; the reason goes with the event for the officers."""
    reason = written_text(reason, "reason", MAX_REASON, missing=_("Say why you withdraw the dossier."))
    dossier = my_dossier(user, code)
    return actions.withdraw(dossier, user, version=expected_version, note=reason)  # type: ignore[arg-type]


# --- supplements --------------------------------------------------------------------------------------------


def supplement_field(item: int) -> str:
    return f"supplement.{item}"


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
