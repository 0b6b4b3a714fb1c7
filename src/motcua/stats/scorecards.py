"""Monthly scorecards of officers and units: steps handled and their punctuality, overdue steps, apologies,
supplement requests and the ratings of the results they issued.

`OfficerMonthTally` is kept in each event's transaction (receivers_officers.py), like the other rollups
(ADR 0008): a step counts when it is finished, by the officer who finished it, for the unit that held it, in
the month it was finished. Lateness is judged by the day, as everywhere (dossiers.punctuality): a finished
step that was still open and past its due day at the end of earlier months counts as overdue in those months
then; the steps still open are read at the time of asking (only open steps: a small set, by the unit's step
index).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from motcua.core.spreadsheets import workbook_bytes
from motcua.dossiers.lifecycle import ActionName
from motcua.dossiers.models import DossierEvent, DossierStep, Rating
from motcua.dossiers.punctuality import day_of, finished_punctuality, overdue_on, overdue_on_filter
from motcua.org.selectors import agency_by_id
from motcua.printing.forms import person_name
from motcua.stats.contributions import RATED_COLUMN
from motcua.stats.counters import Counters, rate
from motcua.stats.facts import ENDING_ACTIONS, MOVING_ACTIONS
from motcua.stats.models import OfficerMonthTally, StepMonthTally
from motcua.stats.periods import ONE_DAY, month_end
from motcua.stats.tallies import add_to_row
from motcua.worktime.calendar import start_of_day, to_local
from motcua.worktime.constants import Punctuality
from motcua.worktime.services import calendar_for

# The events that close the step the dossier was at.
CLOSING_ACTIONS = ENDING_ACTIONS | MOVING_ACTIONS
COLUMNS = (
    "steps_finished",
    "steps_on_time",
    "steps_late",
    "overdue_at_month_end",
    "apologies",
    "supplement_requests",
    "rated_very_satisfied",
    "rated_satisfied",
    "rated_dissatisfied",
)
EVENT_COLUMNS: dict[str, str] = {
    ActionName.APOLOGISE: "apologies",
    ActionName.REQUEST_SUPPLEMENT: "supplement_requests",
}
Key = tuple[dt.date, int, int, str]  # (month, officer, agency, column)


def month_of(moment: dt.datetime) -> dt.date:
    return to_local(moment).date().replace(day=1)


def end_of_month(month: dt.date) -> dt.datetime:
    """The first local moment after the month."""
    return start_of_day(month_end(month) + ONE_DAY)


# --- counting ----------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ClosedStep:
    agency: int
    assignee: int | None
    due_at: dt.datetime | None
    finished_at: dt.datetime
    name: str = ""
    started_at: dt.datetime | None = None


StepKey = tuple[dt.date, int, str, str]  # (month, agency, step name, column)


def step_time_contributions(step: ClosedStep) -> Counter[StepKey]:
    """A finished step's working time, for the slowest steps of its unit in the month it was finished."""
    out: Counter[StepKey] = Counter()
    if step.started_at is None:
        return out
    key = (month_of(step.finished_at), step.agency, step.name)
    out[(*key, "finished")] += 1
    out[(*key, "working_minutes")] += max(
        0, calendar_for().working_minutes_between(step.started_at, step.finished_at)
    )
    if _late(step):
        out[(*key, "late")] += 1
    return out


def _late(step: ClosedStep) -> bool:
    return finished_punctuality(step.finished_at, step.due_at) == Punctuality.LATE


def step_contributions(step: ClosedStep, closer: int) -> Counter[Key]:
    """A finished step: handled by `closer` in the month it was finished, on time if finished by its due day
    (no due time: on time); and, for each earlier month at whose end it was open past its due day, overdue for
    the officer it was assigned to (else the one who finished it)."""
    out: Counter[Key] = Counter()
    month = month_of(step.finished_at)
    late = _late(step)
    out[(month, closer, step.agency, "steps_finished")] += 1
    out[(month, closer, step.agency, "steps_late" if late else "steps_on_time")] += 1
    if step.due_at is not None and late:
        holder = step.assignee or closer
        overdue_month = month_of(step.due_at)
        while end_of_month(overdue_month) <= step.finished_at:
            if overdue_on(step.due_at, month_end(overdue_month)):
                out[(overdue_month, holder, step.agency, "overdue_at_month_end")] += 1
            overdue_month = month_end(overdue_month) + ONE_DAY
    return out


