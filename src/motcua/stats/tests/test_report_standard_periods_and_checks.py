"""The report service beyond its numbers: standard periods with the cut-off day, the form's identity checked
on every line, the columns of the form, and the order of its rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from motcua.core.errors import InvalidInput, PermissionDenied
from motcua.stats import reporting
from motcua.stats.periods import Period
from motcua.stats.report import Counts, Report
from motcua.stats.reporting import (
    COLUMN_COUNT,
    HEADER_ROWS,
    VALUE_COLUMNS,
    UnbalancedReport,
    column_values,
    periodic_report,
    standard_period,
    vietnamese_number,
)
from motcua.stats.tests.indicators_walk import user
from motcua.stats.tests.report_dataset import MARCH, build_province


def period(first: str, last: str) -> Period:
    return Period(dt.date.fromisoformat(first), dt.date.fromisoformat(last))


@pytest.mark.parametrize(
    ("preset", "expected"),
    [
        ("this_month", period("2026-03-01", "2026-03-10")),
        ("last_month", period("2026-02-01", "2026-02-28")),
        ("this_quarter", period("2026-01-01", "2026-03-10")),
        ("last_quarter", period("2025-10-01", "2025-12-31")),
        ("this_half", period("2026-01-01", "2026-03-10")),
        ("last_half", period("2025-07-01", "2025-12-31")),
        ("this_year", period("2026-01-01", "2026-03-10")),
        ("last_year", period("2025-01-01", "2025-12-31")),
    ],
)
def test_calendar_periods_end_today_while_they_run(preset, expected):
    assert standard_period(preset, dt.date(2026, 3, 10), cutoff=0) == expected


@pytest.mark.parametrize(
    ("preset", "today", "expected"),
    [
        # Past the 14th, the reporting month of April has begun.
        ("this_month", "2026-03-20", period("2026-03-15", "2026-03-20")),
        ("last_month", "2026-03-20", period("2026-02-15", "2026-03-14")),
        ("last_month", "2026-03-14", period("2026-01-15", "2026-02-14")),
        ("last_quarter", "2026-03-20", period("2025-12-15", "2026-03-14")),
        ("this_half", "2026-06-15", period("2026-06-15", "2026-06-15")),
        ("last_half", "2026-06-15", period("2025-12-15", "2026-06-14")),
        ("this_year", "2026-12-20", period("2026-12-15", "2026-12-20")),
        ("last_year", "2026-01-05", period("2024-12-15", "2025-12-14")),
    ],
)
def test_reporting_periods_run_from_the_day_after_the_cutoff(preset, today, expected):
    assert standard_period(preset, dt.date.fromisoformat(today), cutoff=14) == expected


def test_the_configured_cutoff_is_the_default(settings):
    settings.MOTCUA_REPORT_CUTOFF_DAY = 14
    assert standard_period("last_month", dt.date(2026, 3, 20)) == period("2026-02-15", "2026-03-14")


def test_the_columns_follow_the_form():
    # On every heading row the cells placed there or reaching down from above cover each value column once.
    for row in range(len(HEADER_ROWS)):
        covering = [c for i, cells in enumerate(HEADER_ROWS[: row + 1]) for c in cells if i + c.rowspan > row]
        assert sum(c.colspan for c in covering) == len(VALUE_COLUMNS), row
    assert COLUMN_COUNT == 14
    counts = Counts(3, 4, 5, 1, 2, 3, 4, 2)
    assert dict(zip(VALUE_COLUMNS, column_values(counts), strict=True)) == {
        "to_handle": 12,  # carried over + received: the form's first total
        "received_online": 4,
        "received_direct": 5,
        "carried_over": 3,
        "resolved_total": 6,
        "resolved_early": 1,
        "resolved_on_time": 2,
        "resolved_late": 3,
        "pending_total": 6,
        "pending_within": 4,
        "pending_overdue": 2,
        "on_time_rate": 50.0,
    }


def test_vietnamese_numbers_group_thousands_with_dots_and_decimals_with_a_comma():
    assert [vietnamese_number(v) for v in (0, 1234567, 66.7, 80.0, 12.5, None)] == [
        "0",
        "1.234.567",
        "66,7",
        "80",
        "12,5",
        "",
    ]


def test_an_unbalanced_line_stops_the_report(world, monkeypatch):
    # The rollups guarantee the identity; a line that breaks it means they are corrupt, and no form is made.
    broken = Counts(carried_over=1, received_online=2, resolved_early=1)
    fake = Report(Period(*MARCH), "field", {world.version.field_id: broken}, broken)
    monkeypatch.setattr(reporting, "handling_report", lambda *args: fake)
    with pytest.raises(UnbalancedReport, match="HT"):
        periodic_report(user("city_leader"), None, *MARCH)


def test_the_report_names_its_unit_period_and_lines(world):
    province = build_province(world)
    report = periodic_report(user("leader"), province.world.department.identity_code, *MARCH, by="unit")
    assert report.unit == province.world.department
    assert report.unit_name == "Sở Tư pháp" and report.form_number == "06a/VPCP/KSTT"
    assert report.period == Period(*MARCH)
    assert [(line.key, line.name) for line in report.lines] == [("000.00.21.H26", "Sở Tư pháp")]
    assert report.lines[0].values == column_values(report.total)


def test_all_problems_of_a_request_are_reported_at_once(world):
    with pytest.raises(InvalidInput) as caught:
        # As a caller that does not check its types would ask.
        by: Any = "procedure"
        periodic_report(user("leader"), "nowhere", dt.date(2026, 3, 31), dt.date(2026, 3, 1), by)
    assert [(p.field, p.code) for p in caught.value.errors] == [
        ("unit", "unknown"),
        ("to", "before_start"),
        ("by", "invalid"),
    ]


def test_someone_without_a_role_has_no_report(world):
    with pytest.raises(PermissionDenied):
        periodic_report(user("citizen"), None, *MARCH)
    with pytest.raises(PermissionDenied):
        periodic_report(user("citizen"), world.city.identity_code, *MARCH)
