"""The outbox's delivery as a background task of `motcua worker` (ADR 0020).

A commit that wrote messages wakes the worker (`wake_worker`: a delivery run queued unless one is queued to
run now); a run that leaves messages waiting for a later try queues the next run for the earliest of them. So
the task table holds runs only while there is something to deliver.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django_tasks import task

from motcua.core.recurring import queue_once
from motcua.delivery.outbox import deliver_due, next_wake_up


@task()
def deliver_outbox_task() -> dict[str, Any]:
    run = deliver_due()
    schedule_retries()
    return run.as_dict()


def wake_worker() -> bool:
    """Have a worker deliver as soon as it is free."""
    return queue_once(deliver_outbox_task, unless_queued_by_then=True)


def schedule_retries() -> bool:
    """Queue a delivery run for when the next waiting message may be tried (now for a due one); False when
    nothing waits or a run is queued by then."""
    now = timezone.now()
    wake_up = next_wake_up(now)
    if wake_up is None:
        return False
    return queue_once(deliver_outbox_task, wake_up if wake_up > now else None, unless_queued_by_then=True)
