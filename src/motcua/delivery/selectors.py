"""Reading the outbox for the people who watch it: the command line, the API and the back-office page.

What they are shown of a message is its envelope only (destination, kind, ordering key, state, tries, the last
error): never its payload, which holds personal data. A receiver's error text may quote what it was sent, so
every personal identification number in it is masked before it is shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from motcua.core.errors import FieldProblem, InvalidInput
from motcua.core.identifiers import mask_personal_ids
from motcua.delivery.models import MessageStatus, OutboxMessage

# The states a person filters by: "failing" is a pending message that has been tried and failed.
PENDING, FAILING, DEAD, DELIVERED = "pending", "failing", "dead", "delivered"
STATES = (PENDING, FAILING, DEAD, DELIVERED)
_STATE_FILTERS = {
    PENDING: Q(status=MessageStatus.PENDING, attempts=0),
    FAILING: Q(status=MessageStatus.PENDING, attempts__gt=0),
    DEAD: Q(status=MessageStatus.DEAD),
    DELIVERED: Q(status=MessageStatus.DELIVERED),
}
DESTINATION_LENGTH = OutboxMessage._meta.get_field("destination").max_length or 100
# The senders name a dossier's messages by this key (exchange: f"dossier:{code}"), so that they go in order.
DOSSIER_KEY_PREFIX = "dossier:"


@dataclass(frozen=True)
class OutboxFilters:
    state: str = ""  # one of STATES, or "" for every state
    destination: str = ""  # exact, or "" for every destination


def read_filters(query: Mapping[str, Any]) -> OutboxFilters:
    """The filters as asked for; an unknown state or an over-long destination names its field."""
    state = str(query.get("status") or "").strip()
    destination = str(query.get("destination") or "").strip()
    problems = []
    if state and state not in STATES:
        message = _("Must be one of: %s.") % ", ".join(STATES)
        problems.append(FieldProblem("status", "invalid", message))
    if len(destination) > DESTINATION_LENGTH:
        message = _("Too long: at most %s characters.") % DESTINATION_LENGTH
        problems.append(FieldProblem("destination", "too_long", message))
    if problems:
        raise InvalidInput(_("The outbox cannot be filtered as asked."), problems)
    return OutboxFilters(state=state, destination=destination)


def outbox_messages(filters: OutboxFilters) -> QuerySet[OutboxMessage]:
    """The messages that match, newest first, without their payloads and answers."""
    messages = OutboxMessage.objects.defer("payload", "answer")
    if filters.state:
        messages = messages.filter(_STATE_FILTERS[filters.state])
    if filters.destination:
        messages = messages.filter(destination=filters.destination)
    return messages.order_by("-id")


def destinations() -> list[str]:
    """Every destination a message was ever written for, by name (for a filter's choices)."""
    return list(
        OutboxMessage.objects.order_by("destination").values_list("destination", flat=True).distinct()
    )


def state_of(message: OutboxMessage) -> str:
    if message.status == MessageStatus.PENDING:
        return FAILING if message.attempts else PENDING
    return DEAD if message.status == MessageStatus.DEAD else DELIVERED


def next_attempt(message: OutboxMessage) -> dt.datetime | None:
    """When the worker tries it next; None once it is delivered or dead (only a person's retry moves it)."""
    return message.next_attempt_at if message.status == MessageStatus.PENDING else None


def shown_error(text: str) -> str:
    """An error text as it may be shown or printed: personal identification numbers masked."""
    return mask_personal_ids(text)


def dossier_code(ordering_key: str) -> str:
    """The dossier a message is about, read from its ordering key; "" for a message about none."""
    return (
        ordering_key.removeprefix(DOSSIER_KEY_PREFIX) if ordering_key.startswith(DOSSIER_KEY_PREFIX) else ""
    )


def envelope(message: OutboxMessage) -> dict[str, Any]:
    """What may be shown of a message, for the API and `motcua outbox list --json`."""
    return {
        "id": message.pk,
        "destination": message.destination,
        "kind": message.kind,
        "ordering_key": message.ordering_key,
        "dossier": dossier_code(message.ordering_key) or None,
        "status": state_of(message),
        "attempts": message.attempts,
        "next_attempt_at": next_attempt(message),
        "last_error": shown_error(message.last_error),
        "created_at": message.created_at,
        "delivered_at": message.delivered_at,
    }
