"""The Decision 766 indicators from hand-written rollup rows: every figure below is worked out by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import F
from django.utils import translation

from motcua.core.errors import InvalidInput
from motcua.stats.contributions import RECEIVED_COLUMN
from motcua.stats.index766 import band_of, config, index766
from motcua.stats.indicators_input import parse_period
from motcua.stats.models import Grain, OpenTally, UnitFieldTally
from motcua.stats.periods import Period
from motcua.worktime.tests.factories import ProvinceCalendarSettingsFactory

OCTOBER = Period(dt.date(2026, 10, 1), dt.date(2026, 10, 31))


def _tally(world, agency, grain: str, period: dt.date, channel: str, **columns: int) -> None:
    """Add a channel's figures to the agency-and-field row the indicators read (channels are its columns)."""
    row, _ = UnitFieldTally.objects.get_or_create(
        grain=grain, period=period, agency=agency, field=world.version.field
    )
    columns[RECEIVED_COLUMN[channel]] = columns.pop("received", 0)
    UnitFieldTally.objects.filter(pk=row.pk).update(**{c: F(c) + v for c, v in columns.items()})


def _open(world, agency, received_on: dt.date, due_on: dt.date, count: int, over: int = 0) -> None:
    OpenTally.objects.create(
        agency=agency,
        procedure=world.procedure,
        received_on=received_on,
        due_on=due_on,
        count=count,
        over_supplemented=over,
    )


@pytest.fixture
def october(world):
    """Ten dossiers received by the department in October 2026: six online, four at the counter.

    Online: 4 settled on time, 1 late (the one asked twice for a supplement, still open); 4 with a result in
    2 working days each (3840 minutes), 2 of them electronic; 5 digitised; 1 rated dissatisfied.
    Counter: 3 settled on time; 2 results in 1 working day each (960 minutes), both electronic; 1 digitised.
    Still open with the clock running: 2 received on 20/10, due 5/11, one of them the over-supplemented one;
    1 received on 10/10, due 20/10. So 4 + 1 + 3 + (2 − 1) + 1 = 10 received.
    Noise that must not count: a day row of 2/11, a September open dossier, another unit's row."""
    department = world.department
    _tally(
        world,
        department,
        Grain.MONTH,
        dt.date(2026, 10, 1),
        "online",
        received=6,
        completed=4,
        completed_minutes=3840,
        settled_on_time_766=4,
        settled_late_766=1,
        digitised=5,
        electronic_result=2,
        rated_dissatisfied=1,
    )
    _tally(
        world,
        department,
        Grain.MONTH,
        dt.date(2026, 10, 1),
        "counter",
        received=4,
        completed=2,
        completed_minutes=960,
        settled_on_time_766=3,
        digitised=1,
        electronic_result=2,
    )
    _open(world, department, dt.date(2026, 10, 20), dt.date(2026, 11, 5), count=2, over=1)
    _open(world, department, dt.date(2026, 10, 10), dt.date(2026, 10, 20), count=1)
    _tally(world, department, Grain.DAY, dt.date(2026, 11, 2), "online", received=100, settled_late_766=100)
    _tally(world, department, Grain.DAY, dt.date(2026, 10, 2), "online", received=0)
    _open(world, department, dt.date(2026, 9, 30), dt.date(2026, 10, 1), count=5)
    _tally(world, world.other_commune, Grain.MONTH, dt.date(2026, 10, 1), "counter", received=50)
    return world


def _by_code(index):
    return {i.code: i for g in index.groups for i in g.indicators}


def test_indicators_after_the_period_judge_open_dossiers_at_its_last_day(october):
    index = index766([october.department.pk], OCTOBER, today=dt.date(2026, 12, 1))
    found = _by_code(index)
    # T' = 31/10: the dossier due 20/10 is late, the one due 5/11 within its deadline.
    # 2.1: on time = 4 + 3 settled + (2 − 1) open within = 8 of 10 → 80 % → 20 × 0.8 = 16 points.
    assert (found["2.1"].numerator, found["2.1"].denominator, found["2.1"].points) == (8, 10, 16.0)
    assert found["2.1"].rate == 80.0
    # 2.2: 4800 minutes over 6 results = 800 minutes = 1.67 working days; tracked, no points.
    assert (found["2.2"].numerator, found["2.2"].denominator) == (4800, 6)
    assert found["2.2"].value == 1.67 and found["2.2"].points is None and found["2.2"].max_points == 0
    # 3.3: 6 of 10 online = 60 % ≥ 50 % → all 6 points; the counter and post shares are only tracked.
    assert (found["3.3"].numerator, found["3.3"].points) == (6, 6.0)
    assert (found["3.3b"].numerator, found["3.3b"].rate, found["3.3b"].points) == (4, 40.0, None)
    assert (found["3.3c"].numerator, found["3.3c"].rate) == (0, 0.0)
    # 4.1: the rate is the percentage shown, to one decimal; the points come from the exact share.
    assert found["4.1"].rate == 66.7
    # 4.1: 4 electronic results of 6 results → 6 × 4/6 = 4 points. 4.2: 6 of 10 digitised → 4 × 0.6 = 2.4.
    assert (found["4.1"].numerator, found["4.1"].denominator, found["4.1"].points) == (4, 6, 4.0)
    assert (found["4.2"].numerator, found["4.2"].denominator, found["4.2"].points) == (6, 10, 2.4)
    # 5.4: late = 1 settled + 1 open past T' = 2, dissatisfied 1 → (10 − 2 − 1) ÷ 10 = 70 %
    # → 6 × 0.7 ÷ 0.9 = 4.67 points.
    assert (found["5.4"].numerator, found["5.4"].denominator, found["5.4"].points) == (7, 10, 4.67)
    # No online payment: 0 points out of 6 + 2, the owed amounts unknown.
    assert (found["3.6"].numerator, found["3.6"].denominator, found["3.6"].points) == (0, None, 0.0)
    assert found["3.7"].points == 0.0
    # 1.4: none of the ten was accepted by the national portal (no sync record) → 0 of 6 points.
    assert (found["1.4"].numerator, found["1.4"].denominator, found["1.4"].points) == (0, 10, 0.0)
    # Total 16 + 6 + 4 + 2.4 + 4.67 = 33.07 of 6 + 20 + 6 + 8 + 10 + 6 = 56 → 59.05 → "average" (50–<70).
    assert (index.points, index.max_points, index.scaled, index.band) == (33.07, 56, 59.05, "average")
    assert index.legal_max_points == 100
    groups = {g.code: g for g in index.groups}
    assert (groups["2"].points, groups["2"].max_points, groups["2"].legal_max_points) == (16.0, 20, 20)
    assert (groups["1"].points, groups["1"].max_points, groups["1"].legal_max_points) == (0, 6, 18)


