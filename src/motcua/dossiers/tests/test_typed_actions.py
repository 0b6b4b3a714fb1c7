"""The typed entry points take each action with a typed payload through the one dispatcher; the lifecycle
table holds every guard and every field an action asks, the conditional ones included."""

from __future__ import annotations

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured

from motcua.conftest import act, post_json
from motcua.core.errors import Conflict, InvalidInput, StaleVersion
from motcua.dossiers.lifecycle import (
    ACTIONS,
    OPEN_STATUSES,
    ActionName,
    ResultDelivery,
    Status,
    state_problem,
)
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.services import actions
from motcua.dossiers.services.actions import engine
from motcua.dossiers.services.actions.payloads import SupplementItem

MONDAY_9 = "2026-03-02T09:00:00+07:00"


@pytest.fixture(autouse=True)
def _monday_morning():
    with time_machine.travel(MONDAY_9, tick=False):
        yield


def receive(world, **overrides) -> Dossier:
    body = world.intake_body("counter", **overrides)
    response = post_json(world.client("counter"), "/api/v1/dossiers", body)
    assert response.status_code == 201, response.content
    return Dossier.objects.get(code=response.json()["code"])


def officer(username: str) -> User:
    return User.objects.get(username=username)


def test_a_typed_entry_point_takes_the_action(world):
    dossier = receive(world)
    items = [SupplementItem("Bản sao CCCD", "bản sao có chứng thực")]
    changed = actions.request_supplement(
        dossier, officer("counter"), reason="Thiếu giấy tờ", items=items, version=dossier.version
    )
    assert (changed.status, changed.version, changed.supplement_count) == (Status.SUPPLEMENT_REQUESTED, 2, 1)
    event = DossierEvent.objects.get(dossier=dossier, version=2)
    assert event.action == ActionName.REQUEST_SUPPLEMENT
    assert event.data["items"] == [{"description": "Bản sao CCCD", "requirement": "bản sao có chứng thực"}]


def test_a_typed_call_meets_the_same_rules(world):
    dossier = receive(world)
    counter = officer("counter")
    with pytest.raises(InvalidInput) as missing:
        actions.request_supplement(dossier, counter, reason=" ", items=[], version=dossier.version)
    assert {p.field for p in missing.value.errors} == {"reason", "items"}
    with pytest.raises(StaleVersion):
        actions.forward(dossier, counter, version=dossier.version + 1)
    assert Dossier.objects.get(pk=dossier.pk).version == 1


def test_the_table_asks_a_waybill_of_a_result_sent_by_post_only(world):
    return_result = ACTIONS[ActionName.RETURN_RESULT]
    by_post = Dossier(result_delivery=ResultDelivery.POST)
    collected = Dossier(result_delivery=ResultDelivery.COUNTER)
    assert [(f.name, f.required) for f in return_result.fields_for(by_post)] == [("waybill_number", True)]
    assert [(f.name, f.required) for f in return_result.fields_for(collected)] == [
        ("recipient_name", False),
        ("recipient_id_number", False),
    ]


def test_the_guards_live_in_the_table(world, settings):
    dossier = receive(world)
    dossier.status = Status.SUPPLEMENT_REQUESTED
    assert state_problem(dossier, ACTIONS[ActionName.ACCEPT_SUPPLEMENT]) is not None  # nothing submitted yet
    assert state_problem(dossier, ACTIONS[ActionName.SUBMIT_SUPPLEMENT]) is None
    dossier.status, dossier.apology_count = Status.IN_PROCESS, settings.MOTCUA_MAX_APOLOGIES
    assert state_problem(dossier, ACTIONS[ActionName.APOLOGISE]) is not None


def test_ending_and_apologising_are_open_to_every_open_status():
    for name in (ActionName.STOP, ActionName.WITHDRAW, ActionName.APOLOGISE):
        assert ACTIONS[name].sources == OPEN_STATUSES


def test_sending_back_a_dossier_transferred_on_receipt_is_a_conflict(world):
    """Handed to another unit before any step, the dossier has no step to go back to: a 409, not a 500."""
    dossier = receive(world)
    transferred = actions.transfer(
        dossier, officer("counter"), to_unit=world.other_commune.identity_code, version=dossier.version
    )
    with pytest.raises(Conflict):
        actions.send_back(transferred, officer("other_leader"), note="Sai thẩm quyền", version=2)
    response = act(world, "other_leader", dossier.code, "send_back", note="Sai thẩm quyền")
    assert response.status_code == 409, response.content


def test_an_action_without_a_handler_is_a_configuration_error(monkeypatch):
    monkeypatch.delitem(engine._HANDLERS, ActionName.STOP)
    with pytest.raises(ImproperlyConfigured, match="stop"):
        engine.check_every_action_is_handled()
