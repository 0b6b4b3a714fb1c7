"""The deadline scan as a background task that schedules its own next run (docs/operations/worker.md).

Each run queues the next (core/recurring.py); at most one future run is queued, whoever asks, so there is one
chain of runs, not two.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django_tasks import task

from motcua.alerts.config import alert_config
from motcua.alerts.services import scan_deadlines
from motcua.core.recurring import queue_once
from motcua.core.retention import purge_all


@task()
def scan_deadlines_task() -> dict[str, Any]:
    # The next run is queued before this one works, so that a scan that fails or is killed does not break the
    # chain; scans are idempotent, so one overlapping the next costs time, never a duplicate warning.
    schedule_scan(timezone.now() + alert_config().interval)
    result = scan_deadlines(timezone.now()).as_dict()
    # The worker's periodic scan also purges what has outlived its retention (`motcua purge` by hand).
    result["purged"] = purge_all()
    return result


def schedule_scan(run_after: dt.datetime | None = None) -> bool:
    """Queue a scan to run at `run_after` (as soon as a worker is free when None) unless one is queued
    already; True when this call queued it."""
    return queue_once(scan_deadlines_task, run_after)
