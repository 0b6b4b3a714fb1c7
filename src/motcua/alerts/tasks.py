"""The deadline scan as a background task that schedules its own next run (docs/operations/worker.md).

django-tasks has no periodic schedule: each run enqueues the next with `run_after`, which the database backend
of django-tasks-db supports (`supports_defer`). At most one future run is queued, whoever asks: the check and
the insert happen under a lock, so two workers starting at once, or a worker starting while a run schedules
its successor, leave one chain of runs, not two.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from motcua.alerts.config import alert_config
from motcua.alerts.services import scan_deadlines
from motcua.core.idempotency import purge_expired

# Any constant naming this lock among the application's advisory locks on PostgreSQL.
SCHEDULE_LOCK = 7_041_001


@task()
def scan_deadlines_task() -> dict[str, Any]:
    # The next run is queued before this one works, so that a scan that fails or is killed does not break the
    # chain; scans are idempotent, so one overlapping the next costs time, never a duplicate warning.
    schedule_scan(timezone.now() + alert_config().interval)
    result = scan_deadlines(timezone.now()).as_dict()
    # The worker's one periodic job also purges what has outlived its retention (`motcua purge` by hand).
    result["expired_idempotency_answers"] = purge_expired()
    return result


def schedule_scan(run_after: dt.datetime | None = None) -> bool:
    """Queue a scan to run at `run_after` (as soon as a worker is free when None) unless one is queued
    already; True when this call queued it. Only the database backend, which `motcua worker` runs, queues
    periodic scans: another one could not tell what is queued, or run a task later."""
    if not isinstance(scan_deadlines_task.get_backend(), DatabaseBackend):
        return False
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SCHEDULE_LOCK])
        # SQLite needs no lock: its transactions take the database's write lock at BEGIN (settings.py).
        queued = DBTaskResult.objects.filter(
            task_path=scan_deadlines_task.module_path, status=TaskResultStatus.READY
        ).exists()
        if queued:
            return False
        due = scan_deadlines_task.using(run_after=run_after) if run_after is not None else scan_deadlines_task
        due.enqueue()
    return True
