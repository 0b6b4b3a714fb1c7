"""The public dashboard and the leader's live dashboard, read from the rollups only (ADR 0008).

Neither dashboard reads the dossier table: flows come from the month and day rows of `UnitFieldTally`
(`ProcedureTally` and `StepMonthTally` for the slowest procedures and steps), the stock of open dossiers from
`OpenTally` and `WorkloadTally`. Nothing here names a person or a dossier, so the public figures may be shown
to anyone.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from motcua.catalog.models import ProcedureVersion
from motcua.core.errors import InvalidInput, PermissionDenied
from motcua.dossiers.punctuality import due_soon_until
from motcua.org.selectors import agency_by_code, agency_by_id, scope_agency_ids, subtree_ids
from motcua.stats.counters import Counters, rate
from motcua.stats.index766 import index766
from motcua.stats.models import (
    Grain,
    OpenTally,
    ProcedureTally,
    StepMonthTally,
    UnitFieldTally,
    WorkloadTally,
)
from motcua.stats.periods import ONE_DAY, Bucket, Period, before, cover
from motcua.stats.report import in_buckets
from motcua.worktime.calendar import to_local
from motcua.worktime.services import calendar_for

# The trend shows this many whole months before the current one.
TREND_MONTHS = 12
RECENT_DAYS = 30
# The slowest procedures are judged on the dossiers received over this many days, the ten slowest shown.
SLOW_WINDOW_DAYS = 90
SLOWEST_SHOWN = 10

RECEIVED = ("received_counter", "received_online", "received_post")
RESOLVED = ("resolved_early", "resolved_on_time", "resolved_late")
RATED = ("rated_very_satisfied", "rated_satisfied", "rated_dissatisfied")


# --- the public dashboard -----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Flows(Counters):
    """Dossiers received (by day of receipt), resolved (by day of their end) and rated (by day of receipt of
    the rated dossier) over some days."""

    received_counter: int = 0
    received_online: int = 0
    received_post: int = 0
    resolved_early: int = 0
    resolved_on_time: int = 0
    resolved_late: int = 0
    rated_very_satisfied: int = 0
    rated_satisfied: int = 0
    rated_dissatisfied: int = 0

    DERIVED = (
        "received_total",
        "resolved_total",
        "rated_total",
        "on_time_rate",
        "counter_share",
        "online_share",
        "post_share",
        "satisfied_share",
    )

    @property
    def received_total(self) -> int:
        return self.received_counter + self.received_online + self.received_post

    @property
    def resolved_total(self) -> int:
        return self.resolved_early + self.resolved_on_time + self.resolved_late

    @property
    def rated_total(self) -> int:
        return self.rated_very_satisfied + self.rated_satisfied + self.rated_dissatisfied

    @property
    def on_time_rate(self) -> float | None:
        """Percentage of the resolved dossiers resolved early or on time (Biểu 06's reading)."""
        return rate(self.resolved_early + self.resolved_on_time, self.resolved_total)

    @property
    def counter_share(self) -> float | None:
        return rate(self.received_counter, self.received_total)

    @property
    def online_share(self) -> float | None:
        return rate(self.received_online, self.received_total)

    @property
    def post_share(self) -> float | None:
        return rate(self.received_post, self.received_total)

    @property
    def satisfied_share(self) -> float | None:
        """Percentage of the ratings that say very satisfied or satisfied."""
        return rate(self.rated_very_satisfied + self.rated_satisfied, self.rated_total)


@dataclasses.dataclass(frozen=True)
class MonthFlows:
    month: dt.date  # its first day
    flows: Flows
    complete: bool  # False for the current month, counted up to today


@dataclasses.dataclass(frozen=True)
class Headline:
    period: Period
    flows: Flows


@dataclasses.dataclass(frozen=True)
class GroupScore:
    code: str
    name: str
    points: float
    max_points: float


@dataclasses.dataclass(frozen=True)
class Score766:
    """The Decision 766 total over the year to date, as the public dashboard shows it."""

    period: Period
    points: float
    max_points: float
    scaled: float
    band: str
    band_label: str
    groups: list[GroupScore]


@dataclasses.dataclass(frozen=True)
class PublicDashboard:
    today: dt.date
    months: list[MonthFlows]  # oldest first, the current month last
    year_to_date: Headline
    last_30_days: Headline
    pending_within: int  # open now within the deadline, or waiting for the applicant's supplement
    pending_overdue: int
    score_766: Score766

    @property
    def pending_total(self) -> int:
        return self.pending_within + self.pending_overdue

    @property
    def trend_total(self) -> Flows:
        """The flows of every month the trend shows."""
        return sum((m.flows for m in self.months), Flows())

    def as_json(self) -> dict[str, Any]:
        """The figures the charts draw, as plain JSON values."""

        def headline(item: Headline) -> dict[str, Any]:
            return {"from": item.period.first.isoformat(), "to": item.period.last.isoformat()} | (
                item.flows.as_dict()
            )

        return {
            "today": self.today.isoformat(),
            "months": [
                {"month": m.month.isoformat(), "complete": m.complete, **m.flows.as_dict()}
                for m in self.months
            ],
            "trend_total": self.trend_total.as_dict(),
            "year_to_date": headline(self.year_to_date),
            "last_30_days": headline(self.last_30_days),
            "pending": {
                "within": self.pending_within,
                "overdue": self.pending_overdue,
                "total": self.pending_total,
            },
            "score_766": {
                "from": self.score_766.period.first.isoformat(),
                "to": self.score_766.period.last.isoformat(),
                "points": self.score_766.points,
                "max_points": self.score_766.max_points,
                "scaled": self.score_766.scaled,
                "band": self.score_766.band,
                "band_label": self.score_766.band_label,
                "groups": [dataclasses.asdict(group) for group in self.score_766.groups],
            },
        }


def _add_months(first_of_month: dt.date, months: int) -> dt.date:
    index = first_of_month.year * 12 + first_of_month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def trend_buckets(today: dt.date) -> list[Bucket]:
    """The whole months of the trend as month rows, and the current month up to today as `cover` reads it.

    `cover` alone would read a whole calendar year as one year row, which cannot be split into months."""
    current = today.replace(day=1)
    whole_months = Bucket(Grain.MONTH, _add_months(current, -TREND_MONTHS), _add_months(current, -1))
    return [whole_months, *cover(current, today)]


def _flows_by_month(agency_ids: list[int], buckets: list[Bucket]) -> dict[dt.date, Flows]:
    """Received, resolved and ratings per month, from the agency-and-field rollup."""
    sums: dict[dt.date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    columns = RECEIVED + RESOLVED + RATED
    rows = (
        UnitFieldTally.objects.filter(in_buckets(buckets), agency_id__in=agency_ids)
        .values("grain", "period")
        .annotate(**{column: Sum(column) for column in columns})
        .order_by()
    )
    for row in rows:
        month = sums[row["period"].replace(day=1)]
        for column in columns:
            month[column] += row[column] or 0
    return {month: Flows(**columns) for month, columns in sums.items()}


def _flows(agency_ids: list[int], buckets: list[Bucket]) -> Flows:
    return sum(_flows_by_month(agency_ids, buckets).values(), Flows())


def _pending_now(agency_ids: list[int], today: dt.date) -> tuple[int, int]:
    """(within the deadline, overdue) today: the stock is the sum of its changes up to and including today;
    later days may hold changes already known (a dossier due tomorrow is overdue the day after)."""
    stock = UnitFieldTally.objects.filter(
        in_buckets(before(today + ONE_DAY)), agency_id__in=agency_ids
    ).aggregate(open=Sum("open_delta"), overdue=Sum("overdue_delta"))
    pending, overdue = stock["open"] or 0, stock["overdue"] or 0
    return pending - overdue, overdue


def _score_766(agency_ids: list[int], period: Period, today: dt.date) -> Score766:
    index = index766(agency_ids, period, today)
    return Score766(
        period=period,
        points=index.points,
        max_points=index.max_points,
        scaled=index.scaled,
        band=index.band,
        band_label=str(index.band_label),
        # A group scored only from data outside the platform (publication on the national database) has no
        # points to show here.
        groups=[
            GroupScore(g.code, str(g.name), g.points, g.max_points) for g in index.groups if g.max_points
        ],
    )


def public_dashboard(agency_ids: Iterable[int], today: dt.date) -> PublicDashboard:
    """What the public sees for the dossiers whose competent agency is in `agency_ids`: the last twelve whole
    months and the current one, the year to date and the last 30 days, what is pending today and the
    Decision 766 score of the year to date."""
    ids = sorted(agency_ids)
    by_month = _flows_by_month(ids, trend_buckets(today))
    current = today.replace(day=1)
    months = [
        MonthFlows(month, by_month.get(month, Flows()), complete=month != current)
        for month in (_add_months(current, -offset) for offset in range(TREND_MONTHS, -1, -1))
    ]
    year = Period(today.replace(month=1, day=1), today)
    recent = Period(today - dt.timedelta(days=RECENT_DAYS - 1), today)
    within, overdue = _pending_now(ids, today)
    return PublicDashboard(
        today=today,
        months=months,
        # The trend's months include every month of this year so far: no second reading is needed.
        year_to_date=Headline(year, sum((m.flows for m in months if m.month >= year.first), Flows())),
        last_30_days=Headline(recent, _flows(ids, cover(recent.first, recent.last))),
        pending_within=within,
        pending_overdue=overdue,
        score_766=_score_766(ids, year, today),
    )


# --- the leader's dashboard ---------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class UnitLabel:
    code: str
    name: str

    @classmethod
    def of(cls, agency_id: int) -> UnitLabel:
        agency = agency_by_id(agency_id)
        return cls(agency.identity_code, agency.name)


@dataclasses.dataclass(frozen=True)
class WorkloadRow:
    """Open dossiers at a unit's workflow step now: being worked on, or waiting for the applicant."""

    unit: UnitLabel
    step: str
    in_progress: int
    waiting: int

    @property
    def total(self) -> int:
        return self.in_progress + self.waiting


@dataclasses.dataclass(frozen=True)
class DeadlineRow:
    """Dossiers of a competent agency and procedure with the clock running: due soon, and overdue."""

    unit: UnitLabel
    procedure_code: str
    procedure: str
    due_soon: int
    overdue: int


@dataclasses.dataclass(frozen=True)
class SlowProcedure:
    procedure_code: str
    procedure: str
    completed: int
    average_days: float  # working days (of the calendar's office hours) from receipt to the result


@dataclasses.dataclass(frozen=True)
class SlowStep:
    unit: UnitLabel
    step: str
    finished: int
    late: int
    average_hours: float  # working hours from the step's start to its end


@dataclasses.dataclass(frozen=True)
class LeaderDashboard:
    generated_at: dt.datetime  # local time
    today: dt.date
    due_soon_days: int
    due_soon_until: dt.date  # the last day counted as due soon
    slow_since: dt.date  # the slowest procedures are judged on dossiers received from this day
    workload: list[WorkloadRow]  # most open dossiers first
    deadlines: list[DeadlineRow]  # most overdue first
    slowest: list[SlowProcedure]  # slowest first
    slowest_steps: list[SlowStep]  # slowest first, over the steps finished since the first of last month

    @property
    def in_progress(self) -> int:
        return sum(row.in_progress for row in self.workload)

    @property
    def waiting(self) -> int:
        return sum(row.waiting for row in self.workload)

    @property
    def due_soon(self) -> int:
        return sum(row.due_soon for row in self.deadlines)

    @property
    def overdue(self) -> int:
        return sum(row.overdue for row in self.deadlines)

    def workload_by_unit(self) -> list[WorkloadRow]:
        """The workload summed over each unit's steps, most open dossiers first."""
        units: dict[UnitLabel, list[int]] = defaultdict(lambda: [0, 0])
        for row in self.workload:
            units[row.unit][0] += row.in_progress
            units[row.unit][1] += row.waiting
        rows = [WorkloadRow(unit, "", in_progress, waiting) for unit, (in_progress, waiting) in units.items()]
        return sorted(rows, key=lambda row: (-row.total, row.unit.name))

    def as_json(self) -> dict[str, Any]:
        def workload(row: WorkloadRow) -> dict[str, Any]:
            return {
                "unit": row.unit.code,
                "unit_name": row.unit.name,
                # An open dossier without a step has not left the unit that received it.
                "step": row.step or _("Received, not yet forwarded"),
                "in_progress": row.in_progress,
                "waiting": row.waiting,
                "total": row.total,
            }

        return {
            "generated_at": self.generated_at.isoformat(),
            "today": self.today.isoformat(),
            "due_soon_days": self.due_soon_days,
            "due_soon_until": self.due_soon_until.isoformat(),
            "slow_since": self.slow_since.isoformat(),
            "totals": {
                "in_progress": self.in_progress,
                "waiting": self.waiting,
                "due_soon": self.due_soon,
                "overdue": self.overdue,
            },
            "workload": [workload(row) for row in self.workload],
            "workload_by_unit": [workload(row) for row in self.workload_by_unit()],
            "deadlines": [
                {
                    "unit": row.unit.code,
                    "unit_name": row.unit.name,
                    "procedure": row.procedure_code,
                    "procedure_name": row.procedure,
                    "due_soon": row.due_soon,
                    "overdue": row.overdue,
                }
                for row in self.deadlines
            ],
            "slowest": [
                {
                    "procedure": row.procedure_code,
                    "procedure_name": row.procedure,
                    "completed": row.completed,
                    "average_days": row.average_days,
                }
                for row in self.slowest
            ],
            "slowest_steps": [
                {
                    "unit": row.unit.code,
                    "unit_name": row.unit.name,
                    "step": row.step,
                    "finished": row.finished,
                    "late": row.late,
                    "average_hours": row.average_hours,
                }
                for row in self.slowest_steps
            ],
        }


def _procedure_labels(procedure_ids: Collection[int]) -> dict[int, tuple[str, str]]:
    """(local code, name of the latest version) of each procedure."""
    labels: dict[int, tuple[str, str]] = {}
    versions = (
        ProcedureVersion.objects.filter(procedure_id__in=procedure_ids)
        .order_by("procedure_id", "valid_from", "number")
        .values_list("procedure_id", "procedure__local_code", "name")
    )
    for procedure_id, code, name in versions:
        labels[procedure_id] = (code, name)
    return labels


def _workload(units: list[int]) -> list[WorkloadRow]:
    counts: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
    for unit_id, step, waiting, count in WorkloadTally.objects.filter(unit_id__in=units).values_list(
        "unit_id", "step", "waiting", "count"
    ):
        counts[(unit_id, step)][1 if waiting else 0] += count
    rows = [
        WorkloadRow(UnitLabel.of(unit_id), step, in_progress, waiting)
        for (unit_id, step), (in_progress, waiting) in counts.items()
    ]
    return sorted(rows, key=lambda row: (-row.total, row.unit.name, row.step))


def _deadlines(units: list[int], today: dt.date, until: dt.date) -> list[DeadlineRow]:
    """Due soon: due from today to `until`; overdue: the appointment day has passed (DOMAIN.md §10's day
    granularity, as the reports count it)."""
    overdue = Q(due_on__lt=today)
    due_soon = Q(due_on__gte=today, due_on__lte=until)
    rows = (
        OpenTally.objects.filter(overdue | due_soon, agency_id__in=units)
        .values("agency_id", "procedure_id")
        .annotate(due_soon=Sum("count", filter=due_soon), overdue=Sum("count", filter=overdue))
        .order_by()
    )
    found = list(rows)
    labels = _procedure_labels({row["procedure_id"] for row in found})
    deadlines = [
        DeadlineRow(
            UnitLabel.of(row["agency_id"]),
            *labels[row["procedure_id"]],
            due_soon=row["due_soon"] or 0,
            overdue=row["overdue"] or 0,
        )
        for row in found
    ]
    return sorted(deadlines, key=lambda row: (-row.overdue, -row.due_soon, row.unit.name, row.procedure_code))


def _slowest(units: list[int], since: dt.date, today: dt.date) -> list[SlowProcedure]:
    """The procedures whose results took longest on average, in working days, over the dossiers received
    since `since` that have their result (indicator 2.2's reading, DOMAIN.md §7.3)."""
    rows = (
        ProcedureTally.objects.filter(in_buckets(cover(since, today)), agency_id__in=units)
        .values("procedure_id")
        .annotate(completed=Sum("completed"), minutes=Sum("completed_minutes"))
        .filter(completed__gt=0)
        .order_by()
    )
    found = list(rows)
    labels = _procedure_labels({row["procedure_id"] for row in found})
    day_minutes = calendar_for().office_hours.minutes_per_day
    slow = [
        SlowProcedure(
            *labels[row["procedure_id"]],
            completed=row["completed"],
            average_days=round(row["minutes"] / row["completed"] / day_minutes, 1),
        )
        for row in found
    ]
    slow.sort(key=lambda row: (-row.average_days, -row.completed, row.procedure_code))
    return slow[:SLOWEST_SHOWN]


def _slowest_steps(units: list[int], today: dt.date) -> list[SlowStep]:
    """The workflow steps of the units that took longest on average, in working hours, over the steps
    finished since the first of last month (`StepMonthTally`)."""
    since = (today.replace(day=1) - ONE_DAY).replace(day=1)
    rows = (
        StepMonthTally.objects.filter(agency_id__in=units, month__gte=since)
        .values("agency_id", "step")
        .annotate(finished=Sum("finished"), late=Sum("late"), minutes=Sum("working_minutes"))
        .filter(finished__gt=0)
        .order_by()
    )
    slow = [
        SlowStep(
            UnitLabel.of(row["agency_id"]),
            row["step"],
            finished=row["finished"],
            late=row["late"],
            average_hours=round(row["minutes"] / row["finished"] / 60, 1),
        )
        for row in rows
    ]
    slow.sort(key=lambda row: (-row.average_hours, -row.finished, row.unit.name, row.step))
    return slow[:SLOWEST_SHOWN]


def unit_id(identity_code: str) -> int:
    """The agency named by its identity code in a request's `unit` parameter."""
    agency = agency_by_code(identity_code)
    if agency is None:
        raise InvalidInput.field(
            "unit", "unknown", _("There is no unit with the identity code %s.") % identity_code
        )
    return agency.pk


def leader_units(user: User | AnonymousUser, unit_ids: Iterable[int] | None) -> list[int]:
    """The agencies a leader's dashboard covers: the chosen units (by default all the user may see) and every
    agency below them. A unit outside the user's scope is refused, never shown empty."""
    allowed = scope_agency_ids(user)
    chosen = allowed if unit_ids is None else frozenset(unit_ids)
    if not chosen <= allowed:
        raise PermissionDenied(_("You may only see the statistics of the units you work for."))
    return sorted(subtree_ids(chosen))


def leader_dashboard(
    user: User | AnonymousUser, unit_ids: Iterable[int] | None, today: dt.date, now: dt.datetime
) -> LeaderDashboard:
    """A leader's view of the work in their units now: workload by step, what is due soon or overdue by
    procedure, and the slowest procedures of the last 90 days."""
    units = leader_units(user, unit_ids)
    # "Due soon" as the inbox's tab says it (dossiers.punctuality), read by due day as the rollups keep it.
    until = due_soon_until(now)
    days = calendar_for().working_days_after(today, until)
    since = today - dt.timedelta(days=SLOW_WINDOW_DAYS - 1)
    return LeaderDashboard(
        generated_at=to_local(now),
        today=today,
        due_soon_days=days,
        due_soon_until=until,
        slow_since=since,
        workload=_workload(units),
        deadlines=_deadlines(units, today, until),
        slowest=_slowest(units, since, today),
        slowest_steps=_slowest_steps(units, today),
    )
