"""Every entry of a dossier's history is published to the apps above once its transaction commits: an action,
a counter receipt, an online submission. A refused action publishes nothing, and a subscriber that fails
does not undo the action."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
import time_machine

from motcua.conftest import act, post_json
from motcua.core.domain_events import subscribe, unsubscribe
from motcua.dossiers.domain_events import (
    DossierActed,
    DossierDataRead,
    DossierReceived,
    DossierSubmitted,
    SupplementRequested,
)
from motcua.dossiers.lifecycle import ActionName, Status
from motcua.dossiers.models import Dossier

MONDAY_9 = "2026-03-02T09:00:00+07:00"
SUPPLEMENT = {"reason": "Thiếu giấy tờ", "items": [{"description": "Bản sao CCCD"}]}


@pytest.fixture(autouse=True)
def _monday_morning():
    with time_machine.travel(MONDAY_9, tick=False):
        yield


@pytest.fixture
def heard() -> Iterator[list[DossierActed]]:
    received: list[DossierActed] = []
    subscribe(DossierActed)(received.append)
    yield received
    unsubscribe(DossierActed, received.append)


def receive(world) -> str:
    response = post_json(world.client("counter"), "/api/v1/dossiers", world.intake_body("counter"))
    assert response.status_code == 201, response.content
    return response.json()["code"]


def test_a_counter_receipt_publishes_dossier_received(world, heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        code = receive(world)
    [event] = heard
    assert type(event) is DossierReceived and event.name == "receive"
    assert (event.code, event.version, event.to_status) == (code, 1, Status.RECEIVED)
    assert event.data["due_at"] is not None


def test_an_online_submission_publishes_dossier_submitted(world, heard, django_capture_on_commit_callbacks):
    body = world.intake_body("citizen", channel="online", result_delivery="online")
    with django_capture_on_commit_callbacks(execute=True):
        assert post_json(world.client("citizen"), "/api/v1/dossiers", body).status_code == 201
    assert [type(e) for e in heard] == [DossierSubmitted]


def test_an_action_publishes_its_event_after_commit(world, heard, django_capture_on_commit_callbacks):
    code = receive(world)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = act(world, "counter", code, "request_supplement", **SUPPLEMENT)
        assert response.status_code == 200, response.content
    # The helper reads the dossier first to learn its version: that read is published for the access log.
    assert len([c for c in callbacks if not isinstance(c.args[0], DossierDataRead)]) == 1
    [event] = heard
    assert isinstance(event, SupplementRequested) and event.name == ActionName.REQUEST_SUPPLEMENT
    assert (event.from_status, event.to_status, event.version) == (
        Status.RECEIVED,
        Status.SUPPLEMENT_REQUESTED,
        2,
    )
    assert event.actor_unit_id == world.centre.pk
    assert event.data["items"] == [{"description": "Bản sao CCCD", "requirement": ""}]


@pytest.mark.parametrize(
    ("action", "fields", "status"),
    [
        ("accept", {}, 409),  # not in this status
        ("request_supplement", {"reason": "Thiếu giấy tờ"}, 422),  # no items
        ("assign", {"assignee": "nobody"}, 422),  # refused by the handler, inside the transaction
    ],
)
def test_a_refused_action_publishes_nothing(
    world, heard, django_capture_on_commit_callbacks, action, fields, status
):
    code = receive(world)
    assert act(world, "counter", code, "forward").status_code == 200  # to the department's first step
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert act(world, "leader", code, action, **fields).status_code == status
    # Only the helper's read of the version is published (for the access log), no history entry.
    assert [type(c.args[0]) for c in callbacks] == [DossierDataRead] and heard == []
    assert Dossier.objects.get(code=code).version == 2


def test_a_failing_subscriber_does_not_undo_the_action(
    world, heard, caplog, django_capture_on_commit_callbacks
):
    def broken(event: DossierActed) -> None:
        raise ConnectionError("the SMS gateway is down")

    code = receive(world)
    subscribe(SupplementRequested)(broken)
    try:
        with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
            response = act(world, "counter", code, "request_supplement", **SUPPLEMENT)
    finally:
        unsubscribe(SupplementRequested, broken)
    assert response.status_code == 200, response.content
    assert Dossier.objects.get(code=code).status == Status.SUPPLEMENT_REQUESTED
    assert [type(e) for e in heard] == [SupplementRequested]
    assert "failed on SupplementRequested" in caplog.text