def event_contributions(event: DossierEvent, closed: ClosedStep | None) -> Counter[Key]:
    """What an officer's event adds: the step it closed, an apology or a supplement request. The applicant's
    own events (a withdrawal) count for no officer."""
    if event.actor_id is None or event.actor_unit_id is None:
        return Counter()
    if closed is not None:
        return step_contributions(closed, event.actor_id)
    column = EVENT_COLUMNS.get(event.action)
    if column is None:
        return Counter()
    return Counter({(month_of(event.at), event.actor_id, event.actor_unit_id, column): 1})


def rating_contributions(score: str, rated_at: dt.datetime, issuer: DossierEvent | None) -> Counter[Key]:
    """A rating counts for the officer who issued the result, in the unit they issued it for."""
    if issuer is None or issuer.actor_id is None or issuer.actor_unit_id is None:
        return Counter()
    return Counter({(month_of(rated_at), issuer.actor_id, issuer.actor_unit_id, RATED_COLUMN[score]): 1})


def _closed_step(row: DossierStep) -> ClosedStep:
    assert row.finished_at is not None
    return ClosedStep(row.agency_id, row.assignee_id, row.due_at, row.finished_at, row.name, row.started_at)


def apply_tallies(change: Counter[Key]) -> None:
    """Add `change` to the tallies inside the caller's transaction, rows in one global order (no deadlock
    cycles between two events' transactions)."""
    rows: dict[tuple[dt.date, int, int], dict[str, int]] = defaultdict(dict)
    for (month, officer, agency, column), amount in change.items():
        if amount:
            rows[(month, officer, agency)][column] = rows[(month, officer, agency)].get(column, 0) + amount
    with connection.cursor() as cursor:
        for key, columns in sorted(rows.items()):
            add_to_row(cursor, OfficerMonthTally, ("month", "officer_id", "agency_id"), key, columns)


