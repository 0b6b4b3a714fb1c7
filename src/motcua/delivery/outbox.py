"""Writing messages to the outbox and delivering them (ADR 0020).

A message is written with `enqueue` inside the transaction of the change that caused it: a rollback sends
nothing, a commit always sends. After the commit a worker delivers it (`deliver_due`, one cycle) through the
sender registered for its kind. A sender that cannot reach the receiver raises `Unreachable`: the message is
tried again after a wait that doubles each time, and is dead (left for a person to retry) after the configured
number of tries. A receiver that refuses the message (`Refused`) makes it dead at once: trying again would be
refused again. Failures in a row open the destination's circuit breaker, and its messages wait without
spending tries until it closes; a destination that is down never slows anyone's work, which only writes a row.

Messages with one ordering key (a dossier's) are delivered strictly in the order they were written: a message
waits while an earlier one of its key is undelivered, dead ones included, so that a dossier's progress never
reaches a receiver before the dossier does. Every try of a message carries its idempotency key, so a receiver
told twice applies it once: a worker killed after sending but before recording leaves the message to be sent
again once its claim expires.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import Conflict, NotFound
from motcua.delivery.config import OutboxConfig, outbox_config
from motcua.delivery.models import DestinationState, MessageStatus, OutboxMessage

logger = logging.getLogger(__name__)

# The longest error text kept with a message: enough for a receiver's explanation, not for a dump.
ERROR_LENGTH = 1000


class Unreachable(Exception):
    """The receiver could not be reached or did not answer in time: worth trying again later."""


class Refused(Exception):
    """The receiver answered and refused the message (its data, its form): trying again would not help."""


Sender = Callable[[OutboxMessage], Mapping[str, Any] | None]

_senders: dict[str, Sender] = {}


def register_sender(kind: str) -> Callable[[Sender], Sender]:
    """Make the decorated function the sender of messages of `kind`; register in an `AppConfig.ready`."""

    def register(sender: Sender) -> Sender:
        if _senders.setdefault(kind, sender) is not sender:
            raise ImproperlyConfigured(f"Messages of kind {kind!r} have two senders.")
        return sender

    return register


@contextmanager
def sender_replaced(kind: str, sender: Sender) -> Iterator[Sender]:
    """Within the block, messages of `kind` go through `sender` (a test's own); the registered one after."""
    original = _senders.get(kind)
    _senders[kind] = sender
    try:
        yield sender
    finally:
        if original is None:
            del _senders[kind]
        else:
            _senders[kind] = original


def enqueue(
    destination: str,
    kind: str,
    payload: Mapping[str, Any],
    *,
    ordering_key: str = "",
    idempotency_key: uuid.UUID | None = None,
) -> OutboxMessage:
    """Write a message for `destination` in the current transaction; the worker is woken when it commits."""
    if not connection.in_atomic_block:
        raise RuntimeError("enqueue() belongs inside the transaction of the change the message is about.")
    if kind not in _senders:
        raise ImproperlyConfigured(f"No sender delivers messages of kind {kind!r}.")
    now = timezone.now()
    message = OutboxMessage.objects.create(
        destination=destination,
        kind=kind,
        payload=dict(payload),
        ordering_key=ordering_key,
        idempotency_key=idempotency_key or uuid.uuid4(),
        next_attempt_at=now,
        created_at=now,
    )
    from motcua.delivery.tasks import wake_worker  # the task module imports this one

    # One wake-up per transaction, however many messages it writes (a record and a progress entry).
    if not any(callback is wake_worker for _savepoints, callback, _robust in connection.run_on_commit):
        transaction.on_commit(wake_worker)
    return message


@dataclass
class DeliveryRun:
    """What one worker cycle did."""

    delivered: int = 0
    failed: int = 0  # tries that failed and will be tried again
    dead: int = 0  # messages that became dead in this cycle

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def deliver_due(now: dt.datetime | None = None, limit: int | None = None) -> DeliveryRun:
    """Deliver every message that is due, each in its key's order, until none is left (or `limit` tries)."""
    config = outbox_config()
    run = DeliveryRun()
    tries = 0
    while limit is None or tries < limit:
        moment = now or timezone.now()
        message = _claim_next(moment, config)
        if message is None:
            break
        tries += 1
        _try(message, config, run, now)
    return run


def _due(moment: dt.datetime) -> Any:
    """The messages a worker may try at `moment`: due, unclaimed, their destination's breaker closed, and
    nothing written before them under their ordering key still undelivered."""
    earlier_undelivered = OutboxMessage.objects.filter(
        ordering_key=OuterRef("ordering_key"), id__lt=OuterRef("id")
    ).exclude(status=MessageStatus.DELIVERED)
    open_breakers = DestinationState.objects.filter(open_until__gt=moment).values("destination")
    return (
        OutboxMessage.objects.filter(status=MessageStatus.PENDING, next_attempt_at__lte=moment)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lte=moment))
        .exclude(destination__in=open_breakers)
        .filter(Q(ordering_key="") | ~Exists(earlier_undelivered))
        .order_by("id")
    )


