"""Writing contributions into the rollup tables: in the event's transaction, one upsert per row, rows taken in
one global order so that two transactions never wait for each other in a cycle."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator

from django.db import connection, models
from django.db.backends.utils import CursorWrapper

from motcua.stats.contributions import OPEN, PROCEDURE, UNIT_FIELD, WORKLOAD, Contribution
from motcua.stats.models import Grain, OpenTally, ProcedureTally, UnitFieldTally, WorkloadTally

# Each table: its model, its key columns (after `grain, period` in flow tables) and whether it has grains.
TABLES: dict[str, tuple[type[models.Model], tuple[str, ...], bool]] = {
    UNIT_FIELD: (UnitFieldTally, ("agency_id", "field_id"), True),
    PROCEDURE: (ProcedureTally, ("agency_id", "procedure_id", "field_id", "channel"), True),
    OPEN: (OpenTally, ("agency_id", "procedure_id", "received_on", "due_on"), False),
    WORKLOAD: (WorkloadTally, ("unit_id", "step", "waiting"), False),
}


def grains(day: dt.date) -> Iterator[tuple[str, dt.date]]:
    yield Grain.DAY, day
    yield Grain.MONTH, day.replace(day=1)
    yield Grain.YEAR, day.replace(month=1, day=1)


def rows(change: Counter[Contribution]) -> dict[str, dict[tuple, dict[str, int]]]:
    """Group contributions into rows: table → full key (with grain and period) → column → amount."""
    out: dict[str, dict[tuple, dict[str, int]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    for (table, *key, column), amount in change.items():
        if TABLES[table][2]:
            day, *rest = key
            for grain, period in grains(day):
                out[table][(grain, period, *rest)][column] += amount
        else:
            out[table][tuple(key)][column] += amount
    return out


def key_columns(table: str) -> tuple[str, ...]:
    _, keys, grained = TABLES[table]
    return ("grain", "period", *keys) if grained else keys


def apply(change: Counter[Contribution]) -> None:
    """Add `change` to the rollups, inside the caller's transaction."""
    if not change:
        return
    with connection.cursor() as cursor:
        for table, by_key in sorted(rows(change).items()):
            model = TABLES[table][0]
            name = connection.ops.quote_name(model._meta.db_table)
            keys = key_columns(table)
            for key, columns in sorted(by_key.items(), key=lambda item: _sortable(item[0])):
                add_to_row(cursor, model, keys, key, columns)
                if not TABLES[table][2]:
                    # The open-dossier rollups hold what is open now: a row that falls to zero goes.
                    zero = " AND ".join(f"{c} = 0" for c in _value_columns(model, keys))
                    match = " AND ".join(f"{k} = %s" for k in keys)
                    cursor.execute(f"DELETE FROM {name} WHERE {match} AND {zero}", list(key))


def add_to_row(
    cursor: CursorWrapper,
    model: type[models.Model],
    keys: tuple[str, ...],
    key: tuple,
    columns: dict[str, int],
) -> None:
    """Add `columns` to the row of `model` whose key columns `keys` hold `key`, creating it at zero first: one
    statement, safe under concurrency (INSERT … ON CONFLICT DO UPDATE, on PostgreSQL and SQLite alike)."""
    name = connection.ops.quote_name(model._meta.db_table)
    names = sorted(columns)
    updates = ", ".join(f"{c} = {name}.{c} + EXCLUDED.{c}" for c in names)
    placeholders = ", ".join(["%s"] * (len(keys) + len(names)))
    cursor.execute(
        f"INSERT INTO {name} ({', '.join([*keys, *names])}) VALUES ({placeholders}) "
        f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}",
        [*key, *(columns[c] for c in names)],
    )


def _value_columns(model: type[models.Model], keys: tuple[str, ...]) -> list[str]:
    return [f.column for f in model._meta.concrete_fields if f.column not in (*keys, "id")]


def _sortable(key: tuple) -> tuple:
    return tuple(str(part) for part in key)


def insert_all(change: Counter[Contribution], batch_size: int = 5000) -> int:
    """Write a whole recount into empty tables (rebuild); returns the number of rows."""
    written = 0
    for table, by_key in rows(change).items():
        model, _, _ = TABLES[table]
        keys = key_columns(table)
        objects: Iterable[models.Model] = (
            model(**dict(zip(keys, key, strict=True)), **columns)
            for key, columns in by_key.items()
            if any(columns.values())
        )
        batch: list[models.Model] = []
        for obj in objects:
            batch.append(obj)
            if len(batch) >= batch_size:
                model.objects.bulk_create(batch)  # type: ignore[attr-defined]
                written += len(batch)
                batch = []
        model.objects.bulk_create(batch)  # type: ignore[attr-defined]
        written += len(batch)
    return written
