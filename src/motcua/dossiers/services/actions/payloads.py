"""What each lifecycle action takes besides the dossier, its version and the actor: one typed payload per
action, and the one place where untyped input (a JSON body, a posted form) is read into it.

The lifecycle table says which fields an action takes and which it requires; the payload gives them their
types. Reading checks the shape of each value (text, a list of items, a whole number of đồng, a date) and
names the field of every problem; what a value means for the dossier (an officer of the unit, a later date)
is the handler's to check.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from motcua.core.errors import InvalidInput
from motcua.core.input import MAX_ID
from motcua.dossiers.lifecycle import ACTIONS, Action, ActionName, missing_fields

MAX_TEXT = 4000


@dataclass(frozen=True)
class SupplementItem:
    """A document the applicant is asked to add or correct, and what is needed of it."""

    description: str
    requirement: str = ""

    def as_json(self) -> dict[str, str]:
        return {"description": self.description, "requirement": self.requirement}


@dataclass(frozen=True)
class SuppliedDocument:
    """A file handed in with a supplement, and the required document of the case it is, if one."""

    file: int
    requirement: int | None = None


@dataclass(frozen=True, kw_only=True)
class Payload:
    action: ClassVar[ActionName]

    note: str = ""  # kept in the history with the event; every action takes one


@dataclass(frozen=True, kw_only=True)
class Accept(Payload):
    action = ActionName.ACCEPT


@dataclass(frozen=True, kw_only=True)
class RequestFix(Payload):
    action = ActionName.REQUEST_FIX
    reason: str
    items: tuple[SupplementItem, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Refuse(Payload):
    action = ActionName.REFUSE
    reason: str


@dataclass(frozen=True, kw_only=True)
class Assign(Payload):
    action = ActionName.ASSIGN
    assignee: str  # the officer's username


@dataclass(frozen=True, kw_only=True)
class Forward(Payload):
    action = ActionName.FORWARD


@dataclass(frozen=True, kw_only=True)
class SendBack(Payload):
    action = ActionName.SEND_BACK


@dataclass(frozen=True, kw_only=True)
class Transfer(Payload):
    action = ActionName.TRANSFER
    to_unit: str  # the agency's identity code


@dataclass(frozen=True, kw_only=True)
class RequestSupplement(Payload):
    action = ActionName.REQUEST_SUPPLEMENT
    reason: str
    items: tuple[SupplementItem, ...]


@dataclass(frozen=True, kw_only=True)
class SubmitSupplement(Payload):
    action = ActionName.SUBMIT_SUPPLEMENT
    documents: tuple[SuppliedDocument, ...] = ()


@dataclass(frozen=True, kw_only=True)
class AcceptSupplement(Payload):
    action = ActionName.ACCEPT_SUPPLEMENT


@dataclass(frozen=True, kw_only=True)
class RequestPayment(Payload):
    action = ActionName.REQUEST_PAYMENT
    amount: int  # đồng


@dataclass(frozen=True, kw_only=True)
class RecordPayment(Payload):
    action = ActionName.RECORD_PAYMENT
    receipt_number: str = ""


@dataclass(frozen=True, kw_only=True)
class Stop(Payload):
    action = ActionName.STOP
    reason: str


@dataclass(frozen=True, kw_only=True)
class IssueResult(Payload):
    action = ActionName.ISSUE_RESULT
    result_number: str = ""
    result_file: int | None = None  # an upload of the signer's


@dataclass(frozen=True, kw_only=True)
class ReturnResult(Payload):
    action = ActionName.RETURN_RESULT
    recipient_name: str = ""
    recipient_id_number: str = ""
    waybill_number: str = ""


@dataclass(frozen=True, kw_only=True)
class Withdraw(Payload):
    action = ActionName.WITHDRAW


@dataclass(frozen=True, kw_only=True)
class Apologise(Payload):
    action = ActionName.APOLOGISE
    reason: str
    new_appointment: dt.datetime


PAYLOADS: dict[str, type[Payload]] = {kind.action: kind for kind in Payload.__subclasses__()}


def _names(kind: type[Payload]) -> set[str]:
    return {f.name for f in dataclasses.fields(kind)}


if PAYLOADS.keys() != ACTIONS.keys() or any(
    _names(PAYLOADS[name]) != {"note", *(f.name for f in action.fields)} for name, action in ACTIONS.items()
):
    raise ImproperlyConfigured("Every action has one payload, with the fields the lifecycle table gives it.")


def values_of(payload: Payload) -> dict[str, Any]:
    return {name: getattr(payload, name) for name in _names(type(payload))}


# --- reading untyped input ---------------------------------------------------------------------------------
# Each reader turns the raw value of one field into its type, None when the field is absent.


def _text(raw: Any, name: str) -> str | None:
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise InvalidInput.field(name, "type", _("Expected text."))
    return raw.strip()[:MAX_TEXT]


def _items(raw: Any, name: str) -> tuple[SupplementItem, ...] | None:
    if raw is None:
        return None
    if not isinstance(raw, list):
        raise InvalidInput.field(name, "invalid", _("List the items as [{description, requirement}]."))
    items = []
    for index, item in enumerate(raw):
        description = item.get("description") if isinstance(item, dict) else None
        if not isinstance(description, str) or not description.strip():
            raise InvalidInput.field(f"{name}.{index}.description", "required", _("Describe the item."))
        requirement = str(item.get("requirement") or "")  # words, such as "a certified copy"
        items.append(SupplementItem(description.strip()[:MAX_TEXT], requirement[:MAX_TEXT]))
    return tuple(items)


def _id(value: Any) -> int | None:
    """`value` as the id of a row, or None when it cannot be one."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ID:
        return None
    return value


