"""`Idempotency-Key` on POST /dossiers: a retry gets the first answer and never a second dossier."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import time_machine
from django.db import connection
from django.test import Client

from motcua.conftest import post_json
from motcua.dossiers.models import Dossier, DossierEvent

MONDAY_9 = "2026-03-02T09:00:00+07:00"
KEY = "5b0e7a52-2f7e-4d7c-9d0a-6a1f3c2b9e11"


@pytest.fixture(autouse=True)
def _monday_morning():
    with time_machine.travel(MONDAY_9, tick=True):
        yield


def create(client: Client, body: dict, key: str | None = KEY):
    headers = {"Idempotency-Key": key} if key is not None else {}
    return post_json(client, "/api/v1/dossiers", body, **headers)


def _sequence(code: str) -> int:
    return int(code.rsplit("-", 1)[1])


def test_retry_with_the_same_key_and_body_returns_the_first_dossier(world):
    client = world.client("counter")
    body = world.intake_body("counter")
    first = create(client, body)
    assert first.status_code == 201, first.content
    for _ in range(3):
        retry = create(client, body)
        assert retry.status_code in (200, 201), retry.content
        assert retry.json() == first.json()
    code = first.json()["code"]
    assert Dossier.objects.count() == 1
    assert [e.action for e in DossierEvent.objects.filter(dossier__code=code)] == ["receive"]
    # The retries took no number: the next dossier follows the first.
    assert _sequence(create(client, body, key=None).json()["code"]) == 2


def test_body_with_keys_in_another_order_is_the_same_request(world):
    client = world.client("counter")
    body = world.intake_body("counter")
    first = create(client, body)
    reordered = {k: body[k] for k in reversed(body)}
    reordered["applicant"] = {k: body["applicant"][k] for k in reversed(body["applicant"])}
    assert create(client, reordered).json()["code"] == first.json()["code"]
    assert Dossier.objects.count() == 1


def test_same_key_with_another_body_is_a_conflict(world):
    client = world.client("counter")
    body = world.intake_body("counter")
    first = create(client, body)
    assert first.status_code == 201
    other = {**body, "applicant": {**body["applicant"], "phone": "0987654321"}}
    response = create(client, other)
    assert response.status_code == 409, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["status"] == 409
    assert Dossier.objects.count() == 1
    assert Dossier.objects.get().applicant_phone == body["applicant"]["phone"]
    # The key still answers the original request.
    assert create(client, body).json()["code"] == first.json()["code"]


def test_different_users_use_the_same_key_independently(world):
    bodies = {
        "counter": world.intake_body("counter"),
        "counter_commune": world.intake_body("counter_commune"),
        "citizen": world.intake_body("citizen", channel="online", result_delivery="online"),
    }
    responses = {user: create(world.client(user), body) for user, body in bodies.items()}
    assert [r.status_code for r in responses.values()] == [201] * 3, [r.content for r in responses.values()]
    codes = {user: r.json()["code"] for user, r in responses.items()}
    assert len(set(codes.values())) == 3
    assert Dossier.objects.count() == 3
    # Each caller's retry gives back their own dossier, never another caller's.
    for user, body in bodies.items():
        assert create(world.client(user), body).json()["code"] == codes[user]
    assert Dossier.objects.count() == 3


def test_a_rejected_request_does_not_use_up_the_key(world):
    client = world.client("counter")
    body = world.intake_body("counter")
    bad = create(client, {**body, "procedure": "no-such-procedure"})
    assert bad.status_code == 422, bad.content
    good = create(client, body)
    assert good.status_code == 201, good.content
    assert _sequence(good.json()["code"]) == 1


@pytest.mark.parametrize("key", ["", "k" * 256])
def test_key_is_checked(world, key):
    response = create(world.client("counter"), world.intake_body("counter"), key=key)
    if key:
        assert response.status_code == 422, response.content
        assert [e["field"] for e in response.json()["errors"]] == ["Idempotency-Key"]
        assert Dossier.objects.count() == 0
    else:  # an empty header is no key at all
        assert response.status_code == 201, response.content


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_with_one_key_create_one_dossier(world):
    body = world.intake_body("counter")
    token = world.tokens["counter"]
    barrier = threading.Barrier(8)

    def retry() -> tuple[int, str]:
        try:
            barrier.wait(timeout=30)
            response = create(Client(headers={"Authorization": f"Bearer {token}"}), body)
            return response.status_code, response.json().get("code", response.content.decode())
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = [f.result(timeout=120) for f in [pool.submit(retry) for _ in range(8)]]

    assert {status for status, _ in results} <= {200, 201}, results
    assert len({code for _, code in results}) == 1, results
    assert Dossier.objects.count() == 1
    assert DossierEvent.objects.count() == 1
    # The losers' numbers were rolled back with them: no gap.
    assert _sequence(create(world.client("counter"), body, key="another").json()["code"]) == 2
