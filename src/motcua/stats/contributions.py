"""What one dossier adds to each rollup: a pure function of its `CountedState` (ADR 0008).

A contribution is keyed `(table, *key, column)`. Flow tables are keyed by day here; `tallies` adds the month
and year grains. The stock of pending dossiers is written as deltas on the days it changes: a dossier is
pending on the days [received, ended), and over its deadline on the days [due + 1, ended) that it is not
waiting for the applicant's supplement (DOMAIN.md §4.4, §10).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from typing import TypeAlias

from django.conf import settings

from motcua.dossiers.lifecycle import Channel
from motcua.stats.facts import CountedState
from motcua.worktime.constants import Punctuality

Contribution: TypeAlias = tuple  # (table, *key, column)
UNIT_FIELD = "unit_field"
PROCEDURE = "procedure"
OPEN = "open"
WORKLOAD = "workload"
# "No due date" is kept as the far future: such a dossier is never over its deadline, and unique keys match
# (NULLs would not).
NO_DUE = dt.date(9999, 12, 31)
ONE_DAY = dt.timedelta(days=1)

RECEIVED_COLUMN: dict[str, str] = {
    Channel.COUNTER: "received_counter",
    Channel.ONLINE: "received_online",
    Channel.POST: "received_post",
}
RESOLVED_COLUMN: dict[str, str] = {
    Punctuality.EARLY: "resolved_early",
    Punctuality.ON_TIME: "resolved_on_time",
    Punctuality.LATE: "resolved_late",
}
RATED_COLUMN = {
    "very_satisfied": "rated_very_satisfied",
    "satisfied": "rated_satisfied",
    "dissatisfied": "rated_dissatisfied",
}


def contributions(state: CountedState | None) -> Counter[Contribution]:
    out: Counter[Contribution] = Counter()
    if state is None:
        return out
    unit_field = (UNIT_FIELD, state.agency, state.field)
    procedure = (PROCEDURE, state.agency, state.procedure, state.field, state.channel)

    def flow(table: tuple, day: dt.date, column: str, amount: int = 1) -> None:
        out[(table[0], day, *table[1:], column)] += amount

    received = state.received_on
    flow(unit_field, received, RECEIVED_COLUMN[state.channel])
    flow(procedure, received, "received")
    flow(unit_field, received, "open_delta")
    if state.ended_on is not None and state.outcome is not None:
        flow(unit_field, state.ended_on, RESOLVED_COLUMN[state.outcome])
        flow(procedure, state.ended_on, RESOLVED_COLUMN[state.outcome])
        flow(unit_field, state.ended_on, "open_delta", -1)
    _overdue(state, lambda day, amount: flow(unit_field, day, "overdue_delta", amount))

    # Dated by receipt, in both flow tables: per procedure, and summed by agency and field for whole-province
    # readings.
    for table in (procedure, unit_field):
        if state.completed_minutes is not None:
            flow(table, received, "completed")
            flow(table, received, "completed_minutes", state.completed_minutes)
        settled = _settled_on_time_766(state)
        if settled is not None:
            flow(table, received, "settled_on_time_766" if settled else "settled_late_766")
        if state.digitised:
            flow(table, received, "digitised")
        if state.electronic_result:
            flow(table, received, "electronic_result")
        if state.rating:
            flow(table, received, RATED_COLUMN[state.rating])

    if state.ended_on is None:
        if state.waiting_on is None:
            key = (OPEN, state.agency, state.procedure, received, state.due_on or NO_DUE)
            out[(*key, "count")] += 1
            if _over_supplemented(state):
                out[(*key, "over_supplemented")] += 1
        if state.unit is not None:
            out[(WORKLOAD, state.unit, state.step, state.waiting_on is not None, "count")] += 1
    return Counter({k: v for k, v in out.items() if v})


def _overdue(state: CountedState, add: Callable[[dt.date, int], None]) -> None:
    """Over the deadline on the days [max(due + 1, received), min(ended, waiting since))."""
    if state.due_on is None:
        return
    start = max(state.due_on + ONE_DAY, state.received_on)
    ends = [d for d in (state.ended_on, state.waiting_on) if d is not None]
    end = min(ends) if ends else None
    if end is not None and end <= start:
        return
    add(start, 1)
    if end is not None:
        add(end, -1)


def _over_supplemented(state: CountedState) -> bool:
    """Decision 766, indicator 2.1: more supplement requests than MOTCUA_766_MAX_SUPPLEMENTS_ON_TIME make a
    dossier late, whatever its dates."""
    return state.supplements > settings.MOTCUA_766_MAX_SUPPLEMENTS_ON_TIME


def _settled_on_time_766(state: CountedState) -> bool | None:
    """Indicator 2.1 for a dossier whose end is known: finished (its class), waiting for a supplement (the
    request day against the due day) or over-supplemented (late). None while the clock runs: then the
    period's end decides (`OpenTally`)."""
    if _over_supplemented(state):
        return False
    if state.outcome is not None:
        return state.outcome != Punctuality.LATE
    if state.waiting_on is not None:
        return state.due_on is None or state.waiting_on <= state.due_on
    return None


def difference(before: CountedState | None, after: CountedState | None) -> Counter[Contribution]:
    """What to add to the rollups when a dossier goes from `before` to `after`; zero entries dropped."""
    change = Counter(contributions(after))
    change.subtract(contributions(before))
    return Counter({k: v for k, v in change.items() if v})
