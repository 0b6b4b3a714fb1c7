"""Which days the national calendar works, from the `holidays` package, and how each day off is typed."""

from datetime import date

import pytest

from motcua.worktime.calendar import DayInfo, NonWorkingDay, WorkingCalendar, WorkingWeekendDay
from motcua.worktime.constants import DayKind

calendar = WorkingCalendar()


@pytest.mark.parametrize(
    ("day", "kind"),
    [
        pytest.param(date(2026, 2, 17), DayKind.HOLIDAY, id="Tết 2026"),
        pytest.param(date(2025, 9, 2), DayKind.HOLIDAY, id="National Day 2025"),
        pytest.param(date(2026, 4, 27), DayKind.COMPENSATORY, id="Hùng Kings' Day 2026 fell on a Sunday"),
        pytest.param(date(2024, 2, 8), DayKind.COMPENSATORY, id="Tết 2024 day moved off a Saturday"),
        pytest.param(date(2025, 5, 2), DayKind.SWAPPED_DAY_OFF, id="bridge day bought with 26 April 2025"),
        pytest.param(date(2025, 3, 8), DayKind.WEEKEND, id="an ordinary Saturday"),
    ],
)
def test_days_off_are_typed(day: date, kind: DayKind):
    info = calendar.day_info(day)

    assert info is not None
    assert info.kind == kind
    assert not calendar.is_working_day(day)


def test_the_swapped_day_off_is_named_after_the_saturday_worked():
    assert calendar.day_info(date(2025, 5, 2)) == DayInfo(
        DayKind.SWAPPED_DAY_OFF, "Ngày nghỉ (thay cho ngày 26/04/2025)"
    )


@pytest.mark.parametrize(
    "day",
    [
        pytest.param(date(2025, 4, 26), id="Saturday swapped for 2 May 2025"),
        pytest.param(date(2014, 12, 27), id="Saturday swapped for a day of the next year"),
        pytest.param(date(2025, 3, 10), id="an ordinary Monday"),
    ],
)
def test_working_days(day: date):
    assert calendar.is_working_day(day)
    assert calendar.day_info(day) is None


def test_any_year_can_be_asked():
    assert calendar.day_info(date(2090, 1, 1)) == DayInfo(DayKind.HOLIDAY, "Tết Dương lịch")
    assert calendar.is_working_day(date(2300, 1, 2))


def test_days_off_of_may_2025_leave_out_ordinary_weekends():
    assert calendar.non_working_days(date(2025, 4, 26), date(2025, 5, 4)) == [
        NonWorkingDay(date(2025, 4, 30), DayKind.HOLIDAY, "Ngày Chiến thắng"),
        NonWorkingDay(date(2025, 5, 1), DayKind.HOLIDAY, "Ngày Quốc tế Lao động"),
        NonWorkingDay(date(2025, 5, 2), DayKind.SWAPPED_DAY_OFF, "Ngày nghỉ (thay cho ngày 26/04/2025)"),
    ]


def test_a_holiday_on_a_sunday_is_listed():
    listed = calendar.non_working_days(date(2026, 4, 26), date(2026, 4, 27))

    assert [(day.day, day.kind) for day in listed] == [
        (date(2026, 4, 26), DayKind.HOLIDAY),
        (date(2026, 4, 27), DayKind.COMPENSATORY),
    ]


def test_tet_2026_is_listed_in_full():
    listed = calendar.non_working_days(date(2026, 2, 14), date(2026, 2, 22))

    assert [day.day for day in listed] == [date(2026, 2, d) for d in range(16, 21)]


def test_worked_weekends_are_listed():
    assert calendar.working_weekend_days(date(2024, 1, 1), date(2026, 12, 31)) == [
        WorkingWeekendDay(date(2024, 5, 4), "Ngày làm việc bù"),
        WorkingWeekendDay(date(2025, 4, 26), "Ngày làm việc bù"),
        WorkingWeekendDay(date(2026, 8, 22), "Ngày làm việc bù"),
    ]


def test_an_empty_range_lists_nothing():
    assert calendar.non_working_days(date(2025, 5, 2), date(2025, 5, 1)) == []
