"""Shorthands for the tests: local moments and the days of the week they name."""

from datetime import datetime

from motcua.worktime.calendar import LOCAL_TZ


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A moment in Hà Nội time."""
    return datetime(year, month, day, hour, minute, tzinfo=LOCAL_TZ)
