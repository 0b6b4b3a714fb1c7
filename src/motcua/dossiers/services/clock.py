"""The legal clock applied to a dossier: its deadline at receipt and after a supplement, and its steps'
budgets."""

from __future__ import annotations

import datetime as dt

from motcua.catalog.models import Case
from motcua.catalog.selectors import programme_times
from motcua.dossiers.lifecycle import Channel
from motcua.dossiers.models import Dossier, DossierStep
from motcua.worktime.calendar import Deadline
from motcua.worktime.constants import DurationUnit
from motcua.worktime.services import calendar_for


def processing_time(case: Case, procedure_id: int, channel: str, received_on: dt.date) -> tuple[int, str]:
    """Value and unit of the time the law allows this dossier: a themed service day's shorter time when one
    applies on the day of receipt (DOMAIN.md §11.2), else the online time for online dossiers, else the
    case's own."""
    for programme in programme_times(procedure_id):
        if programme.applies_on(received_on):
            return programme.value, programme.unit
    if channel == Channel.ONLINE and case.online_time_value is not None:
        return case.online_time_value, case.online_time_unit
    return case.time_value, case.time_unit


def start_clock(dossier: Dossier, at: dt.datetime) -> Deadline:
    """Set the dossier's counting start and due date as for a receipt at `at`."""
    calendar = calendar_for()
    received_on = calendar.next_working_moment(at).date()
    value, unit = processing_time(
        dossier.case, dossier.procedure_version.procedure_id, dossier.channel, received_on
    )
    cutoff = dossier.case.same_day_cutoff if unit == DurationUnit.WORKING_DAYS else None
    deadline = calendar.deadline(at, value, unit, cutoff)
    dossier.counting_from, dossier.due_at = deadline.counting_from, deadline.due
    return deadline


def extend_by_pause(dossier: Dossier, paused_from: dt.datetime, resumed_at: dt.datetime) -> None:
    """The pause policy: the due date moves by the working time spent waiting for the applicant."""
    if dossier.due_at is None:
        return
    calendar = calendar_for()
    paused = max(0, calendar.working_minutes_between(paused_from, resumed_at))
    dossier.due_at = calendar.add_working_minutes(dossier.due_at, paused)


def start_step_clock(step: DossierStep, at: dt.datetime) -> None:
    step.started_at = at
    step.due_at = (
        calendar_for().add_working_minutes(at, step.budget_minutes)
        if step.budget_minutes is not None
        else None
    )
