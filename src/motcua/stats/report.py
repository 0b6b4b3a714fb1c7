"""The periodic report of TTHC handling (Biểu 06 and 06a, Circular 01/2020/TT-VPCP; DOMAIN.md §10), read from
the rollups: a few hundred rows whatever the size of the dossier table."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from functools import reduce
from operator import or_
from typing import Literal

from django.db.models import Q, Sum

from motcua.stats.counters import Counters, rate
from motcua.stats.models import UnitFieldTally
from motcua.stats.periods import Bucket, Period, before, cover

By = Literal["field", "unit"]
FLOW_COLUMNS = (
    "received_counter",
    "received_online",
    "received_post",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "open_delta",
    "overdue_delta",
)


@dataclasses.dataclass(frozen=True)
class Counts(Counters):
    """One line of Biểu 06. The report's identity: carried_over + received_total = resolved_total +
    pending_total."""

    carried_over: int = 0
    received_online: int = 0
    received_direct: int = 0  # at the counter and by post
    resolved_early: int = 0
    resolved_on_time: int = 0
    resolved_late: int = 0
    pending_within: int = 0  # including the dossiers waiting for the applicant's supplement
    pending_overdue: int = 0

    DERIVED = ("received_total", "resolved_total", "pending_total", "on_time_rate")

    @property
    def received_total(self) -> int:
        return self.received_online + self.received_direct

    @property
    def resolved_total(self) -> int:
        return self.resolved_early + self.resolved_on_time + self.resolved_late

    @property
    def pending_total(self) -> int:
        return self.pending_within + self.pending_overdue

    @property
    def on_time_rate(self) -> float | None:
        """Percentage of resolved dossiers resolved early or on time; None when none were resolved."""
        return rate(self.resolved_early + self.resolved_on_time, self.resolved_total)

    @property
    def balanced(self) -> bool:
        return self.carried_over + self.received_total == self.resolved_total + self.pending_total


@dataclasses.dataclass(frozen=True)
class Report:
    period: Period
    by: By
    rows: dict[int, Counts]  # field id or agency id → counts
    total: Counts


def in_buckets(buckets: Iterable[Bucket]) -> Q:
    conditions = [Q(grain=b.grain, period__range=(b.first, b.last)) for b in buckets]
    return reduce(or_, conditions) if conditions else Q(pk__in=[])


def _sums(
    agency_ids: list[int], buckets: list[Bucket], group: str, columns: tuple[str, ...]
) -> dict[int, dict[str, int]]:
    if not buckets:
        return {}
    query = (
        UnitFieldTally.objects.filter(in_buckets(buckets), agency_id__in=agency_ids)
        .values(group)
        .annotate(**{f"sum_{c}": Sum(c) for c in columns})
        .order_by()
    )
    return {row[group]: {c: row[f"sum_{c}"] or 0 for c in columns} for row in query}


def handling_report(agency_ids: Iterable[int], period: Period, by: By = "field") -> Report:
    """Biểu 06 (by field) or 06a (by unit) for the dossiers whose competent agency is in `agency_ids`: the
    period's rows, and the stock brought forward from before it (two plain sums: cheaper to build and run
    than one query with a filter per column)."""
    agency_ids = list(agency_ids)
    group = "field_id" if by == "field" else "agency_id"
    flows = _sums(agency_ids, cover(period.first, period.last), group, FLOW_COLUMNS)
    brought = _sums(agency_ids, before(period.first), group, ("open_delta", "overdue_delta"))
    rows: dict[int, Counts] = {}
    for key in sorted(flows.keys() | brought.keys()):
        flow = flows.get(key, dict.fromkeys(FLOW_COLUMNS, 0))
        stock = brought.get(key, {"open_delta": 0, "overdue_delta": 0})
        pending = stock["open_delta"] + flow["open_delta"]
        overdue = stock["overdue_delta"] + flow["overdue_delta"]
        counts = Counts(
            carried_over=stock["open_delta"],
            received_online=flow["received_online"],
            received_direct=flow["received_counter"] + flow["received_post"],
            resolved_early=flow["resolved_early"],
            resolved_on_time=flow["resolved_on_time"],
            resolved_late=flow["resolved_late"],
            pending_within=pending - overdue,
            pending_overdue=overdue,
        )
        if any(dataclasses.astuple(counts)):
            rows[key] = counts
    total = sum(rows.values(), Counts())
    return Report(period, by, rows, total)
