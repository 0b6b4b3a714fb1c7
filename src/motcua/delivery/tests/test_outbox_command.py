"""`motcua outbox list|deliver|retry`: what each prints (never a payload), what it changes, how it fails."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from motcua.delivery.models import MessageStatus, OutboxMessage
from motcua.delivery.tests.echo import SECRET_ID, echo_receiver  # noqa: F401 (the fixture "echo")

pytestmark = pytest.mark.django_db


def outbox(*args: str) -> str:
    out = io.StringIO()
    call_command("outbox", *args, stdout=out)
    return out.getvalue()


def test_list_shows_each_envelope_and_never_a_payload(echo):
    dead = echo.written("partner:a", "dead", ordering_key="dossier:000.00.01.H26-261201-0001")
    failing = echo.written("dvcqg", "failing")
    pending = echo.written("dvcqg", "pending")

    text = outbox("list")

    lines = text.splitlines()
    assert [line.split()[0] for line in lines[:3]] == [f"#{pending.pk}", f"#{failing.pk}", f"#{dead.pk}"]
    assert "partner:a  test.echo  dossier:000.00.01.H26-261201-0001  dead  attempts=1  next=-" in text
    assert f"#{failing.pk}  dvcqg  test.echo  -  failing  attempts=1  next=" in text
    assert "error: dvcqg does not answer" in text
    # The refusal quoted the payload's ID number: masked, and the payload itself never printed.
    assert "error: applicant 001******887 is unknown" in text
    assert SECRET_ID not in text and "applicant_id" not in text
    assert lines[-1] == "3 message(s) shown, newest first."


def test_list_filters_by_state_and_destination(echo):
    echo.written("partner:a", "dead")
    failing = echo.written("dvcqg", "failing")
    pending = echo.written("dvcqg", "pending")

    assert outbox("list", "--status", "failing").splitlines()[0].startswith(f"#{failing.pk} ")
    assert outbox("list", "--status", "pending").splitlines()[0].startswith(f"#{pending.pk} ")
    assert "1 message(s)" in outbox("list", "--status", "dead")
    assert "2 message(s)" in outbox("list", "--destination", "dvcqg")
    assert "0 message(s)" in outbox("list", "--status", "delivered")


def test_list_as_json_carries_the_envelope_only(echo):
    dead = echo.written("partner:a", "dead", ordering_key="dossier:000.00.01.H26-261201-0001")

    [item] = json.loads(outbox("list", "--json"))

    assert item["id"] == dead.pk
    assert item["status"] == "dead"
    assert item["dossier"] == "000.00.01.H26-261201-0001"
    assert item["next_attempt_at"] is None
    assert item["last_error"] == "applicant 001******887 is unknown"
    assert "payload" not in item and "answer" not in item


@pytest.mark.parametrize(
    "args",
    [
        ["list", "--status", "lost"],
        ["list", "--destination", "x" * 101],
        ["list", "--limit", "0"],
        ["deliver", "--limit", "-1"],
        ["frobnicate"],
    ],
)
def test_bad_arguments_fail_with_the_reason(args):
    with pytest.raises(CommandError):
        outbox(*args)


def test_deliver_runs_one_cycle_and_prints_its_counts(echo):
    echo.write("partner:a")
    echo.write("partner:b")
    echo.write("partner:c")
    echo.down.add("partner:b")
    echo.refusing.add("partner:c")

    text = outbox("deliver")

    assert "delivered 1, failed 1 (to be tried again), dead 1 (waiting for a person)." in text
    assert len(echo.received) == 1
    assert "delivered 0, failed 0" in outbox("deliver")  # the failed one is not due yet


def test_deliver_limit_tries_at_most_that_many(echo):
    for _ in range(3):
        echo.write("partner:a")

    assert "delivered 2," in outbox("deliver", "--limit", "2")
    assert OutboxMessage.objects.filter(status=MessageStatus.PENDING).count() == 1


def test_deliver_loop_goes_on_until_interrupted_and_prints_the_totals(echo, monkeypatch):
    echo.write("partner:a")
    naps = []

    def nap(seconds: float) -> None:
        naps.append(seconds)
        if len(naps) == 1:
            echo.write("partner:a")  # written while the loop waits: the next cycle delivers it
        else:
            raise KeyboardInterrupt

    monkeypatch.setattr("motcua.delivery.management.commands.outbox.time.sleep", nap)

    text = outbox("deliver", "--loop", "--interval", "2")

    assert naps == [2, 2]
    assert text.count("delivered 1, failed 0") == 2
    assert text.splitlines()[-1].startswith("Stopped. In all: delivered 2, failed 0")
    assert len(echo.received) == 2


def test_retry_makes_named_messages_due_again(echo):
    dead = echo.written("partner:a", "dead")
    failing = echo.written("partner:b", "failing")

    assert outbox("retry", str(dead.pk), str(failing.pk)) == "2 message(s) due again now.\n"

    for message in (dead, failing):
        message.refresh_from_db()
        assert (message.status, message.attempts) == (MessageStatus.PENDING, 0)
    assert "delivered 2," in outbox("deliver")


def test_retry_of_an_unknown_or_delivered_message_changes_nothing(echo):
    dead = echo.written("partner:a", "dead")
    delivered = echo.written("partner:b", "delivered")

    with pytest.raises(CommandError, match=r"^There is no outbound message 999999\. Nothing was retried\.$"):
        outbox("retry", str(dead.pk), "999999")
    with pytest.raises(CommandError, match=rf"^Message {delivered.pk} was delivered already\. Nothing was"):
        outbox("retry", str(dead.pk), str(delivered.pk))

    dead.refresh_from_db()
    assert dead.status == MessageStatus.DEAD


def test_retry_all_of_one_destination_or_of_every_one(echo):
    echo.written("partner:a", "dead")
    echo.written("partner:a", "failing")
    echo.written("partner:b", "dead")
    echo.written("partner:b", "delivered")

    assert outbox("retry", "--all", "--destination", "partner:a") == "2 message(s) due again now.\n"
    assert outbox("retry", "--all") == "1 message(s) due again now.\n"  # partner:b's dead one
    assert not OutboxMessage.objects.filter(status=MessageStatus.DEAD).exists()


@pytest.mark.parametrize(
    "args", [["retry"], ["retry", "1", "--all"], ["retry", "1", "--destination", "dvcqg"], ["retry", "x"]]
)
def test_retry_wants_ids_or_all(args):
    with pytest.raises(CommandError):
        outbox(*args)
