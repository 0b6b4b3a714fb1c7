"""A published event reaches its subscribers once the transaction commits, never when it rolls back, and a
subscriber that fails neither undoes what was committed nor keeps the others from hearing of it."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.db import transaction

from motcua.core.domain_events import DomainEvent, publish, subscribe, subscribe_in_transaction, unsubscribe


@dataclass(frozen=True)
class Rang(DomainEvent):
    bell: str


@dataclass(frozen=True)
class RangTwice(Rang):
    pass


@pytest.fixture
def heard() -> Iterator[list[DomainEvent]]:
    received: list[DomainEvent] = []
    subscribe(Rang)(received.append)
    yield received
    unsubscribe(Rang, received.append)


def test_delivered_only_once_the_transaction_commits(db, heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        publish(Rang("noon"))
        assert heard == []
    assert heard == [Rang("noon")]


def test_never_delivered_when_the_transaction_rolls_back(db, heard, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        publish(Rang("noon"))
        raise RuntimeError("the change failed")
    assert callbacks == []
    assert heard == []


def test_subscribers_of_a_base_hear_its_subclasses_and_subscribing_twice_delivers_once(
    db, heard, django_capture_on_commit_callbacks
):
    subscribe(Rang)(heard.append)
    with django_capture_on_commit_callbacks(execute=True):
        publish(RangTwice("vespers"))
    assert heard == [RangTwice("vespers")]


def test_a_failing_subscriber_is_logged_and_the_others_still_hear(
    db, heard, caplog, django_capture_on_commit_callbacks
):
    def broken(event: Rang) -> None:
        raise ValueError("the mail server is down")

    subscribe(Rang)(broken)
    heard_after: list[Rang] = []
    subscribe(Rang)(heard_after.append)
    try:
        with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
            publish(Rang("noon"))
    finally:
        unsubscribe(Rang, broken)
        unsubscribe(Rang, heard_after.append)
    assert heard == heard_after == [Rang("noon")]
    assert "broken failed on Rang" in caplog.text


@pytest.fixture
def written() -> Iterator[list[DomainEvent]]:
    rows: list[DomainEvent] = []
    subscribe_in_transaction(Rang)(rows.append)
    yield rows
    unsubscribe(Rang, rows.append)


def test_an_in_transaction_subscriber_hears_at_once_before_the_commit(db, written, heard):
    with transaction.atomic():
        publish(RangTwice("dusk"))
        assert written == [RangTwice("dusk")]
        assert heard == []


def test_an_in_transaction_subscriber_that_fails_rolls_the_change_back(
    db, django_capture_on_commit_callbacks
):
    def refuse(event: DomainEvent) -> None:
        raise ValueError("the outbox row could not be written")

    subscribe_in_transaction(Rang)(refuse)
    try:
        with (
            django_capture_on_commit_callbacks(execute=True) as callbacks,
            pytest.raises(ValueError, match="outbox row"),
            transaction.atomic(),
        ):
            publish(Rang("noon"))
    finally:
        unsubscribe(Rang, refuse)
    assert callbacks == []
