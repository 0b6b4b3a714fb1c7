"""Domain events: a service publishes what happened, and the apps above it subscribe (ADR 0011).

A lower app must not call the apps built on it (DESIGN.md §3), yet they need to react to its changes: send a
notification, sync with the national portal, close a queue ticket. The service publishes a typed event; the
subscribers hear of it only once the transaction that made it happen has committed, and never when it rolls
back. A subscriber that fails is logged and does not undo what was committed, nor keep the others from
hearing of it. Work that must be exact with the change (the statistics' rollups, ADR 0008) is not a
subscriber: it runs inside the transaction.

One kind of work must happen inside the transaction yet belongs to an app above: writing the message an
outside party is to receive (the outbox, ADR 0020), which must exist exactly when the change does. Such a
handler subscribes with `subscribe_in_transaction`: it runs when the event is published, before the
commit, and an exception it raises rolls the change back. Nothing else belongs there: it must only write
rows.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import transaction

logger = logging.getLogger(__name__)


class DomainEvent:
    """The base of every published event; each is a frozen dataclass in the app that owns the fact."""


E = TypeVar("E", bound=DomainEvent)
Subscriber = Callable[[Any], None]

_subscribers: dict[type[DomainEvent], list[Subscriber]] = {}
_in_transaction: dict[type[DomainEvent], list[Subscriber]] = {}


def subscribe(event_type: type[E]) -> Callable[[Callable[[E], None]], Callable[[E], None]]:
    """Deliver every `event_type` (subclasses included) to the decorated function; register subscribers in
    the subscribing app's `AppConfig.ready`. Subscribing twice delivers once."""

    return _registering(_subscribers, event_type)


def subscribe_in_transaction(event_type: type[E]) -> Callable[[Callable[[E], None]], Callable[[E], None]]:
    """Call the decorated function with every `event_type` as it is published, inside the publishing
    transaction: for writing rows that must commit or roll back with the change (the outbox), nothing else."""
    return _registering(_in_transaction, event_type)


def _registering(
    table: dict[type[DomainEvent], list[Subscriber]], event_type: type[E]
) -> Callable[[Callable[[E], None]], Callable[[E], None]]:
    def register(handler: Callable[[E], None]) -> Callable[[E], None]:
        handlers = table.setdefault(event_type, [])
        if handler not in handlers:
            handlers.append(handler)
        return handler

    return register


def unsubscribe(event_type: type[DomainEvent], handler: Subscriber) -> None:
    for table in (_subscribers, _in_transaction):
        handlers = table.get(event_type, [])
        if handler in handlers:
            handlers.remove(handler)


def publish(event: DomainEvent) -> None:
    """Hand `event` to the in-transaction subscribers now, and to the others when the current transaction
    commits (at once outside of one)."""
    for handler in _handlers(_in_transaction, event):
        handler(event)
    transaction.on_commit(functools.partial(_deliver, event))


def _handlers(table: dict[type[DomainEvent], list[Subscriber]], event: DomainEvent) -> list[Subscriber]:
    return [handler for event_type in type(event).__mro__ for handler in table.get(event_type, ())]


def _deliver(event: DomainEvent) -> None:
    for handler in _handlers(_subscribers, event):
        try:
            handler(event)
        except Exception:
            # Only the names: an event may carry personal data that logs must not hold.
            logger.exception(
                "Subscriber %s failed on %s",
                getattr(handler, "__qualname__", handler),
                type(event).__name__,
            )
