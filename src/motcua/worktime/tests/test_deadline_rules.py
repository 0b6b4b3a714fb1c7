"""Deadlines on real dates of the Vietnamese calendar, with the default hours 08:00-12:00 and 13:00-17:00."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from motcua.worktime.calendar import LOCAL_TZ, Deadline, InvalidDuration, WorkingCalendar
from motcua.worktime.constants import DurationUnit
from motcua.worktime.tests.clock import at

calendar = WorkingCalendar()
CUTOFF = time(15)


def due(received_at: datetime, amount: int, unit: str, cutoff: time | None = None) -> datetime | None:
    return calendar.deadline(received_at, amount, unit, cutoff).due


class TestWhenTheClockStarts:
    @pytest.mark.parametrize(
        ("received_at", "counting_from"),
        [
            pytest.param(at(2025, 3, 10, 10), at(2025, 3, 10, 10), id="inside office hours: at once"),
            pytest.param(at(2025, 3, 10, 7), at(2025, 3, 10, 8), id="before opening: at opening"),
            pytest.param(at(2025, 3, 10, 12, 30), at(2025, 3, 10, 13), id="lunch: afternoon opening"),
            pytest.param(at(2025, 3, 10, 12), at(2025, 3, 10, 13), id="12:00 sharp: afternoon opening"),
            pytest.param(at(2025, 3, 10, 17), at(2025, 3, 11, 8), id="17:00 sharp: next morning"),
            pytest.param(at(2025, 3, 10, 18), at(2025, 3, 11, 8), id="after hours: next morning"),
            pytest.param(at(2025, 3, 7, 18), at(2025, 3, 10, 8), id="Friday evening: Monday"),
            pytest.param(at(2025, 3, 9, 10), at(2025, 3, 10, 8), id="Sunday: Monday"),
            pytest.param(at(2025, 9, 2, 10), at(2025, 9, 3, 8), id="National Day: the day after"),
            pytest.param(at(2025, 1, 24, 17, 30), at(2025, 2, 3, 8), id="evening before Tết 2025: after Tết"),
        ],
    )
    def test_counting_starts_at_the_next_working_moment(self, received_at: datetime, counting_from: datetime):
        assert calendar.deadline(received_at, 1, DurationUnit.WORKING_DAYS).counting_from == counting_from

    def test_a_receipt_in_another_offset_is_read_in_vietnam_time(self):
        received_in_utc = datetime(2026, 2, 13, 3, tzinfo=UTC)

        result = calendar.deadline(received_in_utc, 3, DurationUnit.WORKING_DAYS)

        assert result == Deadline(at(2026, 2, 13, 10), at(2026, 2, 25, 10))
        assert result.counting_from.utcoffset() == timedelta(hours=7)
        assert result.counting_from.tzinfo == LOCAL_TZ

    def test_a_naive_receipt_time_is_refused(self):
        with pytest.raises(ValueError, match="time zone"):
            calendar.deadline(datetime(2025, 3, 10, 10), 1, DurationUnit.WORKING_DAYS)


class TestWorkingDays:
    def test_tet_2026_is_skipped(self):
        # 16-20 Feb 2026 are the Tết holidays, 21-22 Feb the weekend: the three days are 13, 23 and 24 Feb.
        assert due(at(2026, 2, 13, 10), 3, DurationUnit.WORKING_DAYS) == at(2026, 2, 25, 10)

    def test_the_swapped_saturday_of_april_2025_is_worked(self):
        # Thursday 24 April + 3: Friday 25, Saturday 26 (worked in exchange for 2 May), Monday 28.
        assert due(at(2025, 4, 24, 10), 3, DurationUnit.WORKING_DAYS) == at(2025, 4, 28, 10)

    def test_the_day_off_bought_by_the_swap_is_skipped_with_the_holidays_around_it(self):
        # 30 April and 1 May are holidays, 2 May the swapped day off, 3-4 May the weekend.
        assert due(at(2025, 4, 29, 10), 1, DurationUnit.WORKING_DAYS) == at(2025, 5, 5, 10)

    def test_one_working_day_is_eight_working_hours(self):
        assert due(at(2025, 3, 10, 10), 1, DurationUnit.WORKING_DAYS) == at(2025, 3, 11, 10)

    def test_a_deadline_ending_at_closing_time_stays_at_closing_time(self):
        assert due(at(2025, 3, 10, 8), 1, DurationUnit.WORKING_DAYS) == at(2025, 3, 10, 17)

    def test_a_receipt_after_hours_is_due_at_the_next_day_closing(self):
        assert due(at(2025, 3, 10, 18), 1, DurationUnit.WORKING_DAYS) == at(2025, 3, 11, 17)


class TestWorkingHours:
    def test_lunch_is_not_counted(self):
        assert due(at(2025, 3, 10, 11), 2, DurationUnit.WORKING_HOURS) == at(2025, 3, 10, 14)

    def test_a_deadline_ending_at_noon_stays_at_noon(self):
        assert due(at(2025, 3, 10, 8), 4, DurationUnit.WORKING_HOURS) == at(2025, 3, 10, 12)

    def test_a_receipt_at_lunch_counts_from_the_afternoon(self):
        assert due(at(2025, 3, 10, 12, 30), 2, DurationUnit.WORKING_HOURS) == at(2025, 3, 10, 15)

    def test_the_weekend_is_not_counted(self):
        assert due(at(2025, 3, 7, 16), 1, DurationUnit.WORKING_HOURS) == at(2025, 3, 7, 17)
        assert due(at(2025, 3, 7, 16), 2, DurationUnit.WORKING_HOURS) == at(2025, 3, 10, 9)


class TestSameDayCutoff:
    @pytest.mark.parametrize(
        ("received_at", "due_at"),
        [
            pytest.param(at(2025, 3, 10, 10), at(2025, 3, 10, 17), id="before the cut-off: same day"),
            pytest.param(at(2025, 3, 10, 15, 30), at(2025, 3, 11, 17), id="after the cut-off: next day"),
            pytest.param(at(2025, 3, 10, 15), at(2025, 3, 11, 17), id="at the cut-off: next day"),
            pytest.param(at(2025, 3, 10, 18), at(2025, 3, 11, 17), id="after hours: next day"),
            pytest.param(at(2025, 3, 8, 10), at(2025, 3, 10, 17), id="Saturday: Monday"),
            # Monday 27 April 2026 is the day off for Hùng Kings' Day, which fell on Sunday.
            pytest.param(at(2026, 4, 24, 16), at(2026, 4, 28, 17), id="Friday late before a Monday holiday"),
        ],
    )
    def test_one_day_procedure(self, received_at: datetime, due_at: datetime):
        assert due(received_at, 1, DurationUnit.WORKING_DAYS, CUTOFF) == due_at

    def test_the_day_of_receipt_counts_as_the_first_of_several(self):
        assert due(at(2025, 3, 10, 10), 3, DurationUnit.WORKING_DAYS, CUTOFF) == at(2025, 3, 12, 17)

    def test_a_late_receipt_starts_the_count_on_the_next_day(self):
        assert due(at(2025, 3, 10, 16), 3, DurationUnit.WORKING_DAYS, CUTOFF) == at(2025, 3, 13, 17)

    def test_the_cut_off_applies_to_working_days_only(self):
        with pytest.raises(InvalidDuration) as raised:
            due(at(2025, 3, 10, 10), 1, DurationUnit.WORKING_HOURS, CUTOFF)
        assert raised.value.argument == "same_day_cutoff"

    def test_the_cut_off_needs_at_least_one_day(self):
        with pytest.raises(InvalidDuration) as raised:
            due(at(2025, 3, 10, 10), 0, DurationUnit.WORKING_DAYS, CUTOFF)
        assert raised.value.argument == "amount"


class TestCalendarDays:
    def test_a_working_day_result_is_due_at_its_closing(self):
        assert due(at(2025, 3, 10, 10), 7, DurationUnit.DAYS) == at(2025, 3, 17, 17)

    def test_a_result_on_a_saturday_moves_to_monday(self):
        assert due(at(2025, 3, 7, 10), 1, DurationUnit.DAYS) == at(2025, 3, 10, 17)

    def test_a_result_on_a_holiday_moves_past_the_holidays(self):
        # Thursday 28 August 2025 + 4 days is Monday 1 September; 1 and 2 September are National Day.
        assert due(at(2025, 8, 28, 10), 4, DurationUnit.DAYS) == at(2025, 9, 3, 17)

    def test_a_longer_duration_is_never_due_earlier(self):
        # Friday + 2 days is Sunday and + 3 days is Monday: both are due on Monday at closing.
        assert due(at(2025, 3, 7, 10), 2, DurationUnit.DAYS) == due(at(2025, 3, 7, 10), 3, DurationUnit.DAYS)

    def test_counting_starts_after_a_weekend_receipt(self):
        assert due(at(2025, 3, 8, 10), 1, DurationUnit.DAYS) == at(2025, 3, 11, 17)


class TestNoDeadlineAndBadDurations:
    def test_no_appointment_date_has_no_due_date_but_a_start(self):
        result = calendar.deadline(at(2025, 3, 9, 10), 0, DurationUnit.NONE)

        assert result == Deadline(at(2025, 3, 10, 8), None)

    def test_the_unit_may_be_given_by_its_code(self):
        assert due(at(2025, 3, 10, 10), 1, "working_days") == at(2025, 3, 11, 10)

    def test_zero_working_time_is_due_when_counting_starts(self):
        assert due(at(2025, 3, 10, 18), 0, DurationUnit.WORKING_HOURS) == at(2025, 3, 11, 8)

    def test_a_negative_duration_is_refused(self):
        with pytest.raises(InvalidDuration) as raised:
            due(at(2025, 3, 10, 10), -1, DurationUnit.WORKING_DAYS)
        assert raised.value.argument == "amount"

    def test_an_unknown_unit_is_refused(self):
        with pytest.raises(ValueError, match="months"):
            due(at(2025, 3, 10, 10), 1, "months")


class TestWorkingDayStepping:
    """The day stepping the deadlines use, public for the dashboards' "due within N working days"."""

    @pytest.mark.parametrize(
        ("day", "count", "expected"),
        [
            pytest.param(date(2025, 3, 10), 0, date(2025, 3, 10), id="none: the day itself"),
            pytest.param(date(2025, 3, 9), 0, date(2025, 3, 9), id="none: even a Sunday"),
            pytest.param(date(2025, 3, 10), 3, date(2025, 3, 13), id="Monday plus 3: Thursday"),
            pytest.param(date(2025, 3, 7), 1, date(2025, 3, 10), id="Friday plus 1: Monday"),
            pytest.param(date(2025, 9, 1), 1, date(2025, 9, 3), id="National Day skipped"),
        ],
    )
    def test_nth_working_day_after(self, day: date, count: int, expected: date):
        assert calendar.nth_working_day_after(day, count) == expected

    def test_a_working_day_is_its_own_first_working_day(self):
        assert calendar.working_day_on_or_after(date(2025, 3, 10)) == date(2025, 3, 10)
        assert calendar.working_day_on_or_after(date(2025, 3, 8)) == date(2025, 3, 10)

    def test_no_stepping_back(self):
        with pytest.raises(ValueError):
            calendar.nth_working_day_after(date(2025, 3, 10), -1)
