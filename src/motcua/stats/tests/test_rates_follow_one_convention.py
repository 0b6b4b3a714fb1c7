"""Every rate of the statistics (the report's, the dashboards' and the scorecards') follows one convention: a
percentage rounded to one decimal, None when there is nothing to judge, derived again after a sum."""

from __future__ import annotations

from motcua.stats.counters import rate
from motcua.stats.dashboards import Flows
from motcua.stats.report import Counts
from motcua.stats.reporting import vietnamese_number
from motcua.stats.scorecards import COLUMN_LABELS, Scorecard, cells


def test_two_on_time_of_three_read_the_same_in_the_report_the_dashboard_and_the_scorecards():
    report = Counts(resolved_early=1, resolved_on_time=1, resolved_late=1)
    dashboard = Flows(resolved_early=1, resolved_on_time=1, resolved_late=1)
    scorecard = Scorecard(steps_finished=3, steps_on_time=2, steps_late=1)
    assert report.on_time_rate == dashboard.on_time_rate == scorecard.on_time_rate == 66.7
    assert report.as_dict()["on_time_rate"] == dashboard.as_dict()["on_time_rate"] == 66.7
    assert scorecard.as_dict()["on_time_rate"] == 66.7


def test_satisfaction_is_a_percentage_on_the_dashboard_and_the_scorecards():
    dashboard = Flows(rated_very_satisfied=1, rated_satisfied=0, rated_dissatisfied=2)
    scorecard = Scorecard(rated_very_satisfied=1, rated_dissatisfied=2)
    assert dashboard.satisfied_share == scorecard.satisfaction_rate == 33.3


def test_nothing_to_judge_is_no_rate_not_zero():
    assert rate(0, 0) is None
    assert Counts().on_time_rate is None and Flows().on_time_rate is None and Scorecard().on_time_rate is None
    assert rate(0, 4) == 0.0


def test_a_sum_derives_its_rate_from_the_summed_counts_not_from_rounded_rates():
    # 1/3 and 1/3 round to 33.3 each; their sum is 2 of 6, 33.3 again, never 33.3 + 33.3 averaged or added.
    third = Counts(resolved_on_time=1, resolved_late=2)
    assert (third + third).on_time_rate == 33.3
    assert (Scorecard(steps_finished=3, steps_on_time=2) + Scorecard(steps_finished=1)).on_time_rate == 50.0


def test_the_pages_and_the_printed_form_show_the_rate_as_computed():
    card = Scorecard(steps_finished=3, steps_on_time=2, rated_satisfied=1, rated_dissatisfied=2)
    shown = dict(zip((column for column, _label in COLUMN_LABELS), cells(card), strict=True))
    assert (shown["on_time_rate"], shown["satisfaction_rate"]) == (66.7, 33.3)
    assert vietnamese_number(Counts(resolved_early=2, resolved_late=1).on_time_rate) == "66,7"