def test_the_time_to_a_result_is_counted_in_the_provinces_working_days(october):
    # Ten office hours a day: 800 minutes a result is 1.33 working days, not the 1.67 of eight hours.
    ProvinceCalendarSettingsFactory(office_hours="07:00-12:00,13:00-18:00")
    found = _by_code(index766([october.department.pk], OCTOBER, today=dt.date(2026, 12, 1)))
    assert found["2.2"].value == 1.33


def test_indicators_during_the_period_judge_open_dossiers_today(october):
    # T' = 15/10: the dossier due 20/10 is not late yet → on time 9 of 10 → 18 points; 5.4 late only the
    # settled one: (10 − 1 − 1) ÷ 10 = 80 % → 6 × 0.8 ÷ 0.9 = 5.33.
    found = _by_code(index766([october.department.pk], OCTOBER, today=dt.date(2026, 10, 15)))
    assert (found["2.1"].numerator, found["2.1"].points) == (9, 18.0)
    assert (found["5.4"].numerator, found["5.4"].points) == (8, 5.33)


def test_outside_data_indicators_are_listed_with_a_note_and_never_scored(october):
    index = index766([october.department.pk], OCTOBER, today=dt.date(2026, 12, 1))
    outside = [i for g in index.groups for i in g.indicators if i.source == "outside"]
    assert {i.code for i in outside} == {
        "1.1",
        "1.2",
        "1.3",
        "3.1",
        "3.5",
        "4.3",
        "4.4",
        "4.5a",
        "4.5b",
        "4.6",
        "5.2",
        "5.3",
    }
    for indicator in outside:
        assert indicator.points is None and indicator.numerator is None and indicator.note
        assert indicator.max_points > 0 and indicator.formula
    # Every group's legal maximum is its indicators' maxima, and the six add up to 100.
    for group in index.groups:
        assert group.legal_max_points == sum(i.max_points for i in group.indicators)


def test_units_outside_the_given_agencies_do_not_count(october):
    found = _by_code(index766([october.other_commune.pk], OCTOBER, today=dt.date(2026, 12, 1)))
    assert (found["2.1"].numerator, found["2.1"].denominator, found["2.1"].points) == (0, 50, 0.0)
    both = _by_code(
        index766([october.department.pk, october.other_commune.pk], OCTOBER, today=dt.date(2026, 12, 1))
    )
    assert both["2.1"].denominator == 60


def test_a_unit_without_dossiers_scores_zero_and_says_why(world):
    with translation.override("en"):
        index = index766([world.department.pk], OCTOBER, today=dt.date(2026, 12, 1))
    found = _by_code(index)
    assert (found["2.1"].rate, found["2.1"].points) == (None, 0.0)
    assert found["2.1"].note == "Denominator 0 → 0 points."
    assert (index.points, index.scaled, index.band) == (0.0, 0.0, "weak")


def test_bands_follow_the_configured_thresholds():
    assert [band_of(s) for s in (100, 90, 89.99, 80, 79.99, 70, 69.99, 50, 49.99, 0)] == [
        "excellent",
        "excellent",
        "good",
        "good",
        "fair",
        "fair",
        "average",
        "average",
        "weak",
        "weak",
    ]
    assert config().bands[0] == ("excellent", 90.0)


def test_periods_are_calendar_years_quarters_or_months_whatever_the_report_cutoff(settings):
    settings.MOTCUA_REPORT_CUTOFF_DAY = 14
    assert parse_period("2026") == Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert parse_period("2026-q3") == Period(dt.date(2026, 7, 1), dt.date(2026, 9, 30))
    assert parse_period("2026-02") == Period(dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    for bad in ("", "2026-13", "2026-Q5", "26-10", "2026-1", "0001", "2026-10-01"):
        with pytest.raises(InvalidInput) as raised:
            parse_period(bad)
        assert raised.value.errors[0].field == "period"
