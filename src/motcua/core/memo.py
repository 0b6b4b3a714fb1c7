"""Per-process caches of reference data (calendar, agency tree, catalogue) that expire after a while.

Reference data changes a few times a year and is read on every request. Each web process keeps its own copy
for a bounded time: a save clears the copy of the process that saved (through the app's signal receivers),
and the other processes see the change when their copy expires. No shared cache server is needed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable
from time import monotonic
from typing import Any, Generic, ParamSpec, TypeVar

from django.db import models, transaction
from django.db.models.signals import post_delete, post_save

# How long another process may serve a copy older than an edit: a minute is a short wait for a catalogue or
# calendar change, and spares the database several queries on every request.
REFERENCE_TTL_SECONDS = 60.0

P = ParamSpec("P")
R = TypeVar("R")
_all_caches: list[TimedCache[Any, Any]] = []


class TimedCache(Generic[P, R]):
    def __init__(self, function: Callable[P, R], seconds: float) -> None:
        self._function = function
        self._seconds = seconds
        self._entries: dict[Hashable, tuple[float, R]] = {}
        functools.update_wrapper(self, function)
        _all_caches.append(self)

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        key = (args, tuple(sorted(kwargs.items())))
        now = monotonic()
        entry = self._entries.get(key)
        if entry is not None and now - entry[0] < self._seconds:
            return entry[1]
        value = self._function(*args, **kwargs)
        self._entries[key] = (now, value)
        return value

    def clear(self) -> None:
        self._entries.clear()


def timed_cache(seconds: float = REFERENCE_TTL_SECONDS) -> Callable[[Callable[P, R]], TimedCache[P, R]]:
    def decorate(function: Callable[P, R]) -> TimedCache[P, R]:
        return TimedCache(function, seconds)

    return decorate


def _clear_all() -> None:
    for cache in _all_caches:
        cache.clear()


def clear_reference_caches(*args: Any, **kwargs: Any) -> None:
    """Drop every cached copy; usable as a signal receiver for saves of reference data."""
    _clear_all()
    # A request may rebuild a copy between the save and its commit, without the change it cannot see yet;
    # clearing again once the change is committed drops that copy too.
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_clear_all)


def clear_caches_on_change(*watched: type[models.Model]) -> None:
    """Make saves and deletions of `watched` (reference data) drop this process's cached copies."""
    for model in watched:
        for change, signal in (("saved", post_save), ("deleted", post_delete)):
            signal.connect(
                clear_reference_caches, sender=model, dispatch_uid=f"reference-{model._meta.label}-{change}"
            )
