"""Domain events: a service publishes what happened, and the apps above it subscribe (ADR 0011).

A lower app must not call the apps built on it (DESIGN.md §3), yet they need to react to its changes: send a
notification, sync with the national portal, close a queue ticket. The service publishes a typed event; the
subscribers hear of it only once the transaction that made it happen has committed, and never when it rolls
back. A subscriber that fails is logged and does not undo what was committed, nor keep the others from
hearing of it. Work that must be exact with the change (the statistics' rollups, ADR 0008) is not a
subscriber: it runs inside the transaction.
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


def subscribe(event_type: type[E]) -> Callable[[Callable[[E], None]], Callable[[E], None]]:
    """Deliver every `event_type` (subclasses included) to the decorated function; register subscribers in
    the subscribing app's `AppConfig.ready`. Subscribing twice delivers once."""

    def register(handler: Callable[[E], None]) -> Callable[[E], None]:
        handlers = _subscribers.setdefault(event_type, [])
        if handler not in handlers:
            handlers.append(handler)
        return handler

    return register


def unsubscribe(event_type: type[DomainEvent], handler: Subscriber) -> None:
    handlers = _subscribers.get(event_type, [])
    if handler in handlers:
        handlers.remove(handler)


def publish(event: DomainEvent) -> None:
    """Deliver `event` to its subscribers when the current transaction commits (at once outside of one)."""
    transaction.on_commit(functools.partial(_deliver, event))


def _deliver(event: DomainEvent) -> None:
    for event_type in type(event).__mro__:
        for handler in list(_subscribers.get(event_type, ())):
            try:
                handler(event)
            except Exception:
                # Only the names: an event may carry personal data that logs must not hold.
                logger.exception(
                    "Subscriber %s failed on %s",
                    getattr(handler, "__qualname__", handler),
                    type(event).__name__,
                )
