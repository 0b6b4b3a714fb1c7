"""What is deleted once it has outlived its retention: each app registers its purge in `AppConfig.ready`, and
`motcua purge` and the worker's periodic scan run them all."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

Purge = Callable[[], int]  # deletes what has expired; how many rows

_purges: dict[str, Purge] = {}


def register(what: str, purge: Purge) -> None:
    """Have the purges delete `what` ("expired idempotency answers") with `purge`."""
    _purges[what] = purge


def purge_all() -> dict[str, int]:
    """Run every registered purge; how many of each were deleted."""
    return {what: purge() for what, purge in _purges.items()}


def purge_finished_tasks(now: dt.datetime | None = None) -> int:
    """Delete the background tasks that finished more than MOTCUA_TASK_RESULTS_RETENTION_DAYS ago: every
    delivery run and deadline scan leaves one row."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.MOTCUA_TASK_RESULTS_RETENTION_DAYS)
    finished = DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED], finished_at__lt=cutoff
    )
    deleted, _by_model = finished.delete()
    return deleted
