"""The MOTCUA_OUTBOX_* settings, read and checked (docs/operations/outbox.md)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class OutboxConfig:
    max_attempts: int  # tries before a message is dead (waits for a person)
    base_delay: dt.timedelta  # the wait after the first failure, doubled after each next one
    max_delay: dt.timedelta  # the longest wait between two tries
    breaker_threshold: int  # failures in a row after which a destination is left alone for a while
    breaker_cooldown: dt.timedelta  # how long it is left alone
    lease: dt.timedelta  # how long a worker holds a message it is trying (longer than any receiver's timeout)


_WHOLE_NUMBERS = {
    "MOTCUA_OUTBOX_MAX_ATTEMPTS": 1,
    "MOTCUA_OUTBOX_BASE_DELAY_SECONDS": 1,
    "MOTCUA_OUTBOX_MAX_DELAY_SECONDS": 1,
    "MOTCUA_OUTBOX_BREAKER_THRESHOLD": 1,
    "MOTCUA_OUTBOX_BREAKER_COOLDOWN_SECONDS": 1,
    "MOTCUA_OUTBOX_LEASE_SECONDS": 10,
}


def outbox_config() -> OutboxConfig:
    """The settings as the worker uses them; ImproperlyConfigured names the setting that is wrong."""
    values = {}
    for name, least in _WHOLE_NUMBERS.items():
        value = getattr(settings, name)
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            raise ImproperlyConfigured(f"{name} must be a whole number, {least} or more (it is {value!r}).")
        values[name] = value
    if values["MOTCUA_OUTBOX_MAX_DELAY_SECONDS"] < values["MOTCUA_OUTBOX_BASE_DELAY_SECONDS"]:
        raise ImproperlyConfigured("MOTCUA_OUTBOX_MAX_DELAY_SECONDS must not be less than the base delay.")
    return OutboxConfig(
        max_attempts=values["MOTCUA_OUTBOX_MAX_ATTEMPTS"],
        base_delay=dt.timedelta(seconds=values["MOTCUA_OUTBOX_BASE_DELAY_SECONDS"]),
        max_delay=dt.timedelta(seconds=values["MOTCUA_OUTBOX_MAX_DELAY_SECONDS"]),
        breaker_threshold=values["MOTCUA_OUTBOX_BREAKER_THRESHOLD"],
        breaker_cooldown=dt.timedelta(seconds=values["MOTCUA_OUTBOX_BREAKER_COOLDOWN_SECONDS"]),
        lease=dt.timedelta(seconds=values["MOTCUA_OUTBOX_LEASE_SECONDS"]),
    )
