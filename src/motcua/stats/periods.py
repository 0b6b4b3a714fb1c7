"""Periods as buckets of the rollups, and reporting periods with their cut-off days.

Any run of days is covered by at most two runs of days, two runs of months and one run of years, so a report
reads a few hundred rows per agency and field whatever the length of the period.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt

from django.conf import settings

from motcua.stats.models import Grain

ONE_DAY = dt.timedelta(days=1)


@dataclasses.dataclass(frozen=True)
class Bucket:
    grain: str
    first: dt.date  # the `period` of the first row
    last: dt.date  # the `period` of the last row


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _next_month(day: dt.date) -> dt.date:
    return month_end(day) + ONE_DAY


def cover(first: dt.date, last: dt.date) -> list[Bucket]:
    """The buckets whose rows add up to exactly the days first..last: at each day the largest whole year,
    month or day that starts there and fits, consecutive pieces of one grain merged."""
    buckets: list[Bucket] = []
    day = first
    while day <= last:
        if day.month == 1 and day.day == 1 and day.replace(month=12, day=31) <= last:
            grain, following = Grain.YEAR, day.replace(year=day.year + 1)
        elif day.day == 1 and month_end(day) <= last:
            grain, following = Grain.MONTH, _next_month(day)
        else:
            grain, following = Grain.DAY, day + ONE_DAY
        if buckets and buckets[-1].grain == grain:
            buckets[-1] = Bucket(grain, buckets[-1].first, day)
        else:
            buckets.append(Bucket(grain, day, day))
        day = following
    return buckets


def before(day: dt.date) -> list[Bucket]:
    """The buckets of every day before `day`: the stock brought forward."""
    buckets = [Bucket(Grain.YEAR, dt.date.min, dt.date(day.year - 1, 1, 1))] if day.year > 1 else []
    if day.month > 1:
        buckets.append(
            Bucket(Grain.MONTH, day.replace(month=1, day=1), day.replace(month=day.month - 1, day=1))
        )
    if day.day > 1:
        buckets.append(Bucket(Grain.DAY, day.replace(day=1), day - ONE_DAY))
    return buckets


# --- reporting periods -------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Period:
    first: dt.date
    last: dt.date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError("a period ends on or after its first day")


def cutoff_day() -> int:
    """The data cut-off of periodic reports (Decree 09/2019: from the 15th of the month before the period to
    the 14th of its last month) [K]; 0 means calendar months."""
    return int(getattr(settings, "MOTCUA_REPORT_CUTOFF_DAY", 0))


def reporting_period(year: int, first_month: int, months: int, cutoff: int | None = None) -> Period:
    """The period of `months` months starting with `first_month` of `year`, cut off on the configured day."""
    cutoff = cutoff_day() if cutoff is None else cutoff
    start_month = dt.date(year, first_month, 1)
    end_month = start_month
    for _ in range(months - 1):
        end_month = _next_month(end_month)
    if not cutoff:
        return Period(start_month, month_end(end_month))
    previous = start_month - ONE_DAY
    # A cut-off late in the month stops at the end of a short month (the 30th in February is its 28th).
    first = previous.replace(day=min(cutoff + 1, month_end(previous).day))
    if cutoff >= month_end(previous).day:
        first = start_month
    return Period(first, end_month.replace(day=min(cutoff, month_end(end_month).day)))


def month_period(year: int, month: int, cutoff: int | None = None) -> Period:
    return reporting_period(year, month, 1, cutoff)


def quarter_period(year: int, quarter: int, cutoff: int | None = None) -> Period:
    return reporting_period(year, 3 * quarter - 2, 3, cutoff)


def year_period(year: int, cutoff: int | None = None) -> Period:
    return reporting_period(year, 1, 12, cutoff)
