"""The MOTCUA_ALERT_* settings read and checked once, in working minutes (docs/operations/worker.md)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from motcua.alerts.constants import Level


@dataclass(frozen=True)
class AlertConfig:
    due_soon_minutes: int  # working time before a deadline within which it is due soon
    escalate_after_minutes: tuple[int, ...]  # by level: working time overdue after which that level is warned
    interval: dt.timedelta  # between two scheduled scans


def alert_config() -> AlertConfig:
    """The settings as the scan uses them; ImproperlyConfigured names the setting that is wrong."""
    due_soon_hours = settings.MOTCUA_ALERT_DUE_SOON_HOURS
    if not isinstance(due_soon_hours, int) or due_soon_hours < 0:
        raise ImproperlyConfigured("MOTCUA_ALERT_DUE_SOON_HOURS must be a whole number of hours, 0 or more.")
    ladder_text = str(settings.MOTCUA_ESCALATION_AFTER_HOURS)
    try:
        ladder = tuple(int(piece) for piece in ladder_text.split(","))
    except ValueError:
        ladder = ()
    if not 1 <= len(ladder) <= len(Level) or any(h < 0 for h in ladder) or list(ladder) != sorted(ladder):
        raise ImproperlyConfigured(
            f"MOTCUA_ESCALATION_AFTER_HOURS must be 1 to {len(Level)} whole numbers of hours, 0 or more and "
            f"never decreasing, separated by commas, like 0,8,24 (it is {ladder_text!r})."
        )
    interval = settings.MOTCUA_ALERT_INTERVAL_MINUTES
    if not isinstance(interval, int) or interval < 1:
        raise ImproperlyConfigured(
            "MOTCUA_ALERT_INTERVAL_MINUTES must be a whole number of minutes, 1 or more"
        )
    return AlertConfig(due_soon_hours * 60, tuple(h * 60 for h in ladder), dt.timedelta(minutes=interval))
