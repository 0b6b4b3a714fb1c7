"""The 766 indicators and the public dashboard's monthly figures straight from the dossier table: plain GROUP
BYs written on the dossier's columns with the rules of DOMAIN.md §7 and §10 (as stats/contributions.py states
them), to hold the rollup readings against in bench/reports.py. Reports never use these.

The one figure a GROUP BY cannot give is indicator 2.2's numerator, working minutes under the province's
calendar: its denominator (the results issued) is compared, its numerator is not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import connection

from motcua.dossiers.lifecycle import (
    CLOCK_STOPPED_STATUSES,
    FINISHED_STATUSES,
    NOT_RECEIVED_STATUSES,
    ON_TIME_BY_RULE,
    RESULT_STATUSES,
)
from motcua.stats.periods import ONE_DAY, Period
from motcua.stats.scan import scanned_report, start_of

TZ = "Asia/Ho_Chi_Minh"
# The indicators compared: (code, whether its numerator is compared).
COMPARED = (("2.1", True), ("2.2", False), ("3.3", True), ("3.3b", True), ("3.3c", True))
COMPARED += (("4.1", True), ("4.2", True), ("5.4", True))


def _day(column: str) -> str:
    return f"({column} AT TIME ZONE '{TZ}')::date"


def _in(values: Iterable[str]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in sorted(values)) + ")"


def _fetch(query: str, params: list[Any]) -> list[dict[str, Any]]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        names = [c.name for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def index766_figures(index: Any) -> dict[str, tuple[int | None, int | None]]:
    """(numerator, denominator) of the compared indicators of an `index766.Index766`."""
    found = {i.code: (i.numerator, i.denominator) for g in index.groups for i in g.indicators}
    return {code: (found[code][0] if whole else None, found[code][1]) for code, whole in COMPARED}


def scanned_766(agency_ids: list[int], period: Period, today: dt.date) -> dict[str, tuple[int | None, int]]:
    resolved, waiting = _in(FINISHED_STATUSES), _in(CLOCK_STOPPED_STATUSES)
    late_end = f"(status NOT IN {_in(ON_TIME_BY_RULE)} AND due_on IS NOT NULL AND ended_on > due_on)"
    # Settled for 2.1: over-supplemented (late), finished (its class), or waiting (request day against due
    # day); the others are still running and judged at T' = min(period end, today).
    query = f"""
        WITH d AS (
            SELECT d.channel, d.status, d.supplement_count > 1 AS over,
                   {_day("d.due_at")} AS due_on, {_day("d.finished_at")} AS ended_on,
                   {_day("d.supplement_requested_at")} AS waiting_on,
                   d.status IN {_in(RESULT_STATUSES)} AND d.finished_at IS NOT NULL AS completed,
                   d.result_file_id IS NOT NULL AS result_file, r.score,
                   EXISTS (SELECT 1 FROM dossiers_dossierdocument x WHERE x.dossier_id = d.id)
                   AND NOT EXISTS (SELECT 1 FROM dossiers_dossierdocument x
                                   WHERE x.dossier_id = d.id AND x.file_id IS NULL) AS digitised
            FROM dossiers_dossier d LEFT JOIN dossiers_rating r ON r.dossier_id = d.id
            WHERE d.competent_authority_id = ANY(%s) AND d.received_at >= %s AND d.received_at < %s
              AND d.status NOT IN {_in(NOT_RECEIVED_STATUSES)}
        ), c AS (
            SELECT *, CASE WHEN over THEN false
                           WHEN status IN {resolved} THEN NOT {late_end}
                           WHEN status IN {waiting} THEN due_on IS NULL OR waiting_on <= due_on
                      END AS settled_on_time,
                      status NOT IN {resolved} AND status NOT IN {waiting} AND NOT over AS running
            FROM d
        )
        SELECT count(*) AS received,
               count(*) FILTER (WHERE channel = 'online') AS online,
               count(*) FILTER (WHERE channel = 'counter') AS counter,
               count(*) FILTER (WHERE channel = 'post') AS post,
               count(*) FILTER (WHERE completed) AS completed,
               count(*) FILTER (WHERE completed AND result_file) AS electronic_result,
               count(*) FILTER (WHERE digitised) AS digitised,
               count(*) FILTER (WHERE score = 'dissatisfied') AS dissatisfied,
               count(*) FILTER (WHERE settled_on_time OR (running AND coalesce(due_on >= %s, true)))
                   AS on_time,
               count(*) FILTER (WHERE NOT settled_on_time OR (running AND due_on < %s)) AS late
        FROM c"""
    judged_on = min(period.last, today)
    window = [start_of(period.first), start_of(period.last + ONE_DAY)]
    row = _fetch(query, [list(agency_ids), *window, judged_on, judged_on])[0]
    received = row["received"]
    return {
        "2.1": (row["on_time"], received),
        "2.2": (None, row["completed"]),
        "3.3": (row["online"], received),
        "3.3b": (row["counter"], received),
        "3.3c": (row["post"], received),
        "4.1": (row["electronic_result"], row["completed"]),
        "4.2": (row["digitised"], received),
        "5.4": (max(0, received - row["late"] - row["dissatisfied"]), received),
    }


# --- the public dashboard -----------------------------------------------------------------------------------

FLOWS = (
    "received_counter",
    "received_online",
    "received_post",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "rated_very_satisfied",
    "rated_satisfied",
    "rated_dissatisfied",
)


def dashboard_figures(board: Any) -> dict[str, Any]:
    """The numbers of a `dashboards.PublicDashboard` that a scan can give: each month's flows, the last 30
    days' flows and what is pending today."""
    return {
        "months": {m.month: _flows(m.flows) for m in board.months},
        "last_30_days": _flows(board.last_30_days.flows),
        "pending": (board.pending_within, board.pending_overdue),
    }


