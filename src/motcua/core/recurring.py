"""Background jobs that queue their own next run, and the ones `motcua worker` makes sure are queued when it
starts (docs/operations/worker.md).

django-tasks has no periodic schedule: a periodic job is a task that queues its next run with `run_after`,
which the database backend of django-tasks-db supports, and something must queue the first one. Each app
registers, in its `AppConfig.ready`, the function that queues its job unless one is queued already; the
worker, which belongs to no app, calls them all. Core cannot import the apps, so they come to it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks.base import Task
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max

# Any constant naming this lock among the application's advisory locks on PostgreSQL.
SCHEDULE_LOCK = 7_041_001

Schedule = Callable[[], bool]

_schedules: dict[str, Schedule] = {}


def register(name: str, schedule: Schedule) -> None:
    """Have `motcua worker` call `schedule` at start; `name` says what it queues ("deadline scan")."""
    _schedules[name] = schedule


def schedule_all() -> list[str]:
    """Queue every registered job that is not queued yet; the names of those this call queued."""
    return [name for name, schedule in _schedules.items() if schedule()]


def queue_once(
    task: Task[Any, Any], run_after: dt.datetime | None = None, *, unless_queued_by_then: bool = False
) -> bool:
    """Queue `task` to run at `run_after` (as soon as a worker is free when None) unless a run is queued
    already; True when this call queued it. With `unless_queued_by_then`, a queued run counts only if it is
    due by `run_after`: work that must happen soon is not kept waiting behind a run queued for later.

    The check and the insert happen under a lock, so two workers starting at once, or a run queuing its
    successor while a worker starts, leave one run, not two. Only the database backend, which `motcua worker`
    runs, is asked: another one could not tell what is queued, or run a task later."""
    if not isinstance(task.get_backend(), DatabaseBackend):
        return False
    queued = DBTaskResult.objects.filter(task_path=task.module_path, status=TaskResultStatus.READY)
    if unless_queued_by_then:
        by_then = run_after or timezone.now()
        # The backend stores "as soon as possible" as the largest date.
        queued = queued.filter(Q(run_after__lte=by_then) | Q(run_after=get_date_max()))
    # Mostly a run is queued already (a busy hour's every commit asks): seen without taking the lock.
    if queued.exists():
        return False
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SCHEDULE_LOCK])
        # SQLite needs no lock: its transactions take the database's write lock at BEGIN (settings.py).
        if queued.exists():
            return False
        (task.using(run_after=run_after) if run_after is not None else task).enqueue()
    return True
