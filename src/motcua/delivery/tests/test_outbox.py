"""The outbox: a message exists exactly when its change committed, is delivered once in its key's order, is
tried again after a growing wait when the receiver cannot be reached, dies when refused or tried too often,
leaves a failing destination alone for a while, and comes back when a person retries it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from motcua.core.errors import Conflict, NotFound
from motcua.delivery.models import DestinationState, MessageStatus, OutboxMessage
from motcua.delivery.outbox import (
    Refused,
    Unreachable,
    deliver_due,
    enqueue,
    next_wake_up,
    retry,
    retry_all,
    sender_replaced,
    summary,
)

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)  # before the real clock, which retry() uses


class Receiver:
    """A receiver as the senders see it: it records what reached it and fails as told."""

    def __init__(self) -> None:
        self.received: list[tuple[str, Any]] = []
        self.down = False
        self.refusing: set[str] = set()

    def __call__(self, message: OutboxMessage) -> dict[str, Any]:
        if self.down:
            raise Unreachable("connection refused")
        if message.payload.get("n") in self.refusing:
            raise Refused("MaTTHC: unknown procedure")
        self.received.append((message.payload["n"], message.idempotency_key))
        return {"accepted": message.payload["n"]}

    @property
    def names(self) -> list[str]:
        return [name for name, _key in self.received]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    receiver = Receiver()
    with sender_replaced("test.echo", receiver):
        yield receiver


@pytest.fixture
def outbox_settings(settings):
    settings.MOTCUA_OUTBOX_MAX_ATTEMPTS = 3
    settings.MOTCUA_OUTBOX_BASE_DELAY_SECONDS = 10
    settings.MOTCUA_OUTBOX_MAX_DELAY_SECONDS = 30
    settings.MOTCUA_OUTBOX_BREAKER_THRESHOLD = 2
    settings.MOTCUA_OUTBOX_BREAKER_COOLDOWN_SECONDS = 60
    return settings


def put(name: str, key: str = "", destination: str = "partner") -> OutboxMessage:
    with transaction.atomic():
        return enqueue(destination, "test.echo", {"n": name}, ordering_key=key)


def later(seconds: float) -> dt.datetime:
    return NOW + dt.timedelta(seconds=seconds)


@pytest.fixture
def at_now(db) -> Callable[..., OutboxMessage]:
    """Messages written at NOW, so that the times the tests pass to deliver_due are after them."""

    def write(*args: Any, **kwargs: Any) -> OutboxMessage:
        message = put(*args, **kwargs)
        OutboxMessage.objects.filter(pk=message.pk).update(created_at=NOW, next_attempt_at=NOW)
        return message

    return write


def test_a_message_is_written_only_inside_the_transaction_of_its_change(transactional_db, receiver):
    with pytest.raises(RuntimeError, match="inside the transaction"):
        enqueue("partner", "test.echo", {"n": "a"})
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        enqueue("partner", "test.echo", {"n": "rolled back"})
        1 / 0  # noqa: B018 (the change fails after its message was written)
    assert not OutboxMessage.objects.exists()


def test_a_message_nobody_can_send_is_refused_when_written(db):
    with pytest.raises(ImproperlyConfigured, match=r"test\.nobody"), transaction.atomic():
        enqueue("partner", "test.nobody", {})


def test_delivered_once_with_its_idempotency_key_and_the_answer_kept(receiver, at_now, outbox_settings):
    message = at_now("a")
    assert deliver_due(now=later(1)).as_dict() == {"delivered": 1, "failed": 0, "dead": 0}
    assert deliver_due(now=later(2)).delivered == 0
    message.refresh_from_db()
    assert receiver.received == [("a", message.idempotency_key)]
    assert (message.status, message.attempts, message.answer) == (
        MessageStatus.DELIVERED,
        1,
        {"accepted": "a"},
    )


def test_an_unreachable_receiver_is_tried_again_after_a_doubling_wait_then_the_message_dies(
    receiver, at_now, outbox_settings
):
    outbox_settings.MOTCUA_OUTBOX_BREAKER_THRESHOLD = 10
    receiver.down = True
    message = at_now("a")
    waits = []
    moment = later(0)
    for _try in range(3):
        deliver_due(now=moment)
        message.refresh_from_db()
        if message.status == MessageStatus.PENDING:
            waits.append((message.next_attempt_at - moment).total_seconds())
            assert deliver_due(now=moment + dt.timedelta(seconds=1)).failed == 0  # not due yet
            moment = message.next_attempt_at
    assert message.status == MessageStatus.DEAD
    assert message.attempts == 3
    assert message.last_error == "connection refused"
    assert 9 <= waits[0] <= 11 and 18 <= waits[1] <= 22


def test_a_refused_message_dies_at_once_with_the_receivers_reason(receiver, at_now, outbox_settings):
    receiver.refusing = {"bad"}
    bad = at_now("bad")
    at_now("good")
    run = deliver_due(now=later(1))
    bad.refresh_from_db()
    assert (run.dead, run.delivered) == (1, 1)
    assert (bad.status, bad.last_error) == (MessageStatus.DEAD, "MaTTHC: unknown procedure")
    # The receiver answered: it is up, and its breaker stays closed.
    assert DestinationState.objects.get(destination="partner").consecutive_failures == 0


def test_a_key_is_delivered_in_order_and_waits_behind_its_undelivered_message(
    receiver, at_now, outbox_settings
):
    receiver.refusing = {"created"}
    at_now("created", key="dossier:1")
    at_now("progress", key="dossier:1")
    at_now("other", key="dossier:2")
    deliver_due(now=later(1))
    assert receiver.names == ["other"]
    assert OutboxMessage.objects.get(payload__n="progress").status == MessageStatus.PENDING

    receiver.refusing = set()
    retry(OutboxMessage.objects.get(payload__n="created").pk)
    deliver_due(now=timezone.now() + dt.timedelta(seconds=1))
    assert receiver.names == ["other", "created", "progress"]


def test_failures_in_a_row_open_the_breaker_and_its_messages_wait_unspent(receiver, at_now, outbox_settings):
    receiver.down = True
    for name in "abcd":
        at_now(name, destination="portal")
    at_now("elsewhere", destination="partner")
    receiver.down = True
    run = deliver_due(now=later(1))
    # Two failures open the breaker: the two other messages of the portal are not tried.
    assert run.failed == 3  # a, b, and the partner's message, down too
    untried = OutboxMessage.objects.filter(destination="portal", attempts=0)
    assert untried.count() == 2
    state = DestinationState.objects.get(destination="portal")
    assert state.open_until == later(61)
    assert next_wake_up(later(2)) is not None

    receiver.down = False
    # The partner's message is tried again after its wait; the portal's wait for its breaker to close.
    assert deliver_due(now=later(30)).delivered == 1
    assert deliver_due(now=later(62)).delivered == 4
    assert OutboxMessage.objects.filter(status=MessageStatus.DELIVERED).count() == 5


def test_a_message_claimed_by_a_worker_that_died_is_tried_once_the_claim_expires(
    receiver, at_now, outbox_settings
):
    message = at_now("a")
    OutboxMessage.objects.filter(pk=message.pk).update(claimed_until=later(120))
    assert deliver_due(now=later(1)).delivered == 0
    assert deliver_due(now=later(121)).delivered == 1


def test_retry_makes_a_dead_message_due_with_fresh_tries_and_closes_the_breaker(
    receiver, at_now, outbox_settings
):
    receiver.down = True
    message = at_now("a", destination="portal")
    OutboxMessage.objects.filter(pk=message.pk).update(status=MessageStatus.DEAD, attempts=3)
    DestinationState.objects.create(destination="portal", consecutive_failures=5, open_until=later(3600))
    retried = retry(message.pk)
    assert (retried.status, retried.attempts) == (MessageStatus.PENDING, 0)
    assert DestinationState.objects.get(destination="portal").open_until is None

    receiver.down = False
    deliver_due()
    with pytest.raises(Conflict):
        retry(message.pk)
    with pytest.raises(NotFound):
        retry(message.pk + 1000)


def test_retry_all_takes_the_dead_and_the_failing_of_one_destination(receiver, at_now, outbox_settings):
    dead = at_now("dead", destination="portal")
    failing = at_now("failing", destination="portal")
    other = at_now("other", destination="partner")
    OutboxMessage.objects.filter(pk=dead.pk).update(status=MessageStatus.DEAD, attempts=3)
    OutboxMessage.objects.filter(pk__in=[failing.pk, other.pk]).update(attempts=1, next_attempt_at=later(600))
    assert retry_all("portal") == 2
    assert set(
        OutboxMessage.objects.filter(attempts=0, status=MessageStatus.PENDING).values_list(
            "payload__n", flat=True
        )
    ) == {"dead", "failing"}


def test_the_summary_counts_each_destinations_messages_by_state(receiver, at_now, outbox_settings):
    receiver.refusing = {"refused"}
    at_now("refused", destination="portal")
    at_now("ok", destination="portal")
    at_now("waiting", destination="partner")
    deliver_due(now=later(1), limit=2)
    [partner, portal] = summary()
    assert (portal.destination, portal.delivered, portal.dead, portal.pending) == ("portal", 1, 1, 0)
    assert portal.last_error == "MaTTHC: unknown procedure"
    assert (partner.destination, partner.pending, partner.delivered) == ("partner", 1, 0)
