"""The legal clock applied to a dossier: its deadline at receipt and after a supplement, and its steps'
budgets."""

from __future__ import annotations

import datetime as dt

from motcua.catalog.models import Case, ProgrammeEntry
from motcua.dossiers.lifecycle import Channel
from motcua.dossiers.models import Dossier, DossierStep
from motcua.worktime.calendar import Deadline
from motcua.worktime.constants import DurationUnit
from motcua.worktime.services import calendar_for


def _programme_time(case: Case, received_on: dt.date) -> tuple[int, str] | None:
    """The shorter time of a themed service day (DOMAIN.md §11.2), when one applies on this date."""
    entry = (
        ProgrammeEntry.objects.filter(
            procedure_id=case.version.procedure_id,
            programme__is_active=True,
            programme__valid_from__lte=received_on,
        )
        .select_related("programme")
        .order_by("time_value")
    )
    for candidate in entry:
        programme = candidate.programme
        if received_on.isoweekday() in programme.weekdays and (
            programme.valid_to is None or programme.valid_to >= received_on
        ):
            return candidate.time_value, candidate.time_unit
    return None


def processing_time(case: Case, channel: str, received_on: dt.date) -> tuple[int, str]:
    """Value and unit of the time the law allows this dossier."""
    if (programme := _programme_time(case, received_on)) is not None:
        return programme
    if channel == Channel.ONLINE and case.online_time_value is not None:
        return case.online_time_value, case.online_time_unit
    return case.time_value, case.time_unit


def start_clock(dossier: Dossier, at: dt.datetime) -> Deadline:
    """Set the dossier's counting start and due date as for a receipt at `at`."""
    calendar = calendar_for()
    value, unit = processing_time(dossier.case, dossier.channel, calendar.next_working_moment(at).date())
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
