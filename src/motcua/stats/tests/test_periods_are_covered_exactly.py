"""A period read from the rollups is exactly its days: no day missed, none counted twice."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from motcua.stats.models import Grain
from motcua.stats.periods import (
    ONE_DAY,
    Bucket,
    Period,
    before,
    cover,
    month_end,
    month_period,
    quarter_period,
    year_period,
)

days = st.dates(min_value=dt.date(2019, 1, 1), max_value=dt.date(2031, 12, 31))


def _days_of(buckets: list[Bucket]) -> list[dt.date]:
    """Every day the rows of the buckets stand for, in order, with repeats kept."""
    out = []
    for bucket in buckets:
        period = bucket.first
        while period <= bucket.last:
            if bucket.grain == Grain.DAY:
                out.append(period)
                period += ONE_DAY
            elif bucket.grain == Grain.MONTH:
                end = month_end(period)
                out.extend(period + dt.timedelta(days=n) for n in range((end - period).days + 1))
                period = end + ONE_DAY
            else:
                end = period.replace(month=12, day=31)
                out.extend(period + dt.timedelta(days=n) for n in range((end - period).days + 1))
                period = end + ONE_DAY
    return out


@given(days, days)
def test_cover_stands_for_every_day_once(a, b):
    first, last = min(a, b), max(a, b)
    expected = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    buckets = cover(first, last)
    assert _days_of(buckets) == expected
    assert len(buckets) <= 5, "a few runs of rows whatever the length"


@given(days)
def test_before_stands_for_every_earlier_day(day):
    buckets = [
        b if b.first != dt.date.min else Bucket(b.grain, dt.date(2018, 1, 1), b.last) for b in before(day)
    ]
    covered = _days_of(buckets)
    assert covered == [
        dt.date(2018, 1, 1) + dt.timedelta(days=n) for n in range((day - dt.date(2018, 1, 1)).days)
    ]


def test_reporting_periods_follow_the_cut_off_day():
    assert year_period(2026, cutoff=0) == Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    # Decree 09/2019: from the 15th of the month before the period to the 14th of its last month.
    assert year_period(2026, cutoff=14) == Period(dt.date(2025, 12, 15), dt.date(2026, 12, 14))
    assert quarter_period(2026, 1, cutoff=14) == Period(dt.date(2025, 12, 15), dt.date(2026, 3, 14))


@given(st.integers(0, 31), st.integers(2020, 2030), st.integers(1, 12))
def test_consecutive_months_tile_for_any_cut_off_day(cutoff, year, month):
    this = month_period(year, month, cutoff=cutoff)
    following = month_period(year + month // 12, month % 12 + 1, cutoff=cutoff)
    assert this.first <= this.last and this.last + ONE_DAY == following.first
