"""Bulk history for the reports benchmark: millions of dossiers COPYed into the real schema, with the rollups
the live system would hold for them.

Each dossier is a row of `dossiers_dossier` as the application writes it (status, received_at, due_at,
finished_at, supplement_count, supplement_requested_at for the waiting ones, returned_at/closed_at, the
competent authority, the channel, a unique code per receiving unit and day), plus its rating when it has one
and an uploaded-file row for its result when that was issued electronically. Its `CountedState` is built by
the stats app's own `facts._state` from the same values `facts.counted_state` reads on the row, and fed to
`contributions.contributions`: the code the live system runs in each transaction. The contributions are
expanded into rows by `tallies.rows` (day, month and year grains) and COPYed into the stats tables.

Loading is what pg_restore does (bench/_bulk.py): drop the loaded tables' secondary indexes and foreign keys,
COPY from two processes (one per core), rebuild and validate, VACUUM ANALYZE.

Shortcuts, stated: no events, steps, documents or DossierFact rows (reports never read them), so no dossier
counts as digitised and the open ones sit at no named workflow step; due dates count calendar time from the
case's duration (about 1.4 calendar days per working day) rather than running the legal clock for each row;
commune procedures name their commune as the competent authority (as intake allows) but are received at the
offer's receiving points; applicants come from a pool of generated people.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import multiprocessing
import random
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

import psycopg
from bench import _bulk
from django.db import connections
from psycopg import sql

from motcua.core.text import fold_vietnamese
from motcua.demo.samples import address, birth_date, person_name, personal_id, phone
from motcua.stats import facts
from motcua.stats.contributions import Contribution, contributions
from motcua.stats.facts import version_dimensions
from motcua.stats.tallies import TABLES, key_columns, rows
from motcua.worktime.services import calendar_for

LOCAL = _bulk.LOCAL
DAY = 86400.0
LOADED_TABLES = ["dossiers_dossier", "dossiers_uploadedfile", "dossiers_rating"]
CHUNK = 50_000  # dossiers per COPY round and per flush of the rollup contributions
PEOPLE = 4_000
EXTRA_COMMUNES = 100
YEARS = 3
ONLINE_SHARE, POST_SHARE = 0.5, 0.1  # of the procedures offered online; post among the rest
REFUSED_ONLINE = 0.03
LATE_SHARE = 0.05
SUPPLEMENTED, TWICE = 0.05, 0.005
WITHDRAWN, STOPPED = 0.015, 0.01
STUCK = 0.004  # old dossiers still open: the overdue stock
WAITING_OPEN = 0.12  # of the open dossiers, waiting for a supplement
RATED, E_RESULT = 0.25, 0.35
SCORES = (("very_satisfied", 0.62), ("satisfied", 0.33), ("dissatisfied", 0.05))
STAGE = "bench_stage_"


@dataclass
class Offer:
    version_id: int
    case_id: int
    competent_ids: list[int]  # the offer's competent agency, or every commune for a commune procedure
    competent_weights: list[float]  # cumulative
    online: bool
    receiving_ids: list[int]
    days: float


@dataclass
class Plan:
    offers: list[Offer]
    cum_weights: list[float]
    unit_codes: dict[int, str]
    officer: int
    citizens: list[int]
    people: list[tuple[str, str]]  # applicant columns (name .. address) pre-escaped, and the search text
    base_ids: dict[str, int]
    now: float


def add_communes(count: int = EXTRA_COMMUNES) -> int:
    """Make the province realistic in size: communes beside the demo's fourteen, through the org models."""
    from motcua.org.models import AdministrativeUnit, Agency

    province = Agency.objects.get(parent__isnull=True, kind="peoples_committee")
    made = 0
    for n in range(1, count + 1):
        unit, _ = AdministrativeUnit.objects.get_or_create(
            code=f"9{n:04d}",
            defaults={
                "name": f"Xã Thử nghiệm {n}",
                "level": "commune",
                "valid_from": dt.date(2025, 7, 1),
                "parent": province.administrative_unit,
                "is_demo": True,
            },
        )
        _, created = Agency.objects.get_or_create(
            identity_code=f"000.B{n // 100 + 1}.{n % 100:02d}.H26",
            defaults={
                "name": f"Ủy ban nhân dân Xã Thử nghiệm {n}",
                "kind": "peoples_committee",
                "administrative_unit": unit,
                "parent": province,
                "valid_from": dt.date(2025, 7, 1),
                "is_demo": True,
            },
        )
        made += created
    return made


