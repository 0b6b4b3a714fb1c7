"""Bulk history for the read and list benchmarks: dossiers COPYed into the real tables, fastest honest way.

"Honest" means the rows are the ones the application would have written, in its own tables, with every index
and constraint in place when the benchmark reads them: the demo catalogue's procedures, cases, documents and
workflows; receiving points, competent agencies and codes as intake makes them (gap-free per unit and day,
with the code counters brought up to date); statuses, dates and steps distributed as the simulator's history;
one scanned file per dossier behind its mandatory documents, and its creation event plus its latest one.

"Fastest" is what pg_restore does: drop the loaded tables' secondary indexes and foreign keys, COPY with two
processes (one per core), then rebuild the indexes and re-add the foreign keys, which PostgreSQL validates
against every row, and VACUUM ANALYZE. Loading into live indexes and deferred foreign-key triggers costs
several times more for the same end state.

Shortcuts, stated: due dates count calendar time from the case's duration (about 1.4 calendar days per working
day) instead of running the legal clock for each row; only open dossiers carry a step row (their current
step), not the closed steps of finished ones; the uploaded files exist as rows (metadata), not on disk.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import multiprocessing
import random
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg import sql

from motcua.core import hashchain
from motcua.core.identifiers import new_lookup_key
from motcua.core.text import fold_vietnamese
from motcua.demo.samples import address, birth_date, fill_form, person_name, personal_id, phone

LOCAL = dt.timezone(dt.timedelta(hours=7))
LOADED_TABLES = [
    "dossiers_dossier",
    "dossiers_uploadedfile",
    "dossiers_dossierdocument",
    "dossiers_dossierevent",
    "dossiers_dossierstep",
]
CITIZENS = 5_000
CHUNK = 20_000  # dossiers per COPY round: a few tens of MB of text in memory per process
FORMS_PER_CASE = 200
# How often each procedure comes in, relative to the rest (the catalogue's default is 2): certification and
# civil status dominate a commune's counter, land and construction come in less often but stay open longer.
POPULARITY = {
    "2.000815": 30,  # certified copies
    "2.000884": 12,  # signature certification
    "1.001193": 14,  # birth registration
    "1.000894": 5,  # marriage
    "1.000656": 4,  # death
    "2.000635": 6,  # civil status extracts
    "1.004222": 8,  # permanent residence
    "DEMO.0023": 8,  # driving licence renewal
    "DEMO.0022": 6,  # criminal record
    "DEMO.0021": 6,  # land transfer
    "DEMO.0017": 4,  # household business
}
ONLINE_SHARE, POST_SHARE = 0.55, 0.05
LATE_FACTORS = [0.3, 0.5, 0.7, 0.9, 0.9, 1.0, 1.4]  # the simulator's: one dossier in seven runs late

DOSSIER_COLUMNS = (
    "id, code, other_codes, channel, result_delivery, status, status_before, version, applicant_kind, "
    "applicant_name, applicant_id_number, applicant_tax_code, applicant_date_of_birth, applicant_phone, "
    "applicant_email, applicant_address, representative, search_text, form_data, created_at, submitted_at, "
    "received_at, counting_from, due_at, new_appointment_at, apology_count, needs_fix, supplement_count, "
    "supplement_requested_at, supplement_submitted_at, fee_due, fee_paid, finished_at, returned_at, "
    "closed_at, result_number, return_details, is_demo, applicant_user_id, assignee_id, case_id, "
    "competent_authority_id, created_by_id, current_unit_id, procedure_version_id, receiving_unit_id, "
    "current_step_id, result_file_id, lookup_key"
)
FILE_COLUMNS = "id, file, original_name, content_type, size, sha256, created_at, owner_id"
DOCUMENT_COLUMNS = "added_at, dossier_id, requirement_id, supplement_id, file_id, submitted_as, copies"
EVENT_COLUMNS = (
    "action, at, from_status, to_status, version, note, data, actor_id, actor_unit_id, dossier_id, "
    "prev_hash, hash, hash_algorithm"
)
STEP_COLUMNS = (
    "id, workflow_order, name, role, budget_minutes, started_at, due_at, finished_at, outcome, agency_id, "
    "assignee_id, dossier_id, workflow_step_id"
)
NULL = "\\N"


@dataclass
class Offer:
    """One case of one procedure in force, with everything a dossier of it needs."""

    version_id: int
    case_id: int
    national_code: str
    competent_id: int
    online: bool
    receiving_ids: list[int]
    days: float  # its processing time in calendar days
    documents: list[int]
    steps: list[tuple[int, int, str, str, int | None, int]]  # id, order, name, role, agency, budget hours
    forms: list[str] = field(default_factory=list)


@dataclass
class Plan:
    offers: list[Offer]
    weights: list[int]
    unit_codes: dict[int, str]
    counter_officers: dict[int, int]  # receiving unit → the officer who receives there
    specialists: dict[int, list[int]]
    leaders: dict[int, int]
    citizens: list[int]
    base_ids: dict[str, int]
    now: float


def _escape(text: str) -> str:
    """COPY text format: backslash, tab and line breaks are the only characters it treats specially."""
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _ts(epoch: float | None) -> str:
    return NULL if epoch is None else dt.datetime.fromtimestamp(epoch, LOCAL).isoformat(sep=" ")


def _sealed(
    code: str,
    action: str,
    actor: int,
    unit: int | None,
    at: float,
    from_status: str,
    to_status: str,
    version: int,
    data: dict[str, Any],
    prev_hash: str = hashchain.GENESIS,
) -> str:
    """The hash the dossier chain gives this event (the same content as `motcua.dossiers.chain`)."""
    content = {
        "dossier": code,
        "action": action,
        "actor": actor,
        "unit": unit,
        "at": hashchain.timestamp(dt.datetime.fromtimestamp(at, LOCAL)),
        "from": from_status,
        "to": to_status,
        "version": version,
        "note": "",
        "data": data,
    }
    return hashchain.link(prev_hash, content)


def _calendar_days(value: int, unit: str) -> float:
    return {"working_days": value * 1.4, "working_hours": value / 8 * 1.4, "days": float(value)}.get(
        unit, 30.0
    )


def _read_plan(conn: psycopg.Connection, seed: int, now: float) -> Plan:
    rng = random.Random(seed)
    cur = conn.cursor()
    unit_codes = dict(cur.execute("SELECT id, identity_code FROM org_agency").fetchall())
    roles = cur.execute("SELECT user_id, agency_id, role FROM org_staffrole ORDER BY user_id").fetchall()
    counter_officers: dict[int, int] = {}
    specialists: dict[int, list[int]] = {}
    leaders: dict[int, int] = {}
    for user_id, agency_id, role in roles:
        if role == "counter_officer":
            counter_officers.setdefault(agency_id, user_id)
        elif role == "specialist":
            specialists.setdefault(agency_id, []).append(user_id)
        elif role == "unit_leader":
            leaders.setdefault(agency_id, user_id)
    receiving: dict[int, list[int]] = {}
    for version_id, agency_id in cur.execute(
        "SELECT procedureversion_id, agency_id FROM catalog_procedureversion_receiving_units ORDER BY id"
    ):
        receiving.setdefault(version_id, []).append(agency_id)
    documents: dict[int, list[int]] = {}
    for case_id, doc_id in cur.execute(
        'SELECT case_id, id FROM catalog_requireddocument WHERE mandatory ORDER BY case_id, "order", id'
    ):
        documents.setdefault(case_id, []).append(doc_id)
    steps: dict[int, list[tuple[int, int, str, str, int | None, int]]] = {}
    for row in cur.execute(
        'SELECT case_id, id, "order", name, role, agency_id, budget_hours FROM catalog_workflowstep '
        'ORDER BY case_id, "order"'
    ):
        steps.setdefault(row[0], []).append(row[1:])
    offers = []
    for version_id, national_code, competent_id, online_level, case_id, value, unit, schema in cur.execute(
        """SELECT v.id, p.national_code, v.competent_agency_id, v.online_level, c.id, c.time_value,
                  c.time_unit, c.form_schema
           FROM catalog_procedureversion v JOIN catalog_procedure p ON p.id = v.procedure_id
           JOIN catalog_case c ON c.version_id = v.id
           WHERE v.valid_to IS NULL ORDER BY v.id, c.id"""
    ):
        forms = [
            _escape(json.dumps(fill_form(schema, rng), ensure_ascii=False)) if schema else "{}"
            for _ in range(FORMS_PER_CASE)
        ]
        offers.append(
            Offer(
                version_id,
                case_id,
                national_code,
                competent_id,
                online_level != "none",
                receiving.get(version_id) or [competent_id],
                _calendar_days(value, unit),
                documents.get(case_id, []),
                steps.get(case_id, []),
                forms,
            )
        )
    missing = {u for o in offers for u in o.receiving_ids} - counter_officers.keys()
    if missing:
        raise RuntimeError(f"no counter officer at receiving units {sorted(missing)}")
    citizens = [row[0] for row in cur.execute("SELECT user_id FROM org_citizenprofile ORDER BY user_id")]
    base_ids = {
        table: cur.execute(
            sql.SQL("SELECT coalesce(max(id), 0) FROM {}").format(sql.Identifier(table))
        ).fetchone()[0]
        for table in ("dossiers_dossier", "dossiers_uploadedfile", "dossiers_dossierstep")
    }
    weights = [POPULARITY.get(o.national_code, 2) for o in offers]
    return Plan(offers, weights, unit_codes, counter_officers, specialists, leaders, citizens, base_ids, now)


def _add_citizens(conn: psycopg.Connection, count: int, seed: int) -> None:
    """Online applicants: accounts with a personal number, as `createcitizen` makes them (no password)."""
    rng = random.Random(seed)
    joined = dt.datetime(2025, 6, 1, tzinfo=LOCAL)
    with conn.cursor() as cur:
        with cur.copy(
            "COPY auth_user (password, is_superuser, username, first_name, last_name, email, is_staff, "
            "is_active, date_joined) FROM STDIN"
        ) as copy:
            for n in range(count):
                first, _, last = person_name(rng).rpartition(" ")
                copy.write(f"!bench\tf\tbench.congdan.{n}\t{first}\t{last}\t\tf\tt\t{joined.isoformat()}\n")
        users = cur.execute(
            "SELECT id FROM auth_user WHERE username LIKE 'bench.congdan.%%' ORDER BY id"
        ).fetchall()
        with cur.copy("COPY org_citizenprofile (id_number, phone, user_id) FROM STDIN") as copy:
            taken: set[str] = set()
            for (user_id,) in users:
                number = personal_id(rng, birth_date(rng))
                while number in taken:
                    number = personal_id(rng, birth_date(rng))
                taken.add(number)
                copy.write(f"{number}\t{phone(rng)}\t{user_id}\n")
    conn.commit()


def _working_days(first: dt.date, last: dt.date) -> list[dt.date]:
    """Monday to Friday; the bulk history does not need the holidays to be realistic in volume."""
    days, day = [], first
    while day <= last:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _day_counts(total: int, days: list[dt.date], rng: random.Random) -> list[int]:
    # Mondays are busiest, Fridays quietest, and the volume grows over the period as online use spreads.
    raw = [
        (1.25, 1.05, 1.0, 0.95, 0.85)[d.weekday()] * (0.7 + 0.6 * i / len(days)) * rng.uniform(0.85, 1.15)
        for i, d in enumerate(days)
    ]
    scale = total / sum(raw)
    counts = [int(r * scale) for r in raw]
    counts[-1] += total - sum(counts)
    return counts


def _office_moment(day: dt.date, rng: random.Random) -> float:
    minute = rng.randrange(480)  # 8 working hours: 08:00-12:00, then 13:00-17:00
    start = dt.datetime(day.year, day.month, day.day, 8, tzinfo=LOCAL).timestamp()
    return start + (minute if minute < 240 else minute + 60) * 60 + rng.randrange(60)


def _generate(
    plan: Plan, days: list[tuple[dt.date, int]], first_offset: int, seed: int, conninfo: str
) -> list[tuple[int, dt.date, int]]:
    """Write the dossiers of `days` (each with its count) and their rows; return the code counters used."""
    rng = random.Random(seed)
    counters: list[tuple[int, dt.date, int]] = []
    d_base = plan.base_ids["dossiers_dossier"] + 1 + first_offset
    f_base = plan.base_ids["dossiers_uploadedfile"] + 1 + first_offset
    s_base = plan.base_ids["dossiers_dossierstep"] + 1 + first_offset
    buffers = {t: io.StringIO() for t in LOADED_TABLES}
    pending = 0
    offset = 0
    with psycopg.connect(conninfo) as conn:
        # A chunk's commit need not wait for its WAL flush: the rows end up the same, and a crash would only
        # lose a database that is rebuilt on every run anyway.
        conn.execute("SET synchronous_commit = off")

        def flush() -> None:
            with conn.cursor() as cur:
                for table, columns in (
                    ("dossiers_uploadedfile", FILE_COLUMNS),
                    ("dossiers_dossierstep", STEP_COLUMNS),
                    ("dossiers_dossier", DOSSIER_COLUMNS),
                    ("dossiers_dossierdocument", DOCUMENT_COLUMNS),
                    ("dossiers_dossierevent", EVENT_COLUMNS),
                ):
                    data = buffers[table].getvalue()
                    if data:
                        with cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                            copy.write(data)
                    buffers[table] = io.StringIO()
            conn.commit()

        for day, count in days:
            moments = sorted(_office_moment(day, rng) for _ in range(count))
            sequence: dict[int, int] = {}
            for created in moments:
                ids = (d_base + offset, f_base + offset, s_base + offset)
                _one_dossier(plan, rng, buffers, day, created, sequence, *ids)
                offset += 1
                pending += 1
            counters += [(unit, day, last) for unit, last in sequence.items()]
            if pending >= CHUNK:
                flush()
                pending = 0
        flush()
    return counters


def _one_dossier(
    plan: Plan,
    rng: random.Random,
    out: dict[str, io.StringIO],
    day: dt.date,
    created: float,
    sequence: dict[int, int],
    dossier_id: int,
    file_id: int,
    step_id: int,
) -> None:
    offer = rng.choices(plan.offers, plan.weights)[0]
    online = offer.online and rng.random() < ONLINE_SHARE
    channel = "online" if online else ("post" if rng.random() < POST_SHARE else "counter")
    receiving = rng.choice(offer.receiving_ids)
    sequence[receiving] = number = sequence.get(receiving, 0) + 1
    code = f"{plan.unit_codes[receiving]}-{day:%y%m%d}-{number:04d}"
    officer = plan.counter_officers[receiving]
    citizen = rng.choice(plan.citizens) if online else None
    author = citizen if online else officer
    age_days = (plan.now - created) / 86400
    late = rng.choice(LATE_FACTORS)
    steps = offer.steps

    # Where the dossier stands today: the younger it is relative to its processing time, the likelier open.
    received: float | None = created
    finished = returned = closed = None
    step: tuple[int, int, str, str, int | None, int] | None = None
    if online and age_days < 0.25:
        status, received = "submitted", None
    elif online and rng.random() < 0.04:
        status, received, closed = "refused_at_receipt", None, created + 0.2 * 86400
    else:
        if online:
            received = created + rng.uniform(0.02, 0.25) * 86400
        finish_after = offer.days * late
        roll = rng.random()
        if age_days < 0.05:
            status = "received"
        elif age_days < finish_after or roll < 0.01:  # 1 % stuck long past their due date
            status = (
                "in_process"
                if roll < 0.85
                else ("supplement_requested" if roll < 0.95 else "awaiting_payment")
            )
            step = rng.choice(steps) if steps else None
        elif roll < 0.02:
            status, finished = "withdrawn", received + finish_after * 0.5 * 86400
            closed = finished
        elif roll < 0.04:
            status, finished = "stopped", received + finish_after * 0.8 * 86400
            closed = finished
        else:
            finished = received + finish_after * 86400
            if age_days < finish_after + 3 and roll < 0.6:
                status = "result_ready"
            else:
                status = "returned"
                returned = closed = finished + rng.uniform(0.1, 3) * 86400
    competent = offer.competent_id
    step_unit = (step[4] or competent) if step else competent
    opened = status in ("submitted", "received", "refused_at_receipt")
    current_unit = receiving if opened else step_unit
    assignee = None
    if not opened and plan.specialists.get(step_unit):
        assignee = rng.choice(plan.specialists[step_unit])
    due = received + offer.days * 86400 if received is not None else None
    version = {"submitted": 1, "refused_at_receipt": 2, "received": 2 if online else 1}.get(
        status, rng.randint(4, 6) + (3 if status in ("result_ready", "returned") else 0)
    )

    born = birth_date(rng)
    name = person_name(rng)
    id_number = personal_id(rng, born)
    current_step_id = NULL
    if step is not None and received is not None:
        started = received + rng.uniform(0.05, 0.6) * max(age_days, 0.1) * 86400
        budget = step[5]
        step_assignee = assignee if step[3] == "specialist" and assignee else None
        out["dossiers_dossierstep"].write(
            f"{step_id}\t{step[1]}\t{_escape(step[2])}\t{step[3]}\t{budget * 60}\t{_ts(started)}\t"
            f"{_ts(started + budget / 8 * 1.4 * 86400)}\t{NULL}\t\t{step_unit}\t"
            f"{NULL if step_assignee is None else step_assignee}\t{dossier_id}\t{step[0]}\n"
        )
        current_step_id = str(step_id)
    supplement = status == "supplement_requested"
    payment = status == "awaiting_payment"
    result = status in ("result_ready", "returned")
    return_details = (
        _escape(json.dumps({"recipient_name": name, "recipient_id_number": "", "waybill_number": ""}))
        if returned
        else "{}"
    )
    out["dossiers_dossier"].write(
        "\t".join(
            (
                str(dossier_id),
                code,
                "[]",
                channel,
                "online" if online and rng.random() < 0.3 else "counter",
                status,
                "in_process" if supplement or payment else "",
                str(version),
                "person",
                name,
                id_number,
                "",
                born.isoformat(),
                phone(rng),
                "",
                address(rng),
                NULL,
                fold_vietnamese(f"{name} {id_number}"),
                rng.choice(offer.forms),
                _ts(created),
                _ts(created) if online else NULL,
                _ts(received),
                _ts(received),
                _ts(due),
                NULL,
                "0",
                "f",
                "1" if supplement else "0",
                _ts(plan.now - 86400) if supplement else NULL,
                NULL,
                "50000" if payment else "0",
                "0",
                _ts(finished),
                _ts(returned),
                _ts(closed),
                f"{rng.randrange(1, 9999)}/KQ" if result else "",
                return_details,
                "t",
                NULL if citizen is None else str(citizen),
                NULL if assignee is None else str(assignee),
                str(offer.case_id),
                str(competent),
                str(author),
                str(current_unit),
                str(offer.version_id),
                str(receiving),
                current_step_id,
                NULL,
                new_lookup_key(),
            )
        )
        + "\n"
    )
    stamp = _ts(created)
    out["dossiers_uploadedfile"].write(
        f"{file_id}\tuploads/{day:%Y/%m}/scan-{file_id}.pdf\tscan.pdf\tapplication/pdf\t"
        f"{rng.randrange(40_000, 2_000_000)}\t{hashlib.sha256(str(file_id).encode()).hexdigest()}\t{stamp}\t"
        f"{author}\n"
    )
    for requirement in offer.documents:
        out["dossiers_dossierdocument"].write(
            f"{stamp}\t{dossier_id}\t{requirement}\t{NULL}\t{file_id}\telectronic\t1\n"
        )
    first = "submit" if online else "receive"
    first_status = "submitted" if online else "received"
    actor_unit = NULL if online else str(receiving)
    first_data = {"channel": channel, "due_at": None if online else _ts(due).replace(" ", "T")}
    data = _escape(json.dumps(first_data))
    # Each dossier's events are a hash chain (ADR 0015): the loaded history is sealed as the services seal it,
    # so that `motcua audit verify` passes on a benchmark database too.
    first_unit = None if online else int(receiving)
    head = _sealed(code, first, int(author), first_unit, created, "", first_status, 1, first_data)
    out["dossiers_dossierevent"].write(
        f"{first}\t{stamp}\t\t{first_status}\t1\t\t{data}\t{author}\t{actor_unit}\t{dossier_id}\t"
        f"{hashchain.GENESIS}\t{head}\t{hashchain.ALGORITHM}\n"
    )
    if version > 1:
        last_action = {
            "refused_at_receipt": "refuse",
            "received": "accept",
            "in_process": "assign",
            "supplement_requested": "request_supplement",
            "awaiting_payment": "request_payment",
            "result_ready": "issue_result",
            "returned": "return_result",
            "withdrawn": "withdraw",
            "stopped": "stop",
        }[status]
        at = closed or finished or received or created
        actor = officer if last_action in ("refuse", "accept", "return_result", "withdraw") else None
        actor = actor or assignee or plan.leaders.get(current_unit) or officer
        source = "received" if last_action == "accept" else "in_process"
        source = "submitted" if last_action in ("refuse", "accept") else source
        source = "result_ready" if last_action == "return_result" else source
        unit = int(current_unit)
        last = _sealed(code, last_action, int(actor), unit, at, source, status, version, {}, head)
        out["dossiers_dossierevent"].write(
            f"{last_action}\t{_ts(at)}\t{source}\t{status}\t{version}\t\t{{}}\t{actor}\t{current_unit}\t"
            f"{dossier_id}\t{head}\t{last}\t{hashchain.ALGORITHM}\n"
        )


# --- the load itself ---------------------------------------------------------------------------------------


@dataclass
class _Schema:
    """The secondary indexes and the constraints of the loaded tables, as PostgreSQL prints them."""

    indexes: list[tuple[str, str]]  # name, CREATE INDEX statement
    uniques: list[tuple[str, str, str]]  # table, name, definition
    foreign_keys: list[tuple[str, str, str]]


def _schema(conn: psycopg.Connection, tables: list[str] = LOADED_TABLES) -> _Schema:
    cur = conn.cursor()
    constraints = cur.execute(
        """SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), contype FROM pg_constraint
           WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('f', 'u') ORDER BY conname""",
        [tables],
    ).fetchall()
    indexes = cur.execute(
        """SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
           WHERE i.indrelid = ANY(%s::regclass[]) AND NOT EXISTS (
               SELECT 1 FROM pg_constraint c
               WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid AND c.contype IN ('p', 'u', 'x'))
           ORDER BY 1""",
        [tables],
    ).fetchall()
    return _Schema(
        indexes,
        [(t, n, d) for t, n, d, kind in constraints if kind == "u"],
        [(t, n, d) for t, n, d, kind in constraints if kind == "f"],
    )


def _drop(conn: psycopg.Connection, schema: _Schema) -> None:
    with conn.transaction():
        for table, name, _ in schema.foreign_keys + schema.uniques:
            conn.execute(
                sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(sql.SQL(table), sql.Identifier(name))
            )
        for name, _ in schema.indexes:
            conn.execute(sql.SQL("DROP INDEX {}").format(sql.SQL(name)))


def _parallel(conninfo: str, statements: list[str], sessions: int = 2) -> None:
    """Run independent DDL statements on `sessions` connections at once (index builds use one core each)."""
    queue = list(reversed(statements))
    lock = threading.Lock()
    failures: list[BaseException] = []

    def drain() -> None:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute("SET maintenance_work_mem = '256MB'")
            conn.execute(
                "SET max_parallel_maintenance_workers = 0"
            )  # the two sessions already fill both cores
            while True:
                with lock:
                    if not queue or failures:
                        return
                    statement = queue.pop()
                try:
                    conn.execute(statement)
                except BaseException as exc:
                    failures.append(exc)
                    return

    threads = [threading.Thread(target=drain) for _ in range(sessions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]


def _table_rank(statement: str) -> int:
    names = re.findall(r"\b(dossiers_\w+)\b", statement.split("(")[0])
    return LOADED_TABLES.index(names[-1]) if names and names[-1] in LOADED_TABLES else len(LOADED_TABLES)


def _restore(conninfo: str, schema: _Schema) -> None:
    builds = [definition for _, definition in schema.indexes]
    builds += [f"ALTER TABLE {t} ADD CONSTRAINT {n} {d}" for t, n, d in schema.uniques]
    # Biggest table first, so the two sessions finish at about the same time.
    builds.sort(key=_table_rank)
    _parallel(conninfo, builds)
    _parallel(conninfo, [f"ALTER TABLE {t} ADD CONSTRAINT {n} {d}" for t, n, d in schema.foreign_keys])


def load(
    conninfo: str,
    total: int,
    seed: int = 7,
    log: Any = print,
    first_day: dt.date = dt.date(2025, 7, 1),
    last_day: dt.date | None = None,
) -> dict[str, float]:
    """Add `total` dossiers of history received from `first_day` to `last_day` (from 1 July 2025 to yesterday
    by default) and return the time of each phase. The days must hold no dossiers yet: codes restart at 1."""
    timings: dict[str, float] = {}
    started = time.perf_counter()
    now = time.time()
    today = dt.datetime.fromtimestamp(now, LOCAL).date()
    with psycopg.connect(conninfo) as conn:
        _add_citizens(conn, CITIZENS, seed)
        plan = _read_plan(conn, seed, now)
        rng = random.Random(seed)
        days = _working_days(first_day, last_day or today - dt.timedelta(days=1))
        counts = _day_counts(total, days, rng)
        schema = _schema(conn)
        _drop(conn, schema)
    timings["prepare"] = time.perf_counter() - started

    # Two processes, each a contiguous run of days with its own id range, so codes and ids never collide.
    half = next(i for i in range(len(days)) if sum(counts[: i + 1]) >= total / 2) + 1
    parts = [(list(zip(days[:half], counts[:half], strict=True)), 0)]
    parts.append((list(zip(days[half:], counts[half:], strict=True)), sum(counts[:half])))
    mark = time.perf_counter()
    context = multiprocessing.get_context("fork")
    with context.Pool(len(parts)) as pool:
        results = [
            pool.apply_async(_generate, (plan, part, offset, seed + n + 1, conninfo))
            for n, (part, offset) in enumerate(parts)
        ]
        counters = [row for r in results for row in r.get()]
    timings["copy"] = time.perf_counter() - mark
    log(
        f"  copied {total:,} dossiers with their files, documents, events and steps "
        f"in {timings['copy']:.1f} s"
    )

    mark = time.perf_counter()
    _restore(conninfo, schema)
    timings["indexes and foreign keys"] = time.perf_counter() - mark
    rebuilt = len(schema.indexes) + len(schema.uniques)
    log(
        f"  rebuilt {rebuilt} indexes and validated {len(schema.foreign_keys)} foreign keys "
        f"in {timings['indexes and foreign keys']:.1f} s"
    )

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
                sql.SQL("SELECT setval(pg_get_serial_sequence({t}, 'id'), (SELECT max(id) FROM {i}))").format(
                    t=sql.Literal(table), i=sql.Identifier(table)
                )
            )
        # What an operator runs after a bulk load: fresh statistics for the planner and a visibility map, so
        # the benchmark does not measure autovacuum catching up.
        conn.execute("SET maintenance_work_mem = '256MB'")
        for table in [*LOADED_TABLES, "dossiers_dossiercodecounter", "auth_user", "org_citizenprofile"]:
            conn.execute(sql.SQL("VACUUM (ANALYZE) {}").format(sql.Identifier(table)))
    timings["vacuum analyze"] = time.perf_counter() - mark
    timings["total"] = time.perf_counter() - started
    return timings
