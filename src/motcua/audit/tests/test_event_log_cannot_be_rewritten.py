"""Finding 3 of issue 10: "the event log can be rewritten with one SQL UPDATE and nothing notices". Now the
database refuses the UPDATE (and a DELETE) on both engines, and when an attacker with schema rights drops the
triggers first, `motcua audit verify` names the record; an anchor catches what a recomputed chain hides.

Every test here fails on the code before ADR 0015: the UPDATE went through, there was no `audit` command."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from io import StringIO

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from motcua.audit.models import ChangeRecord
from motcua.conftest import act, post_json
from motcua.core import hashchain
from motcua.core.appendonly import TEST_FLUSH_MARKER, remove_statements
from motcua.dossiers.models import DossierEvent
from motcua.org.models import DelegationAudit
from motcua.org.services import grant_delegation

EVENTS = DossierEvent._meta.db_table
CHANGES = ChangeRecord._meta.db_table


@pytest.fixture(autouse=True)
def _monday_morning():
    with time_machine.travel("2026-03-02T09:00:00+07:00", tick=False):
        yield


def receive(world) -> str:
    response = post_json(world.client("counter"), "/api/v1/dossiers", world.intake_body("counter"))
    assert response.status_code == 201, response.content
    return response.json()["code"]


def walked(world) -> str:
    """A dossier with four events: received, forwarded, assigned, forwarded."""
    code = receive(world)
    for who, action, fields in [
        ("counter", "forward", {}),
        ("leader", "assign", {"assignee": "specialist"}),
        ("specialist", "forward", {}),
    ]:
        assert act(world, who, code, action, **fields).status_code == 200
    return code


def events(code: str) -> list[DossierEvent]:
    return list(DossierEvent.objects.filter(dossier__code=code).order_by("version"))


def raw(sql: str, params: list[str | int] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def drop_triggers(table: str) -> None:
    """What an attacker with the schema's rights does first."""
    for statement in remove_statements(table, connection.vendor):
        raw(statement)


