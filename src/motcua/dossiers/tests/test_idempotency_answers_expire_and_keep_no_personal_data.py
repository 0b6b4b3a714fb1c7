"""Issue 10, finding 6: stored idempotency answers expire (MOTCUA_IDEMPOTENCY_TTL_DAYS) and carry no
personal data. On today's code a row kept the whole answer (applicant's name, ID number, phone, address) for
ever, next to a plain SHA-256 of the request body."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from motcua.conftest import CITIZEN_ID, post_json
from motcua.core.idempotency import purge_expired
from motcua.core.models import IdempotencyKey
from motcua.dossiers.models import Dossier

KEY = "9d7f0c7e-1b7a-4f0e-8d55-2f9b7c1e0a42"


def _create(world, body, key: str = KEY):
    return post_json(world.client("counter"), "/api/v1/dossiers", body, **{"Idempotency-Key": key})


def test_the_stored_answer_is_the_status_and_the_code_only(world):
    body = world.intake_body("counter")
    first = _create(world, body)
    assert first.status_code == 201
    [row] = IdempotencyKey.objects.values()
    stored = json.dumps(row, default=str)
    for personal in (CITIZEN_ID, "Nguyễn Thị Mai", "0912345678", "mai@example.vn", "Phố Huế"):
        assert personal not in stored
    assert row["resource"] == first.json()["code"] and row["status_code"] == 201
    # The fingerprint is keyed: the plain SHA-256 of the body does not find the row.
    plain = hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()
    assert row["request_hash"] != plain


def test_a_retry_is_answered_from_the_dossier_as_it_is(world):
    body = world.intake_body("counter")
    first = _create(world, body).json()
    retry = _create(world, body)
    assert retry.status_code == 201
    assert retry.json()["code"] == first["code"]
    assert retry.json()["applicant"]["id_number"] == CITIZEN_ID  # rebuilt, not stored
    assert Dossier.objects.count() == 1


def test_an_expired_answer_is_ignored_and_the_key_may_be_used_again(world, settings):
    settings.MOTCUA_IDEMPOTENCY_TTL_DAYS = 7
    body = world.intake_body("counter")
    first = _create(world, body).json()["code"]
    with time_machine.travel(timezone.now() + dt.timedelta(days=7, minutes=1)):
        again = _create(world, body)
        assert again.status_code == 201, again.content
        assert again.json()["code"] != first
    assert Dossier.objects.count() == 2
    assert IdempotencyKey.objects.count() == 1


def test_purge_deletes_only_expired_answers(world, settings):
    settings.MOTCUA_IDEMPOTENCY_TTL_DAYS = 3
    _create(world, world.intake_body("counter"), key="old")
    with time_machine.travel(timezone.now() + dt.timedelta(days=2)):
        _create(world, world.intake_body("counter"), key="young")
    with time_machine.travel(timezone.now() + dt.timedelta(days=3, hours=1)):
        out = StringIO()
        call_command("purge", stdout=out)
        assert "Deleted 1 expired" in out.getvalue()
        assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["young"]
        assert purge_expired() == 0


@pytest.mark.django_db(transaction=True)
def test_the_migration_strips_stored_bodies():
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate([("core", "0001_initial")])
    old_apps = executor.loader.project_state([("core", "0001_initial")]).apps
    User = old_apps.get_model("auth", "User")
    Key = old_apps.get_model("core", "IdempotencyKey")
    user = User.objects.create(username="legacy")
    Key.objects.create(
        user=user,
        scope="dossiers.create",
        key="k",
        request_hash="a" * 64,
        status_code=201,
        response={"code": "000.00.01.H26-260101-0001", "applicant": {"id_number": CITIZEN_ID}},
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    [row] = IdempotencyKey.objects.values()
    assert CITIZEN_ID not in json.dumps(row, default=str)
    assert row["resource"] == "000.00.01.H26-260101-0001" and row["request_hash"] == ""
