"""The worker delivers the outbox: a commit that wrote messages queues one delivery run, the run queues the
next for the earliest retry, `motcua worker` delivers, and two workers at once deliver each message once."""

from __future__ import annotations

import threading
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from motcua.delivery.models import MessageStatus, OutboxMessage
from motcua.delivery.outbox import Unreachable, deliver_due, enqueue, sender_replaced
from motcua.delivery.tasks import deliver_outbox_task, schedule_retries


def queued_runs():
    return DBTaskResult.objects.filter(
        task_path=deliver_outbox_task.module_path, status=TaskResultStatus.READY
    )


def echo(message: OutboxMessage) -> dict[str, str]:
    return {"ok": message.payload["n"]}


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("_signals_restored")
def test_a_commit_wakes_the_worker_once_and_the_worker_delivers():
    with sender_replaced("test.echo", echo):
        for name in ("a", "b"):
            with transaction.atomic():
                enqueue("partner", "test.echo", {"n": name})
        assert queued_runs().count() == 1

        out = StringIO()
        call_command("worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0, stdout=out)

    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {MessageStatus.DELIVERED}
    [run] = DBTaskResult.objects.filter(task_path=deliver_outbox_task.module_path)
    assert run.return_value == {"delivered": 2, "failed": 0, "dead": 0}
    assert not queued_runs().exists()


@pytest.mark.django_db(transaction=True)
def test_a_run_that_leaves_a_message_failing_queues_the_next_for_its_retry(settings):
    settings.MOTCUA_OUTBOX_BASE_DELAY_SECONDS = 30

    def down(message: OutboxMessage) -> None:
        raise Unreachable("connection refused")

    with sender_replaced("test.echo", down):
        with transaction.atomic():
            message = enqueue("partner", "test.echo", {"n": "a"})
        queued_runs().delete()
        deliver_due()
        assert schedule_retries() is True
        assert schedule_retries() is False
    message.refresh_from_db()
    [run] = queued_runs()
    assert run.run_after == message.next_attempt_at


@pytest.mark.django_db(transaction=True)
def test_nothing_waiting_queues_nothing():
    assert schedule_retries() is False
    assert not queued_runs().exists()


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_deliver_each_message_once():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one writer in at a time: there is no race to lose")
    received: Counter[str] = Counter()
    lock = threading.Lock()

    def count(message: OutboxMessage) -> None:
        with lock:
            received[message.payload["n"]] += 1

    with sender_replaced("test.echo", count):
        with transaction.atomic():
            for number in range(60):
                enqueue("partner", "test.echo", {"n": str(number)}, ordering_key=f"k{number % 7}")

        def work() -> None:
            try:
                deliver_due()
            finally:
                connections.close_all()

        workers = [threading.Thread(target=work) for _ in range(3)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    assert received == Counter({str(number): 1 for number in range(60)})
    assert not OutboxMessage.objects.exclude(status=MessageStatus.DELIVERED).exists()


@pytest.mark.django_db
def test_a_transaction_writing_several_messages_wakes_the_worker_once(django_capture_on_commit_callbacks):
    with (
        sender_replaced("test.echo", echo),
        django_capture_on_commit_callbacks() as callbacks,
        transaction.atomic(),
    ):
        for name in "abc":
            enqueue("partner", "test.echo", {"n": name})
    assert len(callbacks) == 1