def _read_plan(conn: psycopg.Connection, seed: int, now: float) -> Plan:
    rng = random.Random(seed)
    cur = conn.cursor()
    unit_codes = dict(cur.execute("SELECT id, identity_code FROM org_agency").fetchall())
    communes = [
        row[0]
        for row in cur.execute(
            """SELECT a.id FROM org_agency a JOIN org_administrativeunit u ON u.id = a.administrative_unit_id
               WHERE a.kind = 'peoples_committee' AND u.level = 'commune' AND a.valid_to IS NULL
               ORDER BY a.id"""
        )
    ]
    # Communes differ in size: a city ward takes several times the dossiers of a rural commune.
    commune_weights = list(itertools.accumulate(rng.lognormvariate(0, 0.7) for _ in communes))
    receiving: dict[int, list[int]] = {}
    for version_id, agency_id in cur.execute(
        "SELECT procedureversion_id, agency_id FROM catalog_procedureversion_receiving_units ORDER BY id"
    ):
        receiving.setdefault(version_id, []).append(agency_id)
    offers, weights = [], []
    for version_id, national_code, competent_id, online_level, case_id, value, unit in cur.execute(
        """SELECT v.id, p.national_code, v.competent_agency_id, v.online_level, c.id, c.time_value,
                  c.time_unit
           FROM catalog_procedureversion v JOIN catalog_procedure p ON p.id = v.procedure_id
           JOIN catalog_case c ON c.version_id = v.id
           WHERE v.valid_to IS NULL ORDER BY v.id, c.id"""
    ):
        commune = competent_id in communes
        offers.append(
            Offer(
                version_id,
                case_id,
                communes if commune else [competent_id],
                commune_weights if commune else [1.0],
                online_level != "none",
                receiving.get(version_id) or [competent_id],
                _bulk._calendar_days(value, unit),
            )
        )
        weights.append(_bulk.POPULARITY.get(national_code, 2))
    officer = cur.execute(
        "SELECT user_id FROM org_staffrole WHERE role = 'counter_officer' ORDER BY user_id"
    ).fetchone()
    citizens = [row[0] for row in cur.execute("SELECT user_id FROM org_citizenprofile ORDER BY user_id")]
    if officer is None or not citizens:
        raise RuntimeError("the demo province (motcua loaddemo) must be loaded first")
    base_ids = {
        table: cur.execute(
            sql.SQL("SELECT coalesce(max(id), 0) FROM {}").format(sql.Identifier(table))
        ).fetchone()[0]
        for table in LOADED_TABLES
    }
    people = []
    for _ in range(PEOPLE):
        born, name = birth_date(rng), person_name(rng)
        number = personal_id(rng, born)
        columns = (name, number, "", born.isoformat(), phone(rng), "", address(rng))
        people.append(("\t".join(map(_bulk._escape, columns)), fold_vietnamese(f"{name} {number}")))
    return Plan(
        offers,
        list(itertools.accumulate(weights)),
        unit_codes,
        officer[0],
        citizens,
        people,
        base_ids,
        now,
    )


class _Row:
    """What `facts._state` reads from the dossier object besides its lifecycle."""

    __slots__ = ("channel", "procedure_version_id")

    def __init__(self, procedure_version_id: int, channel: str) -> None:
        self.procedure_version_id = procedure_version_id
        self.channel = channel


