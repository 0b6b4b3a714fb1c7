"""Measuring office time between two moments, the inverse of adding it."""

import pytest

from motcua.worktime.calendar import WorkingCalendar
from motcua.worktime.tests.clock import at

calendar = WorkingCalendar()


@pytest.mark.parametrize(
    ("start", "end", "minutes"),
    [
        pytest.param(at(2025, 3, 10, 8), at(2025, 3, 10, 17), 480, id="a whole day"),
        pytest.param(at(2025, 3, 10, 11), at(2025, 3, 10, 14), 120, id="lunch is not counted"),
        pytest.param(at(2025, 3, 7, 16), at(2025, 3, 10, 9), 120, id="the weekend is not counted"),
        pytest.param(at(2025, 3, 8, 10), at(2025, 3, 9, 10), 0, id="inside a weekend"),
        pytest.param(at(2025, 3, 10, 18), at(2025, 3, 11, 7), 0, id="overnight"),
        pytest.param(at(2026, 2, 13, 10), at(2026, 2, 25, 10), 3 * 480, id="across Tết 2026"),
        pytest.param(at(2025, 3, 10, 10), at(2025, 3, 10, 10), 0, id="no time"),
    ],
)
def test_working_minutes_between(start, end, minutes):
    assert calendar.working_minutes_between(start, end) == minutes


def test_measuring_backwards_is_negative():
    assert calendar.working_minutes_between(at(2025, 3, 10, 14), at(2025, 3, 10, 11)) == -120


def test_seconds_are_left_out():
    start = at(2025, 3, 10, 10)

    assert calendar.working_minutes_between(start, start.replace(minute=1, second=59)) == 1


@pytest.mark.parametrize(
    ("start", "result"),
    [
        pytest.param(at(2025, 3, 10, 17), at(2025, 3, 10, 17), id="a due date at closing stays there"),
        pytest.param(at(2025, 3, 10, 12), at(2025, 3, 10, 12), id="noon stays at noon"),
        pytest.param(at(2025, 3, 10, 18), at(2025, 3, 11, 8), id="after hours: next opening"),
        pytest.param(at(2025, 3, 9, 10), at(2025, 3, 10, 8), id="Sunday: Monday opening"),
    ],
)
def test_adding_no_time(start, result):
    assert calendar.add_working_minutes(start, 0) == result


def test_adding_a_negative_time_is_refused():
    with pytest.raises(ValueError):
        calendar.add_working_minutes(at(2025, 3, 10, 10), -1)
