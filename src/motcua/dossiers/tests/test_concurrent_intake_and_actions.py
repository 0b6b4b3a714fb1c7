"""Real concurrency, through real threads and database connections: codes stay unique and gap-free under
parallel intake, and of two officers acting on the same version exactly one wins."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client

from motcua.conftest import act, post_json
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.services.actions import engine

MONDAY_9 = "2026-03-02T09:00:00+07:00"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _monday_morning():
    # Ticking, so that timeouts and lock waits behave; one day, so that every code carries the same date.
    with time_machine.travel(MONDAY_9, tick=True):
        yield


def run_in_parallel(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run each call in its own thread, all released at once; each thread closes its database connection."""
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], Any]) -> Any:
        try:
            barrier.wait(timeout=30)
            return call()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return [f.result(timeout=120) for f in [pool.submit(run, call) for call in calls]]


def _client(token: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {token}"})


def _post(token: str, path: str, body: dict[str, Any]) -> Callable[[], tuple[int, dict[str, Any]]]:
    def call() -> tuple[int, dict[str, Any]]:
        response = post_json(_client(token), path, body)
        return response.status_code, response.json()

    return call


def _received_dossier(world, forwarded: bool = False) -> str:
    code = post_json(world.client("counter"), "/api/v1/dossiers", world.intake_body("counter")).json()["code"]
    if forwarded:
        assert act(world, "counter", code, "forward").status_code == 200
    return code


def test_parallel_intakes_get_distinct_consecutive_codes_per_unit(world):
    centre_body = world.intake_body("counter")
    commune_body = world.intake_body("counter_commune")
    calls = [_post(world.tokens["counter"], "/api/v1/dossiers", centre_body) for _ in range(20)]
    calls += [_post(world.tokens["counter_commune"], "/api/v1/dossiers", commune_body) for _ in range(6)]

    results = run_in_parallel(calls)

    assert [status for status, _ in results] == [201] * 26, results
    codes = [body["code"] for _, body in results]
    assert len(set(codes)) == 26
    assert sorted(c for c in codes if c.startswith("000.00.01.H26-")) == [
        f"000.00.01.H26-260302-{n:04d}" for n in range(1, 21)
    ]
    assert sorted(c for c in codes if c.startswith("000.A1.01.H26-")) == [
        f"000.A1.01.H26-260302-{n:04d}" for n in range(1, 7)
    ]
    assert Dossier.objects.count() == 26
    assert DossierEvent.objects.filter(action="receive").count() == 26
    # The counter carries on from where the parallel intakes left it.
    response = post_json(world.client("counter"), "/api/v1/dossiers", centre_body)
    assert response.json()["code"] == "000.00.01.H26-260302-0021"


@pytest.fixture
def winner_holds_the_lock(monkeypatch):
    """Whoever locks the dossier first keeps it a moment before committing, so that the other one always
    arrives while it is held: the same race on every run, whatever the thread scheduling."""
    append_event = engine.append_event

    def slowly(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.3)
        return append_event(*args, **kwargs)

    monkeypatch.setattr(engine, "append_event", slowly)


# forward and transfer move the dossier to another unit while the loser waits for the lock: on PostgreSQL a
# lock query that joins the dossier's current unit drops the row then, and the loser would get a 404.
RACES = [
    # (the action, whether the dossier is first forwarded to the department, each racer and what they send)
    ("forward", False, [("counter", {}), ("counter", {})]),
    ("forward_to_next_step", True, [("specialist", {}), ("leader", {})]),
    (
        "transfer",
        True,
        [("leader", {"to_unit": "000.A1.01.H26"}), ("city_leader", {"to_unit": "000.A1.02.H26"})],
    ),
    ("assign", True, [("leader", {"assignee": "specialist"}), ("city_leader", {"assignee": "specialist2"})]),
    ("stop", True, [("leader", {"reason": "Thiếu thẩm quyền"}), ("city_leader", {"reason": "Giả mạo"})]),
]


@pytest.mark.parametrize(("action", "forwarded", "racers"), RACES, ids=[r[0] for r in RACES])
def test_two_officers_acting_on_one_version_one_wins(world, winner_holds_the_lock, action, forwarded, racers):
    action = action.removesuffix("_to_next_step")
    code = _received_dossier(world, forwarded)
    version = Dossier.objects.get(code=code).version
    path = f"/api/v1/dossiers/{code}/actions/{action}"
    calls = [_post(world.tokens[user], path, {"version": version, **fields}) for user, fields in racers]

    results = run_in_parallel(calls)

    assert Counter(status for status, _ in results) == {200: 1, 409: 1}, results
    winner = next(body for status, body in results if status == 200)
    loser = next(body for status, body in results if status == 409)
    assert loser["status"] == 409 and loser["type"].endswith("stale-version")
    dossier = Dossier.objects.get(code=code)
    assert dossier.version == version + 1 == winner["version"]
    events = DossierEvent.objects.filter(dossier=dossier, version__gt=version)
    assert [(e.action, e.version) for e in events] == [(action, version + 1)]


def test_actions_in_a_row_on_fresh_versions_all_succeed_under_contention(world):
    """Each officer retries on a 409 with the version it reloads: every assignment lands, none is lost."""
    code = _received_dossier(world, forwarded=True)
    start = Dossier.objects.get(code=code).version

    def assign_until_done(username: str, assignee: str) -> Callable[[], int]:
        def call() -> int:
            client = _client(world.tokens[username])
            for attempt in range(1, 50):
                version = client.get(f"/api/v1/dossiers/{code}").json()["version"]
                body = {"version": version, "assignee": assignee}
                response = post_json(client, f"/api/v1/dossiers/{code}/actions/assign", body)
                if response.status_code == 200:
                    return attempt
                assert response.status_code == 409, response.content
            raise AssertionError("never got through")

        return call

    officers = [("leader", "specialist"), ("city_leader", "specialist2")] * 3
    run_in_parallel([assign_until_done(u, a) for u, a in officers])

    events = DossierEvent.objects.filter(dossier__code=code, version__gt=start).order_by("version")
    assert [e.version for e in events] == list(range(start + 1, start + 7))
    assert {e.action for e in events} == {"assign"}
    assert Dossier.objects.get(code=code).version == start + 6