def _claim_next(moment: dt.datetime, config: OutboxConfig) -> OutboxMessage | None:
    with transaction.atomic():
        # Two workers skip each other's claims rather than wait for them (SQLite has one writer at a time).
        message = _due(moment).select_for_update(skip_locked=True, of=("self",)).first()
        if message is not None:
            message.claimed_until = moment + config.lease
            message.save(update_fields=["claimed_until"])
    return message


def _try(message: OutboxMessage, config: OutboxConfig, run: DeliveryRun, now: dt.datetime | None) -> None:
    sender = _senders.get(message.kind)
    answer: Mapping[str, Any] | None = None
    refusal = failure = ""
    if sender is None:
        failure = f"No sender delivers messages of kind {message.kind!r}."
    else:
        try:
            answer = sender(message)
        except Refused as error:
            refusal = str(error) or type(error).__name__
        except Unreachable as error:
            failure = str(error) or type(error).__name__
        except Exception as error:
            # A sender's own bug: logged with its trace for the developers, tried again like any failure.
            logger.exception("The sender of %s failed on message %s", message.kind, message.pk)
            failure = f"{type(error).__name__}: {error}"
    moment = now or timezone.now()
    with transaction.atomic():
        message.attempts += 1
        message.claimed_until = None
        if not (refusal or failure):
            message.status = MessageStatus.DELIVERED
            message.delivered_at = moment
            message.answer = dict(answer) if answer is not None else None
            run.delivered += 1
        elif refusal:
            message.status = MessageStatus.DEAD
            message.last_error = refusal[:ERROR_LENGTH]
            run.dead += 1
        else:
            message.last_error = failure[:ERROR_LENGTH]
            if message.attempts >= config.max_attempts:
                message.status = MessageStatus.DEAD
                run.dead += 1
            else:
                message.next_attempt_at = moment + _backoff(message.attempts, config)
                run.failed += 1
        message.save()
        _record_destination(message.destination, moment, failure, config)


def _backoff(attempts: int, config: OutboxConfig) -> dt.timedelta:
    wait = min(config.max_delay, config.base_delay * 2 ** (attempts - 1))
    # A little jitter, so that messages that failed together are not all tried again at the same instant.
    return wait * random.uniform(0.9, 1.1)


def _record_destination(destination: str, moment: dt.datetime, failure: str, config: OutboxConfig) -> None:
    state, _created = DestinationState.objects.select_for_update().get_or_create(destination=destination)
    if failure:
        state.consecutive_failures += 1
        state.last_error = failure[:ERROR_LENGTH]
        state.last_failure_at = moment
        if state.consecutive_failures >= config.breaker_threshold:
            state.open_until = moment + config.breaker_cooldown
    else:
        # It answered (a refusal is an answer too): it is up.
        state.consecutive_failures = 0
        state.open_until = None
        state.last_success_at = moment
    state.save()


def next_wake_up(now: dt.datetime | None = None) -> dt.datetime | None:
    """When a worker should next deliver: `now` when a message is due, else when a waiting one may be (a
    retry's time, a breaker closing, a claim expiring); None when none waits."""
    moment = now or timezone.now()
    if _due(moment).exists():
        return moment
    pending = OutboxMessage.objects.filter(status=MessageStatus.PENDING)
    candidates = [
        pending.filter(next_attempt_at__gt=moment)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first(),
        DestinationState.objects.filter(open_until__gt=moment, destination__in=pending.values("destination"))
        .order_by("open_until")
        .values_list("open_until", flat=True)
        .first(),
        pending.filter(claimed_until__gt=moment)
        .order_by("claimed_until")
        .values_list("claimed_until", flat=True)
        .first(),
    ]
    times = [time for time in candidates if time is not None]
    return min(times) if times else None