def _moment(epoch: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(epoch, LOCAL)


def _in_office(epoch: float, rng: random.Random) -> float:
    """The same day's office hours (or the next working day's): officers act at their desks."""
    day = _moment(epoch).date()
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return _bulk._office_moment(day, rng)


def _ts(epoch: float | None) -> str:
    return _bulk.NULL if epoch is None else _moment(epoch).isoformat(sep=" ")


def _one_dossier(
    plan: Plan,
    rng: random.Random,
    out: dict[str, io.StringIO],
    tally: Counter[Contribution],
    day: dt.date,
    created: float,
    sequence: dict[int, int],
    ids: tuple[int, int, int],
) -> None:
    dossier_id, file_id, rating_id = ids
    offer = rng.choices(plan.offers, cum_weights=plan.cum_weights)[0]
    competent = rng.choices(offer.competent_ids, cum_weights=offer.competent_weights)[0]
    online = offer.online and rng.random() < ONLINE_SHARE
    channel = "online" if online else ("post" if rng.random() < POST_SHARE else "counter")
    receiving = rng.choice(offer.receiving_ids)
    sequence[receiving] = number = sequence.get(receiving, 0) + 1
    code = f"{plan.unit_codes[receiving]}-{day:%y%m%d}-{number:04d}"
    citizen = rng.choice(plan.citizens) if online else None
    now = plan.now

    received: float | None = created + rng.uniform(0.02, 0.25) * DAY if online else created
    due = finished = returned = waiting_since = None
    supplements = 0
    score = ""
    result_file = False
    if online and (created > now - 0.25 * DAY or rng.random() < REFUSED_ONLINE):
        status = "submitted" if created > now - 0.25 * DAY else "refused_at_receipt"
        received = None
    else:
        assert received is not None
        due = received + offer.days * DAY
        late = rng.random()
        factor = (
            rng.uniform(1.15, 1.8)
            if late < LATE_SHARE
            else rng.uniform(0.75, 0.95)
            if late < 0.35
            else rng.uniform(0.2, 0.75)
        )
        finish = received + offer.days * factor * DAY
        asked = rng.random()
        supplements = 2 if asked < TWICE else 1 if asked < SUPPLEMENTED else 0
        if supplements:
            # The legal clock stops while the applicant completes the file: the appointment moves with it.
            pause = rng.uniform(2, 10) * DAY
            finish += pause
            due += pause
        # The legal clock ends in office hours on a working day.
        due = max(_in_office(due, rng), received + 3600)
        roll = rng.random()
        if finish > now or roll < STUCK:
            if received > now - 0.1 * DAY:
                status = "received"
            elif rng.random() < WAITING_OPEN:
                status = "supplement_requested"
                supplements = max(supplements, 1)
                waiting_since = _in_office(rng.uniform(received, now), rng)
                waiting_since = min(waiting_since, now - 60)
            else:
                status = "in_process" if rng.random() < 0.9 else "awaiting_payment"
        else:
            finish = _in_office(finish, rng)
            if roll < STUCK + WITHDRAWN:
                status, finished = "withdrawn", received + (finish - received) * 0.5
            elif roll < STUCK + WITHDRAWN + STOPPED:
                status, finished = "stopped", received + (finish - received) * 0.8
            else:
                finished = min(finish, now - 60)
                returned = finished + rng.uniform(0.1, 3) * DAY
                if returned > now:
                    status, returned = "result_ready", None
                else:
                    status = "returned"
                    if rng.random() < RATED:
                        score = _score(rng)
                result_file = rng.random() < E_RESULT
    opened = status in ("submitted", "received", "refused_at_receipt")
    current_unit = receiving if opened else competent
    closed = returned if status == "returned" else finished if status in ("withdrawn", "stopped") else None
    if status == "refused_at_receipt":
        closed = created + 0.2 * DAY
    version = {"submitted": 1, "refused_at_receipt": 2, "received": 2 if online else 1}.get(
        status, rng.randint(4, 6) + (3 if status in ("result_ready", "returned") else 0) + 2 * supplements
    )

    state = facts._state(
        _Row(offer.version_id, channel),  # type: ignore[arg-type]
        facts._Lifecycle(
            status=status,
            agency=competent,
            received_at=_moment(received) if received is not None else None,
            due_at=_moment(due) if due is not None else None,
            finished_at=_moment(finished) if finished is not None else None,
            supplement_requested_at=_moment(waiting_since) if waiting_since is not None else None,
            supplements=supplements,
            result_file=result_file,
            unit=current_unit,
            step="",
        ),
        False,
        score,
    )
    tally.update(contributions(state))

    stamp = _ts(created)
    author = citizen if citizen is not None else plan.officer
    if result_file:
        out["dossiers_uploadedfile"].write(
            f"{file_id}\tresults/{day:%Y/%m}/result-{dossier_id}.pdf\tresult.pdf\tapplication/pdf\t"
            f"{rng.randrange(40_000, 400_000)}\t{dossier_id:064x}\t{_ts(finished)}\t{plan.officer}\n"
        )
    if score:
        assert returned is not None
        rated = returned + rng.uniform(0, 0.2) * DAY
        by, how = (citizen, "portal") if citizen is not None else (plan.officer, "kiosk")
        out["dossiers_rating"].write(f"{rating_id}\t{score}\t\t{how}\t{_ts(rated)}\t{dossier_id}\t{by}\n")
    person, search_text = rng.choice(plan.people)
    payment = status == "awaiting_payment"
    result = status in ("result_ready", "returned")
    null = _bulk.NULL
    out["dossiers_dossier"].write(
        "\t".join(
            (
                str(dossier_id),
                code,
                "[]",
                channel,
                "online" if online and rng.random() < 0.3 else "counter",
                status,
                "in_process" if status in ("supplement_requested", "awaiting_payment") else "",
                str(version),
                "person",
                person,
                null,
                search_text,
                "{}",
                stamp,
                stamp if online else null,
                _ts(received),
                _ts(received),
                _ts(due),
                null,
                "0",
                "f",
                str(supplements),
                _ts(waiting_since),
                null,
                "50000" if payment else "0",
                "0",
                _ts(finished),
                _ts(returned),
                _ts(closed),
                f"{dossier_id % 9999 + 1}/KQ" if result else "",
                "{}",
                "t",
                null if citizen is None else str(citizen),
                null,
                str(offer.case_id),
                str(competent),
                str(author),
                str(current_unit),
                str(offer.version_id),
                str(receiving),
                null,
                str(file_id) if result_file else null,
            )
        )
        + "\n"
    )


def _score(rng: random.Random) -> str:
    return rng.choices([s for s, _ in SCORES], weights=[w for _, w in SCORES])[0]


COPY_COLUMNS = {
    "dossiers_uploadedfile": _bulk.FILE_COLUMNS,
    "dossiers_rating": "id, score, comment, channel, rated_at, dossier_id, rated_by_id",
    "dossiers_dossier": _bulk.DOSSIER_COLUMNS,
}


# --- rollups: staged per chunk, summed once -----------------------------------------------------------------


def _value_columns(table: str) -> list[str]:
    model = TABLES[table][0]
    taken = {"id", *key_columns(table)}
    return [f.column for f in model._meta.concrete_fields if f.column not in taken]


def _stage_tables(conn: psycopg.Connection) -> None:
    for table, (model, _, _) in TABLES.items():
        conn.execute(f"DROP TABLE IF EXISTS {STAGE}{table}")
        columns = ", ".join(key_columns(table) + tuple(_value_columns(table)))
        conn.execute(
            f"CREATE UNLOGGED TABLE {STAGE}{table} AS SELECT {columns} FROM {model._meta.db_table} LIMIT 0"
        )
    conn.commit()


def _copy_value(value: Any) -> str:
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dt.date):
        return value.isoformat()
    return _bulk._escape(str(value))


