"""The fetch of new dossiers from the national portal as a background task that queues its own next run every
`MOTCUA_DVCQG_FETCH_INTERVAL_SECONDS` (core/recurring.py; `motcua worker` queues the first)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.utils import timezone
from django_tasks import task

from motcua.core.recurring import queue_once
from motcua.delivery.outbox import Refused, Unreachable
from motcua.exchange.dvcqg.config import portal_config
from motcua.exchange.dvcqg.inbound import UnreadableListing, fetch_new_dossiers

logger = logging.getLogger(__name__)


@task()
def fetch_new_dossiers_task() -> dict[str, Any]:
    config = portal_config()
    if config is None:
        # Synchronisation was switched off: the chain ends; the worker's next start begins it again if on.
        return {"off": True}
    # The next run is queued before this one works, so that a fetch that fails or is killed does not end the
    # chain; fetches are idempotent, so one overlapping the next costs time, never a duplicate dossier.
    schedule_fetch(timezone.now() + dt.timedelta(seconds=config.fetch_interval_seconds))
    try:
        return fetch_new_dossiers().as_dict()
    except (Unreachable, Refused, UnreadableListing) as error:
        # Noted on the cursor too; the next run tries again at its time, not sooner.
        logger.warning("Fetching new dossiers from the national portal failed: %s", error)
        return {"error": str(error)}


def schedule_fetch(run_after: dt.datetime | None = None) -> bool:
    """Queue a fetch at `run_after` (as soon as a worker is free when None) unless one is queued already or
    synchronisation is off; True when this call queued it."""
    if portal_config() is None:
        return False
    return queue_once(fetch_new_dossiers_task, run_after)