def _file(raw: Any, name: str) -> int | None:
    if raw is None:
        return None
    if (file_id := _id(raw)) is None:
        raise InvalidInput.field(name, "unknown", _("No such file uploaded by you."))
    return file_id


def _documents(raw: Any, name: str) -> tuple[SuppliedDocument, ...] | None:
    if raw is None:
        return None
    if not isinstance(raw, list):
        raise InvalidInput.field(name, "invalid", _("List the documents as [{requirement, file}]."))
    documents = []
    for index, document in enumerate(raw):
        row = document if isinstance(document, dict) else {}
        file_id = _id(row.get("file"))
        if file_id is None:
            raise InvalidInput.field(f"{name}.{index}.file", "unknown", _("No such file uploaded by you."))
        requirement = row.get("requirement")
        if requirement is not None and _id(requirement) is None:
            raise InvalidInput.field(
                f"{name}.{index}.requirement", "unknown", _("Not a document this case requires.")
            )
        documents.append(SuppliedDocument(file_id, requirement))
    return tuple(documents)


def _amount(raw: Any, name: str) -> int | None:
    if raw is None:
        return None
    if _id(raw) is None:
        raise InvalidInput.field(name, "invalid", _("The amount is a positive whole number of đồng."))
    return int(raw)


def _moment(raw: Any, name: str) -> dt.datetime | None:
    if raw is None:
        return None
    try:
        moment = parse_datetime(raw) if isinstance(raw, str) else None
    except ValueError:  # well-formed but impossible, such as 31 February
        moment = None
    if moment is None:
        raise InvalidInput.field(name, "invalid", _("Give the new date as an ISO 8601 date and time."))
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


READERS: dict[str, Callable[[Any, str], Any]] = {
    "note": _text,
    "reason": _text,
    "items": _items,
    "assignee": _text,
    "to_unit": _text,
    "amount": _amount,
    "new_appointment": _moment,
    "documents": _documents,
    "result_number": _text,
    "result_file": _file,
    "receipt_number": _text,
    "recipient_name": _text,
    "recipient_id_number": _text,
    "waybill_number": _text,
}


def read_payload(action: Action, fields: Mapping[str, Any]) -> Payload:
    """The action's payload from untyped `fields`; fields the action does not take are ignored.

    Every required field left blank is reported at once; then the first value of the wrong shape."""
    if missing := missing_fields(action.fields_for_every_dossier, fields):
        raise InvalidInput(_("Some fields this action needs are missing."), missing)
    kind = PAYLOADS[action.name]
    values = {name: READERS[name](fields.get(name), name) for name in _names(kind)}
    return kind(**{name: value for name, value in values.items() if value is not None})