def _stage(cur: psycopg.Cursor, tally: Counter[Contribution]) -> None:
    for table, by_key in rows(tally).items():
        values = _value_columns(table)
        buffer = io.StringIO()
        for key, columns in by_key.items():
            buffer.write(
                "\t".join([*map(_copy_value, key), *(str(columns.get(c, 0)) for c in values)]) + "\n"
            )
        with cur.copy(
            f"COPY {STAGE}{table} ({', '.join(key_columns(table) + tuple(values))}) FROM STDIN"
        ) as c:
            c.write(buffer.getvalue())


def _sum_stages(conn: psycopg.Connection) -> dict[str, int]:
    """Each rollup row is the sum of its staged parts; rows that sum to nothing are not kept, as
    `tallies.insert_all` and `tallies.apply` leave none."""
    written = {}
    for table, (model, _, _) in TABLES.items():
        keys = ", ".join(key_columns(table))
        values = _value_columns(table)
        sums = ", ".join(f"sum({c})" for c in values)
        nonzero = " OR ".join(f"sum({c}) <> 0" for c in values)
        done = conn.execute(
            f"INSERT INTO {model._meta.db_table} ({keys}, {', '.join(values)}) "
            f"SELECT {keys}, {sums} FROM {STAGE}{table} GROUP BY {keys} HAVING {nonzero}"
        )
        written[model._meta.db_table] = done.rowcount
        conn.execute(f"DROP TABLE {STAGE}{table}")
    conn.commit()
    return written


# --- the load -----------------------------------------------------------------------------------------------


def _generate(
    plan: Plan, days: list[tuple[dt.date, int]], first_offset: int, seed: int, conninfo: str
) -> list[tuple[int, dt.date, int]]:
    rng = random.Random(seed)
    counters: list[tuple[int, dt.date, int]] = []
    bases = [plan.base_ids[t] + 1 + first_offset for t in ("dossiers_dossier", "dossiers_uploadedfile")]
    bases.append(plan.base_ids["dossiers_rating"] + 1 + first_offset)
    buffers = {t: io.StringIO() for t in LOADED_TABLES}
    tally: Counter[Contribution] = Counter()
    offset = pending = 0
    with psycopg.connect(conninfo) as conn:
        conn.execute("SET synchronous_commit = off")  # a crash loses only a database rebuilt on each run

        def flush() -> None:
            nonlocal tally
            with conn.cursor() as cur:
                for table in LOADED_TABLES[::-1]:  # files before the dossiers naming them, as an app writes
                    if table == "dossiers_rating":
                        continue
                    _copy(cur, table, buffers)
                _copy(cur, "dossiers_rating", buffers)
                _stage(cur, tally)
            conn.commit()
            tally = Counter()

        for day, count in days:
            moments = sorted(_bulk._office_moment(day, rng) for _ in range(count))
            sequence: dict[int, int] = {}
            for created in moments:
                ids = (bases[0] + offset, bases[1] + offset, bases[2] + offset)
                _one_dossier(plan, rng, buffers, tally, day, created, sequence, ids)
                offset += 1
                pending += 1
            counters += [(unit, day, last) for unit, last in sequence.items()]
            if pending >= CHUNK:
                flush()
                pending = 0
        flush()
    return counters


