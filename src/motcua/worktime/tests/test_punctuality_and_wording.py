"""Early, on time or late at day granularity (DOMAIN.md §4.4), and working time in words."""

from datetime import UTC, date, datetime

import pytest

from motcua.worktime.calendar import (
    classify_finished,
    describe_remaining,
    format_working_duration,
    is_overdue_at,
)
from motcua.worktime.constants import Punctuality
from motcua.worktime.tests.clock import at

DUE = at(2025, 3, 12, 10)


@pytest.mark.parametrize(
    ("finished_at", "punctuality"),
    [
        pytest.param(at(2025, 3, 11, 16), Punctuality.EARLY, id="the day before"),
        pytest.param(at(2025, 3, 12, 9), Punctuality.ON_TIME, id="the due day, before the hour"),
        pytest.param(at(2025, 3, 12, 23), Punctuality.ON_TIME, id="the due day, late in the evening"),
        pytest.param(at(2025, 3, 13, 0, 1), Punctuality.LATE, id="the day after"),
        # 17:30 UTC on the 11th is 00:30 on the 12th in Hà Nội: the local date decides.
        pytest.param(datetime(2025, 3, 11, 17, 30, tzinfo=UTC), Punctuality.ON_TIME, id="local date counts"),
    ],
)
def test_a_finished_dossier_is_classified_by_date(finished_at: datetime, punctuality: Punctuality):
    assert classify_finished(finished_at, DUE) == punctuality


def test_without_a_due_date_a_finished_dossier_is_on_time():
    assert classify_finished(at(2030, 1, 1), None) == Punctuality.ON_TIME


@pytest.mark.parametrize(
    ("period_end", "overdue"),
    [
        pytest.param(date(2025, 3, 11), False, id="due after the period end"),
        pytest.param(date(2025, 3, 12), False, id="due on the period end"),
        pytest.param(date(2025, 3, 13), True, id="due before the period end"),
    ],
)
def test_an_open_dossier_is_overdue_when_due_before_the_period_end(period_end: date, overdue: bool):
    assert is_overdue_at(DUE, period_end) is overdue


def test_an_open_dossier_without_due_date_is_never_overdue():
    assert is_overdue_at(None, date(2099, 1, 1)) is False


@pytest.mark.parametrize(
    ("minutes", "vi", "en"),
    [
        pytest.param(0, "0 phút", "0 minutes", id="nothing"),
        pytest.param(1, "1 phút", "1 minute", id="one minute"),
        pytest.param(45, "45 phút", "45 minutes", id="minutes under an hour"),
        pytest.param(60, "1 giờ", "1 hour", id="one hour"),
        pytest.param(150, "2 giờ", "2 hours", id="minutes dropped past an hour"),
        pytest.param(480, "1 ngày", "1 day", id="one day"),
        pytest.param(2 * 480 + 3 * 60 + 20, "2 ngày 3 giờ", "2 days 3 hours", id="days and hours"),
    ],
)
def test_working_time_in_words(minutes: int, vi: str, en: str):
    assert format_working_duration(minutes, 480, "vi") == vi
    assert format_working_duration(minutes, 480, "en") == en


def test_a_day_is_as_long_as_the_province_works():
    assert format_working_duration(540, 540, "en") == "1 day"


def test_a_negative_duration_has_no_words():
    with pytest.raises(ValueError):
        format_working_duration(-1, 480, "vi")


@pytest.mark.parametrize(
    ("minutes", "language", "text"),
    [
        pytest.param(2 * 480 + 180, "vi", "còn 2 ngày 3 giờ", id="vi left"),
        pytest.param(-(480 + 120), "vi", "quá hạn 1 ngày 2 giờ", id="vi overdue"),
        pytest.param(2 * 480 + 180, "en", "2 days 3 hours left", id="en left"),
        pytest.param(-(480 + 120), "en", "overdue by 1 day 2 hours", id="en overdue"),
        pytest.param(-30, "en-us", "overdue by 30 minutes", id="regional code"),
        pytest.param(90, "fr", "còn 1 giờ", id="unknown language falls back to Vietnamese"),
    ],
)
def test_remaining_time_in_words(minutes: int, language: str, text: str):
    assert describe_remaining(minutes, 480, language) == text


@pytest.mark.parametrize(("language", "text"), [("vi", "quá hạn"), ("en", "overdue")])
def test_a_deadline_passed_after_hours_is_overdue_not_zero_minutes_left(language: str, text: str):
    assert describe_remaining(0, 480, language, past_due=True) == text
    assert describe_remaining(-60, 480, language, past_due=True) != text
