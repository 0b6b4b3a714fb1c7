from datetime import time

import pytest

from motcua.worktime.calendar import DEFAULT_OFFICE_HOURS_TEXT, OfficeHours, WorkingCalendar
from motcua.worktime.constants import DurationUnit
from motcua.worktime.tests.clock import at


def test_the_default_is_eight_to_noon_and_one_to_five():
    hours = OfficeHours()

    assert hours.periods == ((time(8), time(12)), (time(13), time(17)))
    assert (hours.opening, hours.closing, hours.minutes_per_day) == (time(8), time(17), 480)
    assert OfficeHours.parse(DEFAULT_OFFICE_HOURS_TEXT) == hours


def test_periods_are_read_from_text_with_spaces():
    hours = OfficeHours.parse(" 7:00 - 11:30 , 13:30-17:00 ")

    assert hours.periods == ((time(7), time(11, 30)), (time(13, 30), time(17)))
    assert hours.minutes_per_day == 480


def test_a_single_period_is_enough():
    assert OfficeHours.parse("07:30-16:30").minutes_per_day == 540


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("08:00-12:00;13:00-17:00", id="wrong separator"),
        pytest.param("8h-12h", id="not HH:MM"),
        pytest.param("08:00-25:00", id="no such hour"),
        pytest.param("08:00-12:60", id="no such minute"),
        pytest.param("12:00-08:00", id="ends before it starts"),
        pytest.param("08:00-08:00", id="empty period"),
        pytest.param("08:00-12:00,11:00-17:00", id="overlap"),
        pytest.param("13:00-17:00,08:00-12:00", id="out of order"),
        pytest.param("08:00-12:00,", id="trailing comma"),
    ],
)
def test_bad_text_is_refused(text: str):
    with pytest.raises(ValueError):
        OfficeHours.parse(text)


def test_periods_must_be_whole_minutes():
    with pytest.raises(ValueError, match="whole minutes"):
        OfficeHours(((time(8, 0, 30), time(12)),))


def test_a_province_with_other_hours_counts_with_them():
    # Thanh Hóa's hours: still eight hours a day, but the afternoon opens at 13:30.
    calendar = WorkingCalendar(office_hours=OfficeHours.parse("07:00-11:30,13:30-17:00"))

    assert calendar.next_working_moment(at(2025, 3, 10, 12)) == at(2025, 3, 10, 13, 30)
    assert calendar.deadline(at(2025, 3, 10, 11), 1, DurationUnit.WORKING_HOURS).due == at(2025, 3, 10, 14)
    assert calendar.deadline(at(2025, 3, 10, 7), 1, DurationUnit.WORKING_DAYS).due == at(2025, 3, 10, 17)