def _copy(cur: psycopg.Cursor, table: str, buffers: dict[str, io.StringIO]) -> None:
    data = buffers[table].getvalue()
    if data:
        with cur.copy(f"COPY {table} ({COPY_COLUMNS[table]}) FROM STDIN") as copy:
            copy.write(data)
    buffers[table] = io.StringIO()


def load(conninfo: str, total: int, today: dt.date, seed: int = 11, log: Any = print) -> dict[str, float]:
    """Add `total` dossiers received over the `YEARS` years up to yesterday, with their rollups; returns the
    time of each phase. Runs inside a Django process (the stats code reads the catalogue through the ORM)."""
    timings: dict[str, float] = {}
    started = time.perf_counter()
    now = dt.datetime.combine(today, dt.time(7), LOCAL).timestamp()  # early on `today`, before opening
    first_day = today.replace(year=today.year - YEARS)
    days = _bulk._working_days(first_day, today - dt.timedelta(days=1))
    with psycopg.connect(conninfo) as conn:
        plan = _read_plan(conn, seed, now)
        counts = _bulk._day_counts(total, days, random.Random(seed))
        schema = _bulk._schema(conn, LOADED_TABLES)
        _bulk._drop(conn, schema)
        _stage_tables(conn)
    # Warm the per-process caches the stats code reads before forking, and fork without open connections.
    for offer in plan.offers:
        version_dimensions(offer.version_id)
    calendar_for()
    connections.close_all()
    timings["prepare"] = time.perf_counter() - started

    half = next(i for i in range(len(days)) if sum(counts[: i + 1]) >= total / 2) + 1
    parts = [(list(zip(days[:half], counts[:half], strict=True)), 0)]
    parts.append((list(zip(days[half:], counts[half:], strict=True)), sum(counts[:half])))
    mark = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(len(parts)) as pool:
        results = [
            pool.apply_async(_generate, (plan, part, offset, seed + n + 1, conninfo))
            for n, (part, offset) in enumerate(parts)
        ]
        counters = [row for r in results for row in r.get()]
    timings["generate and copy"] = time.perf_counter() - mark
    log(
        f"  generated and copied {total:,} dossiers and staged their rollups "
        f"in {timings['generate and copy']:.1f} s"
    )

    mark = time.perf_counter()
    with psycopg.connect(conninfo) as conn:
        conn.execute("SET work_mem = '1GB'")
        written = _sum_stages(conn)
    timings["rollups"] = time.perf_counter() - mark
    log(
        f"  summed the rollups in {timings['rollups']:.1f} s: "
        + ", ".join(f"{t} {n:,}" for t, n in written.items())
    )

    mark = time.perf_counter()
    _bulk._restore(conninfo, schema)
    timings["indexes and foreign keys"] = time.perf_counter() - mark
    log(f"  rebuilt indexes and validated foreign keys in {timings['indexes and foreign keys']:.1f} s")

    mark = time.perf_counter()
    with psycopg.connect(conninfo, autocommit=True) as conn:
        with (
            conn.cursor() as cur,
            cur.copy("COPY dossiers_dossiercodecounter (agency_id, day, last) FROM STDIN") as copy,
        ):
            for unit, day, last in counters:
                copy.write_row((unit, day, last))
        for table in LOADED_TABLES:
            conn.execute(
                sql.SQL(
                    "SELECT setval(pg_get_serial_sequence({t}, 'id'), (SELECT coalesce(max(id), 1) FROM {i}))"
                ).format(t=sql.Literal(table), i=sql.Identifier(table))
            )
        conn.execute("SET maintenance_work_mem = '512MB'")
        tallies = [model._meta.db_table for model, _, _ in TABLES.values()]
        for table in [*LOADED_TABLES, "dossiers_dossiercodecounter", *tallies]:
            conn.execute(sql.SQL("VACUUM (ANALYZE) {}").format(sql.Identifier(table)))
    timings["vacuum analyze"] = time.perf_counter() - mark
    timings["total"] = time.perf_counter() - started
    return timings