def retry(message_id: int) -> OutboxMessage:
    """Make a dead or failing message due now with its tries counted afresh, and close its destination's
    breaker: a person asking to retry wants it tried now. A delivered message is a Conflict."""
    now = timezone.now()
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None:
            raise NotFound(_("There is no outbound message %d.") % message_id)
        if message.status == MessageStatus.DELIVERED:
            raise Conflict(_("Message %d was delivered already.") % message_id)
        _make_due([message.pk], now)
        transaction.on_commit(_wake)
    message.refresh_from_db()
    return message


def retry_all(destination: str | None = None) -> int:
    """Make every dead or failing message (of `destination`) due now; how many."""
    now = timezone.now()
    undelivered = OutboxMessage.objects.filter(
        Q(status=MessageStatus.DEAD) | Q(status=MessageStatus.PENDING, attempts__gt=0)
    )
    if destination is not None:
        undelivered = undelivered.filter(destination=destination)
    with transaction.atomic():
        ids = list(undelivered.select_for_update().values_list("pk", flat=True))
        _make_due(ids, now)
        transaction.on_commit(_wake)
    return len(ids)


def _make_due(ids: list[int], now: dt.datetime) -> None:
    messages = OutboxMessage.objects.filter(pk__in=ids)
    destinations = set(messages.values_list("destination", flat=True))
    messages.update(status=MessageStatus.PENDING, attempts=0, next_attempt_at=now, claimed_until=None)
    DestinationState.objects.filter(destination__in=destinations).update(
        open_until=None, consecutive_failures=0
    )


def purge_delivered(now: dt.datetime | None = None) -> int:
    """Delete the messages delivered more than MOTCUA_OUTBOX_RETENTION_DAYS ago: their payloads hold personal
    data, and what the receiver accepted is kept where it matters (the national portal's sync record)."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.MOTCUA_OUTBOX_RETENTION_DAYS)
    deleted, _by_model = OutboxMessage.objects.filter(
        status=MessageStatus.DELIVERED, delivered_at__lt=cutoff
    ).delete()
    return deleted


def _wake() -> None:
    from motcua.delivery.tasks import wake_worker

    wake_worker()


@dataclass(frozen=True)
class DestinationSummary:
    destination: str
    pending: int  # waiting for their first try
    failing: int  # tried, failed, to be tried again
    dead: int
    delivered: int
    last_error: str
    breaker_open_until: dt.datetime | None
    last_success_at: dt.datetime | None


def summary() -> list[DestinationSummary]:
    """Per destination: its messages by state, its last error and its breaker, by destination name."""
    counts = (
        OutboxMessage.objects.values("destination")
        .annotate(
            pending_count=Count("pk", filter=Q(status=MessageStatus.PENDING, attempts=0)),
            failing_count=Count("pk", filter=Q(status=MessageStatus.PENDING, attempts__gt=0)),
            dead_count=Count("pk", filter=Q(status=MessageStatus.DEAD)),
            delivered_count=Count("pk", filter=Q(status=MessageStatus.DELIVERED)),
        )
        .order_by("destination")
    )
    states = {state.destination: state for state in DestinationState.objects.all()}
    now = timezone.now()
    result = []
    for row in counts:
        state = states.get(row["destination"])
        last_error = (
            OutboxMessage.objects.filter(destination=row["destination"])
            .exclude(last_error="")
            .order_by("-id")
            .values_list("last_error", flat=True)
            .first()
        )
        result.append(
            DestinationSummary(
                destination=row["destination"],
                pending=row["pending_count"],
                failing=row["failing_count"],
                dead=row["dead_count"],
                delivered=row["delivered_count"],
                last_error=(state.last_error if state and state.last_error else last_error) or "",
                breaker_open_until=state.open_until
                if state and state.open_until and state.open_until > now
                else None,
                last_success_at=state.last_success_at if state else None,
            )
        )
    return result