def apply_step_tallies(change: Counter[StepKey]) -> None:
    """Add `change` to the step tallies, inside the caller's transaction, rows in one global order."""
    rows: dict[tuple[dt.date, int, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for (month, agency, step, column), amount in change.items():
        rows[(month, agency, step)][column] += amount
    with connection.cursor() as cursor:
        for key, columns in sorted(rows.items()):
            add_to_row(cursor, StepMonthTally, ("month", "agency_id", "step"), key, columns)


def count_event(event: DossierEvent) -> None:
    closed = None
    if event.action in CLOSING_ACTIONS and event.actor_unit_id is not None:
        # The step this event closed was finished at the event's moment; a step opened by the same event
        # is still open, so the latest one finished then is the one.
        row = (
            DossierStep.objects.filter(dossier_id=event.dossier_id, finished_at=event.at)
            .order_by("-id")
            .first()
        )
        closed = _closed_step(row) if row is not None else None
    apply_tallies(event_contributions(event, closed))
    if closed is not None:
        apply_step_tallies(step_time_contributions(closed))


def _issuer(dossier_id: int) -> DossierEvent | None:
    return (
        DossierEvent.objects.filter(dossier_id=dossier_id, action=ActionName.ISSUE_RESULT)
        .only("actor_id", "actor_unit_id")
        .order_by("-version")
        .first()
    )


def count_rating(rating: Rating) -> None:
    apply_tallies(rating_contributions(rating.score, rating.rated_at, _issuer(rating.dossier_id)))


def recount_all(step_times: Counter[StepKey] | None = None) -> Counter[Key]:
    """Every contribution, from the events, the finished steps and the ratings: `stats.recount.rebuild`. The
    step an event closed is, of the dossier's steps finished at the event's moment, the first not yet taken
    (events of one dossier never share a moment outside frozen-clock tests)."""
    change: Counter[Key] = Counter()
    steps: dict[int, list[DossierStep]] = defaultdict(list)
    finished = DossierStep.objects.filter(finished_at__isnull=False).order_by("dossier_id", "id")
    fields = ("dossier_id", "agency_id", "assignee_id", "due_at", "finished_at", "name", "started_at")
    for step in finished.only(*fields).iterator():
        steps[step.dossier_id].append(step)
    issuers: dict[int, DossierEvent] = {}
    events = DossierEvent.objects.filter(
        Q(action__in=CLOSING_ACTIONS) | Q(action__in=EVENT_COLUMNS)
    ).order_by("dossier_id", "version")
    for event in events.only("dossier_id", "action", "actor_id", "actor_unit_id", "at").iterator():
        closed = None
        if event.action in CLOSING_ACTIONS and event.actor_unit_id is not None:
            candidates = steps.get(event.dossier_id, [])
            row = next((s for s in candidates if s.finished_at == event.at), None)
            if row is not None:
                candidates.remove(row)
                closed = _closed_step(row)
                if step_times is not None:
                    step_times.update(step_time_contributions(closed))
        if event.action == ActionName.ISSUE_RESULT:
            issuers[event.dossier_id] = event
        change.update(event_contributions(event, closed))
    for dossier_id, score, rated_at in Rating.objects.values_list("dossier_id", "score", "rated_at"):
        change.update(rating_contributions(score, rated_at, issuers.get(dossier_id)))
    return change


def rebuild_tallies() -> int:
    """Replace the officers' tallies by a recount, inside the caller's transaction; returns the rows."""
    with transaction.atomic():
        OfficerMonthTally.objects.all().delete()
        StepMonthTally.objects.all().delete()
        rows: dict[tuple[dt.date, int, int], dict[str, int]] = defaultdict(dict)
        step_times: Counter[StepKey] = Counter()
        for (month, officer, agency, column), amount in recount_all(step_times).items():
            rows[(month, officer, agency)][column] = amount
        apply_step_tallies(step_times)
        OfficerMonthTally.objects.bulk_create(
            OfficerMonthTally(month=m, officer_id=o, agency_id=a, **columns)
            for (m, o, a), columns in rows.items()
        )
    return len(rows)


# --- reading -----------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Scorecard(Counters):
    steps_finished: int = 0
    steps_on_time: int = 0
    steps_late: int = 0  # finished in the month after their due time
    open_overdue: int = 0  # open past their due time at the end of the month (or now, for this month)
    apologies: int = 0
    supplement_requests: int = 0
    rated_very_satisfied: int = 0
    rated_satisfied: int = 0
    rated_dissatisfied: int = 0

    DERIVED = ("on_time_rate", "overdue", "ratings", "satisfaction_rate")

    @property
    def on_time_rate(self) -> float | None:
        """Percentage of the steps finished in the month that were finished by their due time; None if
        none was."""
        return rate(self.steps_on_time, self.steps_finished)

    @property
    def overdue(self) -> int:
        return self.steps_late + self.open_overdue

    @property
    def ratings(self) -> int:
        return self.rated_very_satisfied + self.rated_satisfied + self.rated_dissatisfied

    @property
    def satisfaction_rate(self) -> float | None:
        """Percentage of the ratings that say very satisfied or satisfied."""
        return rate(self.rated_very_satisfied + self.rated_satisfied, self.ratings)


@dataclasses.dataclass(frozen=True)
class OfficerLine:
    officer_id: int
    username: str
    name: str
    agency_id: int
    card: Scorecard

    @property
    def unit_code(self) -> str:
        return agency_by_id(self.agency_id).identity_code

    @property
    def unit_name(self) -> str:
        return agency_by_id(self.agency_id).name


@dataclasses.dataclass(frozen=True)
class UnitLine:
    agency_id: int
    card: Scorecard  # its officers' lines, and the overdue steps no officer was assigned

    @property
    def code(self) -> str:
        return agency_by_id(self.agency_id).identity_code

    @property
    def name(self) -> str:
        return agency_by_id(self.agency_id).name


@dataclasses.dataclass(frozen=True)
class MonthScorecards:
    month: dt.date
    judged_at: dt.datetime  # the end of the month, or now for the month under way
    officers: list[OfficerLine]
    units: list[UnitLine]
    total: Scorecard


def _open_overdue(
    agency_ids: list[int], at: dt.datetime, judged_on: dt.date
) -> dict[tuple[int | None, int], int]:
    """Steps still open now that were open at `at` and past their due day on `judged_on` (the last day of a
    month, or today): by (assignee, unit)."""
    rows = (
        DossierStep.objects.filter(
            overdue_on_filter(judged_on),
            agency_id__in=agency_ids,
            finished_at__isnull=True,
            started_at__lt=at,
        )
        .values("assignee_id", "agency_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {(row["assignee_id"], row["agency_id"]): row["n"] for row in rows}


def month_scorecards(agency_ids: Iterable[int], month: dt.date, now: dt.datetime) -> MonthScorecards:
    """The scorecards of the officers of `agency_ids` (already expanded to what the caller may see) for the
    month that starts on `month`."""
    agency_ids = list(agency_ids)
    month = month.replace(day=1)
    judged_at = min(end_of_month(month), now)
    judged_on = month_end(month) if end_of_month(month) <= now else day_of(now)
    cards: dict[tuple[int, int], Scorecard] = {}
    tallies = (
        OfficerMonthTally.objects.filter(month=month, agency_id__in=agency_ids)
        .values("officer_id", "agency_id")
        .annotate(**{c: Sum(c) for c in COLUMNS})
        .order_by()
    )
    for row in tallies:
        values = {c: row[c] or 0 for c in COLUMNS}
        values["open_overdue"] = values.pop("overdue_at_month_end")
        cards[(row["officer_id"], row["agency_id"])] = Scorecard(**values)
    unassigned: Counter[int] = Counter()
    for (assignee, agency), count in _open_overdue(agency_ids, judged_at, judged_on).items():
        if assignee is None:
            unassigned[agency] += count
        else:
            cards[(assignee, agency)] = cards.get((assignee, agency), Scorecard()) + Scorecard(
                open_overdue=count
            )
    users = get_user_model().objects.in_bulk({officer for officer, _agency in cards})
    officers = sorted(
        (
            OfficerLine(officer, users[officer].username, person_name(users[officer]), agency, card)
            for (officer, agency), card in cards.items()
        ),
        key=lambda line: (agency_by_id(line.agency_id).identity_code, line.name, line.username),
    )
    by_unit: dict[int, Scorecard] = defaultdict(Scorecard)
    for line in officers:
        by_unit[line.agency_id] += line.card
    for agency, count in unassigned.items():
        by_unit[agency] += Scorecard(open_overdue=count)
    units = sorted((UnitLine(agency, card) for agency, card in by_unit.items()), key=lambda line: line.code)
    return MonthScorecards(month, judged_at, officers, units, sum(by_unit.values(), Scorecard()))


# --- the columns as the page and the spreadsheet show them -------------------------------------------------

COLUMN_LABELS: tuple[tuple[str, Promise], ...] = (
    ("steps_finished", gettext_lazy("Steps finished")),
    ("steps_on_time", gettext_lazy("On time")),
    ("steps_late", gettext_lazy("Late")),
    ("on_time_rate", gettext_lazy("On-time share (%)")),
    ("open_overdue", gettext_lazy("Open past due")),
    ("overdue", gettext_lazy("Overdue")),
    ("apologies", gettext_lazy("Apologies")),
    ("supplement_requests", gettext_lazy("Supplement requests")),
    ("ratings", gettext_lazy("Ratings")),
    ("satisfaction_rate", gettext_lazy("Satisfied (%)")),
)


def cells(card: Scorecard) -> list[int | float | None]:
    """A scorecard's figures in the order of `COLUMN_LABELS`."""
    values = card.as_dict()
    return [values[column] for column, _label in COLUMN_LABELS]


def scorecards_xlsx(cards: MonthScorecards, unit_name: str) -> bytes:
    """Two sheets, officers and units, with the month and the units in the first row."""
    workbook = Workbook()
    officers = workbook.active
    assert officers is not None
    officers.title = str(_("Officers"))
    units = workbook.create_sheet(str(_("Units")))
    heading = _("Scorecards of %(month)s: %(units)s") % {"month": f"{cards.month:%m/%Y}", "units": unit_name}
    labels = [str(label) for _column, label in COLUMN_LABELS]
    officers.append([heading])
    officers.append([str(_("Officer")), str(_("User name")), str(_("Unit")), *labels])
    for line in cards.officers:
        officers.append([line.name, line.username, line.unit_name, *cells(line.card)])
    units.append([heading])
    units.append([str(_("Unit")), str(_("Identity code")), *labels])
    for unit in cards.units:
        units.append([unit.name, unit.code, *cells(unit.card)])
    units.append([str(_("Total")), "", *cells(cards.total)])
    for sheet in (officers, units):
        sheet["A1"].font = Font(bold=True)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.freeze_panes = "A3"
        sheet.column_dimensions["A"].width = 32
    return workbook_bytes(workbook)
