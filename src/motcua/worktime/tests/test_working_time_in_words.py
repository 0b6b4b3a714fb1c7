"""Working time in words."""

import pytest

from motcua.worktime.calendar import describe_remaining, format_working_duration


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


@pytest.mark.parametrize(("language", "text"), [("vi", "đến hạn hôm nay"), ("en", "due today")])
def test_past_the_due_moment_but_within_the_due_day_is_due_today(language: str, text: str):
    assert describe_remaining(-45, 480, language, past_due=True, overdue=False) == text
    assert describe_remaining(0, 480, language, past_due=True, overdue=False) == text
    assert describe_remaining(30, 480, language, overdue=False) != text
