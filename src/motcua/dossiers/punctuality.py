"""Punctuality and overdue-ness of a dossier and of a step, decided here and nowhere else (ADR 0009).

Two questions are asked of a deadline, each at its own granularity:

- **Classification** (trước hạn / đúng hạn / quá hạn, trong hạn / quá hạn): by the local calendar day, as the
  national portal and the periodic reports judge (DOMAIN.md §4.4). Finished on the due day is on time
  whatever the hour; an open dossier or step is over its deadline from the day after its due day. The
  statistics, the tracking book, the control slip, the inbox, the dossier pages, the portal and the API all
  classify through the functions of the first part.
- **Warning**: has the appointment moment passed, and by how much office time? To the minute, on the working
  calendar. Only the deadline alerts ask it, so that officers are warned and leaders escalated before the
  day is lost; a warning never decides a class.

A dossier waiting for the applicant's supplement is never over its deadline (its clock is stopped), and a
withdrawn one counts as resolved on time whatever its dates (DOMAIN.md §4.4, §10).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Case, Q, Value, When
from django.db.models.functions import TruncDate
from django.db.models.lookups import Exact, LessThan

from motcua.dossiers.lifecycle import ON_TIME_BY_RULE, clock_running, is_finished
from motcua.dossiers.models import DossierStep
from motcua.worktime.calendar import LOCAL_TZ, WorkingCalendar, start_of_day, to_local
from motcua.worktime.constants import Punctuality
from motcua.worktime.services import calendar_for

# --- classification: by local calendar day -----------------------------------------------------------------


def day_of(moment: dt.datetime) -> dt.date:
    """The local date a moment falls on: the unit every classification compares."""
    return to_local(moment).date()


def finished_punctuality(finished_at: dt.datetime, due_at: dt.datetime | None) -> Punctuality:
    """Early, on time or late, by the end day against the due day; without a due date, on time."""
    if due_at is None:
        return Punctuality.ON_TIME
    finished_on, due_on = day_of(finished_at), day_of(due_at)
    if finished_on < due_on:
        return Punctuality.EARLY
    if finished_on == due_on:
        return Punctuality.ON_TIME
    return Punctuality.LATE


def dossier_outcome(
    status: str, finished_at: dt.datetime | None, due_at: dt.datetime | None
) -> Punctuality | None:
    """The class of a finished dossier (a withdrawn one is on time by rule); None while it is not finished."""
    if not is_finished(status) or finished_at is None:
        return None
    if status in ON_TIME_BY_RULE:
        return Punctuality.ON_TIME
    return finished_punctuality(finished_at, due_at)


def step_outcome(step: DossierStep) -> Punctuality | None:
    """The class of a finished step against its own due moment; None while the step is open."""
    if step.finished_at is None:
        return None
    return finished_punctuality(step.finished_at, step.due_at)


def finished_punctuality_sql(finished: str = "finished_at", due: str = "due_at") -> Case:
    """`finished_punctuality` as a query expression over two datetime columns, for counts in one query."""
    finished_on, due_on = TruncDate(finished, tzinfo=LOCAL_TZ), TruncDate(due, tzinfo=LOCAL_TZ)
    return Case(
        When(Q(**{f"{due}__isnull": True}), then=Value(Punctuality.ON_TIME)),
        When(LessThan(finished_on, due_on), then=Value(Punctuality.EARLY)),
        When(Exact(finished_on, due_on), then=Value(Punctuality.ON_TIME)),
        default=Value(Punctuality.LATE),
    )


def dossier_outcome_sql() -> Case:
    """`dossier_outcome` of a finished dossier as a query expression on the dossier's columns."""
    return Case(
        When(status__in=ON_TIME_BY_RULE, then=Value(Punctuality.ON_TIME)),
        default=finished_punctuality_sql(),
    )


def overdue_on(due_at: dt.datetime | None, day: dt.date) -> bool:
    """Whether something still open on `day` (the end of a period, or today) is over its deadline."""
    return due_at is not None and day_of(due_at) < day


def overdue_on_filter(day: dt.date, prefix: str = "") -> Q:
    """`overdue_on(due_at, day)` as a query on the `due_at` column (reached through `prefix`)."""
    return Q(**{f"{prefix}due_at__lt": start_of_day(day)})


def dossier_overdue(status: str, due_at: dt.datetime | None, now: dt.datetime) -> bool:
    """An open dossier with its clock running whose due day is over by `now`."""
    return clock_running(status) and overdue_on(due_at, day_of(now))


def step_overdue(step: DossierStep, now: dt.datetime) -> bool:
    return step.finished_at is None and overdue_on(step.due_at, day_of(now))


def overdue_filter(now: dt.datetime, prefix: str = "") -> Q:
    """Over the deadline today, as a query; the caller adds the statuses whose clock runs."""
    return overdue_on_filter(day_of(now), prefix)


def due_soon_cutoff(now: dt.datetime) -> dt.datetime:
    """The moment MOTCUA_DUE_SOON_WORKING_HOURS of office time after `now` ("sắp hết hạn", DOMAIN.md §4.4)."""
    return calendar_for().add_working_minutes(now, settings.MOTCUA_DUE_SOON_WORKING_HOURS * 60)


def due_soon_until(now: dt.datetime) -> dt.date:
    """The last day with dossiers due soon, for readings kept by due day (the leader's dashboard)."""
    return day_of(due_soon_cutoff(now))


def due_soon_filter(now: dt.datetime, cutoff: dt.datetime, prefix: str = "") -> Q:
    """Due by `cutoff` and not yet over its deadline: due today counts as due soon however late the hour."""
    return Q(**{f"{prefix}due_at__gte": start_of_day(day_of(now)), f"{prefix}due_at__lte": cutoff})


def is_due_soon(status: str, due_at: dt.datetime | None, now: dt.datetime, cutoff: dt.datetime) -> bool:
    """`due_soon_filter` for one dossier whose clock runs."""
    return (
        clock_running(status)
        and due_at is not None
        and not overdue_on(due_at, day_of(now))
        and due_by(due_at, cutoff)
    )


# --- warning: to the minute, for the deadline alerts --------------------------------------------------------


def past_due_moment(due_at: dt.datetime, now: dt.datetime) -> bool:
    """The appointment moment has passed, even after hours when no working minute has gone by since."""
    return now > due_at


def past_due_filter(now: dt.datetime, prefix: str = "") -> Q:
    """`past_due_moment` as a query on the `due_at` column (reached through `prefix`)."""
    return Q(**{f"{prefix}due_at__lt": now})


def before_due_moment(due_at: dt.datetime, now: dt.datetime) -> bool:
    """The appointment moment is still ahead: at the very moment it is neither ahead nor passed."""
    return now < due_at


def before_due_filter(now: dt.datetime, prefix: str = "") -> Q:
    """`before_due_moment` as a query on the `due_at` column (reached through `prefix`)."""
    return Q(**{f"{prefix}due_at__gt": now})


def due_by(due_at: dt.datetime, cutoff: dt.datetime) -> bool:
    """The deadline falls at or before `cutoff` (a warning horizon, or a date the user asks about)."""
    return due_at <= cutoff


def due_by_filter(cutoff: dt.datetime, prefix: str = "") -> Q:
    """`due_by` as a query on the `due_at` column (reached through `prefix`)."""
    return Q(**{f"{prefix}due_at__lte": cutoff})


def working_minutes_past_due(calendar: WorkingCalendar, due_at: dt.datetime, now: dt.datetime) -> int:
    """Office time gone by since the due moment, 0 before it: what escalation ladders are measured in."""
    return max(0, calendar.working_minutes_between(due_at, now))
