"""Delivered messages and finished background tasks are purged after their retention; nothing else is."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from motcua.delivery.models import MessageStatus, OutboxMessage
from motcua.delivery.outbox import enqueue, sender_replaced
from motcua.delivery.tasks import deliver_outbox_task


def noop(message: OutboxMessage) -> None:
    return None


@pytest.mark.django_db
def test_purge_deletes_old_delivered_messages_and_keeps_the_undelivered(settings):
    settings.MOTCUA_OUTBOX_RETENTION_DAYS = 30
    long_ago = timezone.now() - dt.timedelta(days=31)
    with sender_replaced("test.echo", noop), transaction.atomic():
        old, recent, dead, waiting = (enqueue("partner", "test.echo", {"n": n}) for n in "abcd")
    OutboxMessage.objects.filter(pk=old.pk).update(status=MessageStatus.DELIVERED, delivered_at=long_ago)
    OutboxMessage.objects.filter(pk=recent.pk).update(
        status=MessageStatus.DELIVERED, delivered_at=timezone.now()
    )
    OutboxMessage.objects.filter(pk=dead.pk).update(status=MessageStatus.DEAD, created_at=long_ago)

    out = StringIO()
    call_command("purge", stdout=out)

    assert "Deleted 1 delivered outbound messages." in out.getvalue()
    assert set(OutboxMessage.objects.values_list("pk", flat=True)) == {recent.pk, dead.pk, waiting.pk}


@pytest.mark.django_db
def test_purge_deletes_background_tasks_finished_long_ago_and_keeps_the_queued(settings):
    settings.MOTCUA_TASK_RESULTS_RETENTION_DAYS = 7
    finished, recent, queued = (deliver_outbox_task.enqueue() for _ in range(3))
    DBTaskResult.objects.filter(pk=finished.id).update(
        status=TaskResultStatus.SUCCESSFUL, finished_at=timezone.now() - dt.timedelta(days=8)
    )
    DBTaskResult.objects.filter(pk=recent.id).update(
        status=TaskResultStatus.SUCCESSFUL, finished_at=timezone.now() - dt.timedelta(days=6)
    )
    call_command("purge", stdout=StringIO())
    assert {str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)} == {recent.id, queued.id}
