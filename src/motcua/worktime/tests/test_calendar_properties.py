"""Laws of the clock that must hold for any receipt time and any duration."""

from datetime import UTC, datetime, time, timedelta

from hypothesis import given
from hypothesis import strategies as st

from motcua.worktime.calendar import LOCAL_TZ, WorkingCalendar
from motcua.worktime.constants import DurationUnit

calendar = WorkingCalendar()
periods = calendar.office_hours.periods

# Four years around now, across several Tết holidays and swaps, in either offset a caller may send.
moments = st.datetimes(
    min_value=datetime(2024, 1, 1),
    max_value=datetime(2027, 12, 31),
    timezones=st.sampled_from([LOCAL_TZ, UTC]),
)
delays = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=20))
working_minutes = st.integers(min_value=0, max_value=40 * 480)
amounts = st.integers(min_value=0, max_value=60)
counted_units = st.sampled_from([DurationUnit.WORKING_HOURS, DurationUnit.WORKING_DAYS, DurationUnit.DAYS])
cutoffs = st.one_of(st.none(), st.sampled_from([time(11), time(15), time(16, 30)]))


def deadline_due(received_at: datetime, amount: int, unit: DurationUnit, cutoff: time | None) -> datetime:
    if cutoff is not None:
        unit, amount = DurationUnit.WORKING_DAYS, max(amount, 1)
    due = calendar.deadline(received_at, amount, unit, cutoff).due
    assert due is not None
    return due


def is_within_office_hours(moment: datetime) -> bool:
    local = moment.astimezone(LOCAL_TZ)
    return calendar.is_working_day(local.date()) and any(
        start <= local.time() <= end for start, end in periods
    )


@given(moments, working_minutes)
def test_adding_then_measuring_gives_back_the_amount(start, minutes):
    assert calendar.working_minutes_between(start, calendar.add_working_minutes(start, minutes)) == minutes


@given(moments, moments)
def test_measuring_backwards_is_the_opposite(a, b):
    assert calendar.working_minutes_between(a, b) == -calendar.working_minutes_between(b, a)


@given(moments, working_minutes, st.integers(min_value=0, max_value=5 * 480))
def test_adding_in_two_steps_is_adding_at_once(start, first, second):
    assert calendar.add_working_minutes(calendar.add_working_minutes(start, first), second) == (
        calendar.add_working_minutes(start, first + second)
    )


@given(moments)
def test_counting_starts_at_a_working_moment_not_before_receipt(received_at):
    counting_from = calendar.deadline(received_at, 1, DurationUnit.WORKING_DAYS).counting_from

    assert counting_from >= received_at
    assert is_within_office_hours(counting_from)
    assert counting_from.tzinfo == LOCAL_TZ
    assert calendar.working_minutes_between(received_at, counting_from) == 0


@given(moments, amounts, counted_units, cutoffs)
def test_a_deadline_never_lands_outside_office_hours(received_at, amount, unit, cutoff):
    due = deadline_due(received_at, amount, unit, cutoff)

    assert is_within_office_hours(due)
    assert due.tzinfo == LOCAL_TZ


@given(moments, amounts, amounts, counted_units, cutoffs)
def test_a_longer_duration_is_never_due_earlier(received_at, amount, more, unit, cutoff):
    shorter = deadline_due(received_at, amount, unit, cutoff)

    assert shorter <= deadline_due(received_at, amount + more, unit, cutoff)


@given(moments, delays, amounts, counted_units, cutoffs)
def test_a_later_receipt_is_never_due_earlier(received_at, delay, amount, unit, cutoff):
    earlier = deadline_due(received_at, amount, unit, cutoff)

    assert earlier <= deadline_due(received_at + delay, amount, unit, cutoff)


@given(moments, amounts)
def test_working_days_are_eight_working_hours(received_at, amount):
    assert deadline_due(received_at, amount, DurationUnit.WORKING_DAYS, None) == deadline_due(
        received_at, amount * 8, DurationUnit.WORKING_HOURS, None
    )


@given(moments, amounts)
def test_a_working_time_deadline_uses_exactly_its_amount(received_at, amount):
    due = deadline_due(received_at, amount, DurationUnit.WORKING_HOURS, None)

    assert calendar.working_minutes_between(received_at, due) == amount * 60
