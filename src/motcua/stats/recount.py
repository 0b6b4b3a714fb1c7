"""Recounting the rollups from scratch: `rebuild` replays every dossier's events, `verify` recounts a period
from the dossier rows and compares (ADR 0008)."""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator

from django.db import connection, transaction
from django.db.models import Q

from motcua.dossiers.lifecycle import FINISHED_STATUSES, NOT_RECEIVED_STATUSES
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.org.models import Agency
from motcua.stats.contributions import OPEN, PROCEDURE, UNIT_FIELD, WORKLOAD, Contribution, contributions
from motcua.stats.facts import counted_state, side_facts, state_from_events
from motcua.stats.models import (
    DossierFact,
    Grain,
    OfficerMonthTally,
    OpenTally,
    ProcedureTally,
    StepMonthTally,
    UnitFieldTally,
    WorkloadTally,
)
from motcua.stats.periods import ONE_DAY, Period
from motcua.stats.report import By, handling_report
from motcua.stats.scan import scanned_report
from motcua.stats.scorecards import rebuild_tallies as rebuild_officer_tallies
from motcua.stats.tallies import TABLES, insert_all, key_columns
from motcua.worktime.calendar import start_of_day

CHUNK = 2000
ROLLUP_TABLES = [
    DossierFact,
    UnitFieldTally,
    ProcedureTally,
    OpenTally,
    WorkloadTally,
    OfficerMonthTally,
    StepMonthTally,
]
Progress = Callable[[int], None]


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def rebuild(progress: Progress = lambda n: None, total: Callable[[int], None] = lambda n: None) -> int:
    """Replace every rollup by a recount from the dossiers' events; returns the number of dossiers counted.
    One transaction: interrupted, it leaves the rollups as they were; meanwhile dossier actions wait."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            names = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in ROLLUP_TABLES)
            connection.cursor().execute(f"LOCK TABLE {names} IN EXCLUSIVE MODE")
        for model in ROLLUP_TABLES:
            model._default_manager.all().delete()
        agency_ids = dict(Agency.objects.values_list("identity_code", "pk"))
        ids = list(
            Dossier.objects.filter(received_at__isnull=False).order_by("pk").values_list("pk", flat=True)
        )
        total(len(ids))
        change: Counter[Contribution] = Counter()
        counted = 0
        for chunk in _chunks(ids):
            events: dict[int, list[DossierEvent]] = defaultdict(list)
            for event in DossierEvent.objects.filter(dossier_id__in=chunk).order_by("dossier_id", "version"):
                events[event.dossier_id].append(event)
            digitised, ratings = side_facts(chunk)
            facts = []
            for dossier in Dossier.objects.filter(pk__in=chunk).only(
                "pk", "procedure_version_id", "channel", "competent_authority_id", "receiving_unit_id"
            ):
                state = state_from_events(
                    dossier,
                    events[dossier.pk],
                    agency_ids,
                    digitised=dossier.pk in digitised,
                    rating=ratings.get(dossier.pk, ""),
                )
                if state is not None:
                    change.update(contributions(state))
                    facts.append(DossierFact(dossier_id=dossier.pk, state=state.to_json()))
            DossierFact.objects.bulk_create(facts)
            counted += len(facts)
            progress(len(chunk))
        insert_all(change)
        rebuild_officer_tallies()
    return counted


@dataclasses.dataclass(frozen=True)
class Difference:
    what: str  # a rollup row and column, or a report line
    recounted: object
    stored: object


def _stored(table: str, filters: Q) -> Counter[Contribution]:
    model = TABLES[table][0]
    keys = key_columns(table)
    columns = [f.attname for f in model._meta.concrete_fields if f.attname not in (*keys, "id")]
    out: Counter[Contribution] = Counter()
    for row in model._default_manager.filter(filters).values(*keys, *columns):
        key = tuple(row[k] for k in keys)
        if TABLES[table][2]:
            key = key[1:]  # the day grain: (period, ...) as contributions key it
        for column in columns:
            if row[column]:
                out[(table, *key, column)] = row[column]
    return out


def _recounted(dossiers: Q) -> Counter[Contribution]:
    out: Counter[Contribution] = Counter()
    ids = list(Dossier.objects.filter(dossiers).values_list("pk", flat=True))
    for chunk in _chunks(ids):
        digitised, ratings = side_facts(chunk)
        for dossier in Dossier.objects.filter(pk__in=chunk).select_related("current_step"):
            state = counted_state(
                dossier, digitised=dossier.pk in digitised, rating=ratings.get(dossier.pk, "")
            )
            out.update(contributions(state))
    return out


def _compare(recounted: Counter[Contribution], stored: Counter[Contribution]) -> list[Difference]:
    return [
        Difference(" ".join(str(part) for part in key), recounted.get(key, 0), stored.get(key, 0))
        for key in sorted(recounted.keys() | stored.keys(), key=lambda k: tuple(str(p) for p in k))
        if recounted.get(key, 0) != stored.get(key, 0)
    ]


def verify(period: Period, agency_ids: list[int] | None = None) -> list[Difference]:
    """Recount `period` from the dossier rows: the day rows of the flow rollups, the open-dossier rollups, and
    Biểu 06 by field and by unit read from the rollups against a plain GROUP BY of the dossier table."""
    if agency_ids is None:
        agency_ids = list(Agency.objects.values_list("pk", flat=True))
    first, after = start_of_day(period.first), start_of_day(period.last + ONE_DAY)
    touching = (
        Q(received_at__isnull=False, received_at__lt=after, competent_authority_id__in=agency_ids)
        & ~Q(status__in=NOT_RECEIVED_STATUSES)
        & ~Q(status__in=FINISHED_STATUSES, finished_at__lt=first)
    )
    recounted = _recounted(touching)
    in_days = Q(grain=Grain.DAY, period__range=(period.first, period.last), agency_id__in=agency_ids)
    flows = Counter(
        {
            t: c
            for t, c in recounted.items()
            if t[0] in (UNIT_FIELD, PROCEDURE) and period.first <= t[1] <= period.last
        }
    )
    differences = _compare(flows, Counter({**_stored(UNIT_FIELD, in_days), **_stored(PROCEDURE, in_days)}))
    open_now = _recounted(
        ~Q(status__in=FINISHED_STATUSES) & ~Q(status__in=NOT_RECEIVED_STATUSES) & Q(received_at__isnull=False)
    )
    current = Counter({k: v for k, v in open_now.items() if k[0] in (OPEN, WORKLOAD)})
    stored_current = Counter({**_stored(OPEN, Q()), **_stored(WORKLOAD, Q())})
    differences += _compare(current, stored_current)
    by: By
    for by in ("field", "unit"):
        from_rollups = handling_report(agency_ids, period, by)
        scanned = scanned_report(agency_ids, period, by)
        for key in sorted(from_rollups.rows.keys() | scanned.rows.keys()):
            mine, theirs = scanned.rows.get(key), from_rollups.rows.get(key)
            if mine != theirs:
                differences.append(Difference(f"Biểu 06 by {by} {key}", mine, theirs))
        for line in (from_rollups.total, scanned.total):
            if not line.balanced:
                differences.append(
                    Difference(f"Biểu 06 by {by}: carried over + received ≠ resolved + pending", line, None)
                )
    return differences