def _flows(flows: Any) -> dict[str, int]:
    return {name: getattr(flows, name) for name in FLOWS}


def scanned_dashboard(agency_ids: list[int], today: dt.date, months: int = 12) -> dict[str, Any]:
    current = today.replace(day=1)
    index = current.year * 12 + current.month - 1 - months
    first = dt.date(index // 12, index % 12 + 1, 1)
    recent = today - dt.timedelta(days=29)
    month_list = [dt.date((index + n) // 12, (index + n) % 12 + 1, 1) for n in range(months + 1)]
    by_month = {m: dict.fromkeys(FLOWS, 0) for m in month_list}
    last_30 = dict.fromkeys(FLOWS, 0)
    for row in _dashboard_rows(agency_ids, first, today):
        for target, day in ((by_month, row["day"].replace(day=1)), (None, row["day"])):
            counts = by_month.get(day) if target is not None else (last_30 if day >= recent else None)
            if counts is not None:
                for name in FLOWS:
                    counts[name] += row[name]
    pending = scanned_report(agency_ids, Period(today, today)).total
    return {
        "months": by_month,
        "last_30_days": last_30,
        "pending": (pending.pending_within, pending.pending_overdue),
    }


def _dashboard_rows(agency_ids: list[int], first: dt.date, last: dt.date) -> list[dict[str, Any]]:
    """Per day: received by channel and ratings (dated by receipt, as ProcedureTally dates them) and the
    resolved by class (dated by their end)."""
    resolved = _in(FINISHED_STATUSES)
    punctuality = f"""CASE WHEN status IN {_in(ON_TIME_BY_RULE)} OR due_at IS NULL THEN 'on_time'
                           WHEN {_day("finished_at")} < {_day("due_at")} THEN 'early'
                           WHEN {_day("finished_at")} = {_day("due_at")} THEN 'on_time'
                           ELSE 'late' END"""
    query = f"""
        WITH d AS (
            SELECT d.*, r.score FROM dossiers_dossier d LEFT JOIN dossiers_rating r ON r.dossier_id = d.id
            WHERE d.competent_authority_id = ANY(%s) AND d.received_at IS NOT NULL
              AND d.status NOT IN {_in(NOT_RECEIVED_STATUSES)}
              AND (d.received_at >= %s OR (d.status IN {resolved} AND d.finished_at >= %s))
        ), received AS (
            SELECT {_day("received_at")} AS day,
                   count(*) FILTER (WHERE channel = 'counter') AS received_counter,
                   count(*) FILTER (WHERE channel = 'online') AS received_online,
                   count(*) FILTER (WHERE channel = 'post') AS received_post,
                   0 AS resolved_early, 0 AS resolved_on_time, 0 AS resolved_late,
                   count(*) FILTER (WHERE score = 'very_satisfied') AS rated_very_satisfied,
                   count(*) FILTER (WHERE score = 'satisfied') AS rated_satisfied,
                   count(*) FILTER (WHERE score = 'dissatisfied') AS rated_dissatisfied
            FROM d WHERE received_at >= %s AND received_at < %s GROUP BY 1
        ), ended AS (
            SELECT {_day("finished_at")} AS day, 0, 0, 0,
                   count(*) FILTER (WHERE {punctuality} = 'early'),
                   count(*) FILTER (WHERE {punctuality} = 'on_time'),
                   count(*) FILTER (WHERE {punctuality} = 'late'), 0, 0, 0
            FROM d WHERE status IN {resolved} AND finished_at >= %s AND finished_at < %s GROUP BY 1
        )
        SELECT * FROM received UNION ALL SELECT * FROM ended"""
    start, end = start_of(first), start_of(last + ONE_DAY)
    return _fetch(query, [list(agency_ids), start, start, start, end, start, end])
