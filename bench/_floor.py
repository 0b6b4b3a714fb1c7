"""The floor for intake: the rows one counter intake writes, written by a bare SQL loop with psycopg.

One transaction per dossier, in the order the service writes: take the next number from the per-unit, per-day
code counter (the same upsert, so the same row lock that makes codes gap-free), insert the dossier row, its
document rows and its creation event, commit. The values are those of a dossier the API created, so both write
the same bytes. No HTTP, no validation, no ORM: what is left is PostgreSQL's own cost, commit flush included.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import psycopg
from bench._loadgen import Result, run
from psycopg.types.json import Jsonb

LOCAL = dt.timezone(dt.timedelta(hours=7))
_NEXT_SEQUENCE = """
    INSERT INTO dossiers_dossiercodecounter (agency_id, day, last) VALUES (%s, %s, 1)
    ON CONFLICT (agency_id, day) DO UPDATE SET last = dossiers_dossiercodecounter.last + 1
    RETURNING last
"""


@dataclass
class Template:
    columns: list[str]
    values: dict[str, Any]
    documents: list[tuple[int | None, int]]  # requirement, file
    event: dict[str, Any]


def read_template(conninfo: str, code: str) -> Template:
    with psycopg.connect(conninfo) as conn:
        cur = conn.cursor()
        cur.execute("SELECT * FROM dossiers_dossier WHERE code = %s", [code])
        row = cur.fetchone()
        assert row is not None, f"template dossier {code} not found"
        columns = [d.name for d in cur.description if d.name != "id"]
        values = dict(zip([d.name for d in cur.description], row, strict=True))
        documents = cur.execute(
            "SELECT requirement_id, file_id FROM dossiers_dossierdocument WHERE dossier_id = %s ORDER BY id",
            [values["id"]],
        ).fetchall()
        cur.execute(
            "SELECT action, actor_id, actor_unit_id, from_status, to_status, version, note, data "
            "FROM dossiers_dossierevent WHERE dossier_id = %s AND version = 1",
            [values["id"]],
        )
        event_row = cur.fetchone()
        assert event_row is not None
        event = dict(zip([d.name for d in cur.description], event_row, strict=True))
    return Template(columns, values, [(r, f) for r, f in documents], event)


def _json(value: Any) -> Any:
    return Jsonb(value) if isinstance(value, dict | list) else value


def make_floor_worker(
    template: Template, units: list[tuple[int, str, int]]
) -> Callable[[int], Callable[[psycopg.Connection], tuple[int, bytes]]]:
    """Worker `index` receives at `units[index % len(units)]` (agency id, identity code, officer id), as the
    API benchmark's threads do, so both meet the same counter-row contention."""
    insert_dossier = (
        f"INSERT INTO dossiers_dossier ({', '.join(template.columns)}) "
        f"VALUES ({', '.join(['%s'] * len(template.columns))}) RETURNING id"
    )
    insert_event = (
        "INSERT INTO dossiers_dossierevent (dossier_id, action, actor_id, actor_unit_id, at, from_status, "
        "to_status, version, note, data) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
    )

    def make(index: int) -> Callable[[psycopg.Connection], tuple[int, bytes]]:
        agency_id, identity_code, officer_id = units[index % len(units)]
        row = dict(template.values)
        row.update(receiving_unit_id=agency_id, current_unit_id=agency_id, created_by_id=officer_id)
        event = dict(template.event)
        event.update(actor_id=officer_id, actor_unit_id=agency_id)

        def insert(conn: psycopg.Connection) -> tuple[int, bytes]:
            now = dt.datetime.now(dt.UTC)
            day = now.astimezone(LOCAL).date()
            with conn.transaction():
                (sequence,) = conn.execute(_NEXT_SEQUENCE, [agency_id, day]).fetchone()  # type: ignore[misc]
                row.update(
                    code=f"{identity_code}-{day:%y%m%d}-{sequence:04d}", created_at=now, received_at=now
                )
                (dossier_id,) = conn.execute(
                    insert_dossier, [_json(row[c]) for c in template.columns]
                ).fetchone()  # type: ignore[misc]
                conn.cursor().executemany(
                    "INSERT INTO dossiers_dossierdocument (dossier_id, requirement_id, file_id, added_at) "
                    "VALUES (%s, %s, %s, %s)",
                    [(dossier_id, requirement, file, now) for requirement, file in template.documents],
                )
                conn.execute(
                    insert_event,
                    [
                        dossier_id,
                        event["action"],
                        event["actor_id"],
                        event["actor_unit_id"],
                        now,
                        event["from_status"],
                        event["to_status"],
                        event["version"],
                        event["note"],
                        Jsonb(event["data"]),
                    ],
                )
            return 200, b""

        return insert

    return make


def run_floor(
    conninfo: str,
    template: Template,
    units: list[tuple[int, str, int]],
    concurrency: int,
    warmup: float,
    duration: float,
    max_requests: int,
    cpu_probe: Callable[[], dict[str, float]] | None = None,
) -> Result:
    return run(
        "floor: intake rows by bare SQL (psycopg)",
        make_floor_worker(template, units),
        concurrency,
        warmup,
        duration,
        max_requests,
        connect=lambda: psycopg.connect(conninfo, autocommit=True),
        cpu_probe=cpu_probe,
    )
