"""How a dossier and its current step stand against the legal clock, in working time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from motcua.dossiers.lifecycle import clock_running, is_finished, is_open
from motcua.dossiers.models import Dossier, DossierStep
from motcua.dossiers.punctuality import day_of, dossier_outcome, overdue_on, past_due_moment
from motcua.worktime.calendar import WorkingCalendar, describe_remaining, format_working_duration
from motcua.worktime.services import calendar_for


@dataclass(frozen=True)
class Timing:
    elapsed: str | None  # working time used so far ("1 ngày 2 giờ")
    remaining: str | None  # while the clock runs: "còn 2 ngày 3 giờ" or "quá hạn 1 ngày 2 giờ"
    overdue: bool  # over the deadline by its due day (dossiers.punctuality)
    punctuality: str | None  # once finished: early, on_time or late (dossiers.punctuality)


def _measure(
    calendar: WorkingCalendar,
    start: dt.datetime | None,
    end: dt.datetime,
    due: dt.datetime | None,
    language: str,
) -> tuple[str | None, str | None, bool]:
    per_day = calendar.office_hours.minutes_per_day
    elapsed = None
    if start is not None:
        elapsed = format_working_duration(
            max(0, calendar.working_minutes_between(start, end)), per_day, language
        )
    if due is None:
        return elapsed, None, False
    left = calendar.working_minutes_between(end, due)
    overdue = overdue_on(due, day_of(end))
    remaining = describe_remaining(
        left, per_day, language, past_due=past_due_moment(due, end), overdue=overdue
    )
    return elapsed, remaining, overdue


def dossier_timing(dossier: Dossier, now: dt.datetime, language: str) -> Timing:
    calendar = calendar_for()
    if is_finished(dossier.status) and dossier.finished_at is not None:
        elapsed, _, _ = _measure(calendar, dossier.counting_from, dossier.finished_at, None, language)
        return Timing(
            elapsed, None, False, dossier_outcome(dossier.status, dossier.finished_at, dossier.due_at)
        )
    if not is_open(dossier.status):
        return Timing(None, None, False, None)
    elapsed, remaining, overdue = _measure(calendar, dossier.counting_from, now, dossier.due_at, language)
    # Waiting for the applicant's supplement is within the deadline however long it takes (DOMAIN.md §4.4).
    return Timing(elapsed, remaining, overdue and clock_running(dossier.status), None)


def step_timing(step: DossierStep, now: dt.datetime, language: str) -> Timing:
    if step.finished_at is not None:
        elapsed, _, _ = _measure(calendar_for(), step.started_at, step.finished_at, None, language)
        return Timing(elapsed, None, False, None)
    elapsed, remaining, overdue = _measure(calendar_for(), step.started_at, now, step.due_at, language)
    return Timing(elapsed, remaining, overdue, None)


def remaining_timing(dossier: Dossier, now: dt.datetime, language: str) -> Timing:
    """dossier_timing without the working time used of an open dossier: lists show only what is left, and for
    an old dossier the time used is the longer count."""
    if not is_open(dossier.status):
        return dossier_timing(dossier, now, language)
    _, remaining, overdue = _measure(calendar_for(), None, now, dossier.due_at, language)
    return Timing(None, remaining, overdue and clock_running(dossier.status), None)


def step_remaining_timing(step: DossierStep, now: dt.datetime, language: str) -> Timing:
    """step_timing without the working time used of an unfinished step, for the same reason."""
    if step.finished_at is not None:
        return step_timing(step, now, language)
    _, remaining, overdue = _measure(calendar_for(), None, now, step.due_at, language)
    return Timing(None, remaining, overdue, None)