def audit(*args: str) -> str:
    out = StringIO()
    call_command("audit", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_each_event_links_to_the_one_before_it(world):
    chain = events(walked(world))
    assert [e.version for e in chain] == [1, 2, 3, 4]
    assert chain[0].prev_hash == hashchain.GENESIS
    assert all(later.prev_hash == earlier.hash for earlier, later in itertools.pairwise(chain))
    assert all(e.hash_algorithm == "v1" and len(e.hash) == 64 for e in chain)
    assert "All chains are intact" in audit("verify")


def test_the_database_refuses_a_raw_update_of_an_event(world):
    event = events(receive(world))[0]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw(f"UPDATE {EVENTS} SET note = %s WHERE id = %s", ["rewritten", event.pk])
    assert DossierEvent.objects.get(pk=event.pk).note == event.note


def test_the_database_refuses_a_raw_delete_outside_the_tests_flush(world):
    event = events(receive(world))[0]
    raw(f"DROP TABLE {TEST_FLUSH_MARKER}")  # undone with the test's transaction
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw(f"DELETE FROM {EVENTS} WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw(f"DELETE FROM {CHANGES}")
    assert DossierEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
def test_postgresql_refuses_truncate(world):
    receive(world)
    raw(f"DROP TABLE {TEST_FLUSH_MARKER}")
    raw("SET CONSTRAINTS ALL IMMEDIATE")  # no TRUNCATE at all while the test's inserts await their checks
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw(f"TRUNCATE {EVENTS} CASCADE")


def test_the_database_refuses_a_raw_update_of_a_change_record(world):
    record = ChangeRecord.objects.order_by("pk").first()
    assert record is not None  # the world's catalogue and staff roles were recorded
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw(f"UPDATE {CHANGES} SET actor_name = %s WHERE id = %s", ["someone else", record.pk])


def test_verify_names_an_event_rewritten_behind_the_dropped_trigger(world):
    code = walked(world)
    target = events(code)[1]
    drop_triggers(EVENTS)
    raw(f"UPDATE {EVENTS} SET note = %s WHERE id = %s", ["nothing happened", target.pk])
    with pytest.raises(CommandError) as failure:
        audit("verify")
    message = str(failure.value)
    assert f"{EVENTS} id={target.pk}" in message and code in message
    assert f"stored {target.hash}" in message and "rewritten" in message


def test_verify_names_the_event_after_a_removed_middle_event(world):
    code = walked(world)
    chain = events(code)
    drop_triggers(EVENTS)
    raw(f"DELETE FROM {EVENTS} WHERE id = %s", [chain[1].pk])
    with pytest.raises(CommandError) as failure:
        audit("verify")
    message = str(failure.value)
    assert f"{EVENTS} id={chain[2].pk}" in message and "removed" in message
    assert f"expected {chain[0].hash}, stored {chain[1].hash}" in message


def test_verify_names_a_rewritten_change_record(world):
    record = ChangeRecord.objects.order_by("pk")[2]
    drop_triggers(CHANGES)
    raw(f"UPDATE {CHANGES} SET changes = %s WHERE id = %s", ['{"role": [null, "unit_leader"]}', record.pk])
    with pytest.raises(CommandError, match=rf"{CHANGES} id={record.pk} \[chain changes\]"):
        audit("verify")


def test_later_work_passes_the_anchor_and_a_vanished_history_is_named(world, tmp_path):
    code = walked(world)
    other = receive(world)
    anchor = tmp_path / "anchor.json"
    assert "Anchor written" in audit("anchor", "--output", str(anchor))
    document = json.loads(anchor.read_text())
    assert document["counts"]["dossier_chains"] == 2 and document["counts"]["dossier_events"] == 5
    assert [code, 4, events(code)[-1].hash] in document["dossier_heads"]
    # Later work is fine: the anchor only speaks of what it saw.
    assert act(world, "leader", code, "forward").status_code == 200
    assert "unchanged" in audit("verify", "--anchor", str(anchor))

    drop_triggers(EVENTS)
    raw(f"DELETE FROM {EVENTS} WHERE id = %s", [events(other)[-1].pk])
    with pytest.raises(CommandError, match=rf"\[dossier {other}\]: the dossier has no events left"):
        audit("verify")
    with pytest.raises(CommandError) as failure:
        audit("verify", "--anchor", str(anchor))
    assert "2 broken record(s)" in str(failure.value)


def test_only_the_anchor_catches_a_removed_last_event(world, tmp_path):
    code = walked(world)
    anchor = tmp_path / "anchor.json"
    audit("anchor", "--output", str(anchor))
    last = events(code)[-1]
    drop_triggers(EVENTS)
    # The shortened chain still holds on its own: what is left links up. Only the anchor knows it was longer.
    raw(f"DELETE FROM {EVENTS} WHERE id = %s", [last.pk])
    assert "All chains are intact" in audit("verify")
    with pytest.raises(CommandError, match=rf"\[dossier {code}\]: the anchored version 4 was removed"):
        audit("verify", "--anchor", str(anchor))


def test_an_edited_anchor_is_refused(world, tmp_path):
    receive(world)
    anchor = tmp_path / "anchor.json"
    audit("anchor", "--output", str(anchor))
    document = json.loads(anchor.read_text())
    document["dossier_heads"][0][2] = "0" * 64
    anchor.write_text(json.dumps(document))
    with pytest.raises(CommandError, match="the file was edited"):
        audit("verify", "--anchor", str(anchor))


def test_the_database_refuses_to_rewrite_the_delegation_trail(world):
    leader, specialist = User.objects.get(username="leader"), User.objects.get(username="specialist")
    on = dt.date(2026, 3, 1)
    delegation = grant_delegation(leader, specialist, world.department, ["1.001193"], on, on.replace(month=5))
    entry = DelegationAudit.objects.get(delegation=delegation)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw(f"UPDATE {DelegationAudit._meta.db_table} SET action = %s WHERE id = %s", ["revoked", entry.pk])
