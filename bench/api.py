"""Benchmark of the REST API: the production-style server on PostgreSQL, load from the same machine.

    .venv/bin/python bench/api.py            # full run, about 10 minutes on 2 cores
    .venv/bin/python bench/api.py --quick    # small numbers, checks the script in under 2 minutes

A fresh database (motcua_bench) gets the schema, the demo province and API tokens; gunicorn serves it with the
worker class that wins a short trial; a closed-loop generator (bench/_loadgen.py) measures each scenario at
concurrency 1 and 8 after a warm-up: counter intake (with the same inserts by a bare SQL loop as the floor),
then, after COPYing the history up to 1,000,000 dossiers (bench/_bulk.py), reading one dossier, a lifecycle
action and the staff's scoped list. It ends with the workers' memory and a table of figures against the
targets of issue 2 §7, also written to bench/results/api-latest.md (api-quick.md for --quick). This is a
benchmark, never a test.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import itertools
import json
import math
import os
import platform
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script, the helpers are imported as the `bench` namespace package

from bench import _bulk, _floor  # noqa: E402
from bench._loadgen import (  # noqa: E402
    Connection,
    Result,
    call,
    encode_multipart,
    encode_request,
    machine_busy_cpu,
    process_cpu,
    run,
)

from motcua.demo import samples  # noqa: E402

BIN = Path(sys.executable).parent
PG = "postgresql://postgres@127.0.0.1:5432"
DB_NAME = "motcua_bench"
RESULTS = ROOT / "bench" / "results"  # api-latest.md, or api-quick.md for a --quick run

# The demo's receiving points for commune procedures and the counter officer who receives at each (the demo
# has officers at two of them; the set-up adds the others through the real service).
RECEIVING_POINTS = [
    ("000.01.01.H26", "motiepnhan"),
    ("000.A1.01.H26", "tiepnhan.bd"),
    ("000.00.01.H26", "bench.tiepnhan.centre"),
    ("000.02.01.H26", "bench.tiepnhan.cn2"),
    ("000.03.01.H26", "bench.tiepnhan.cn3"),
]
PROCEDURE = "1.001193"  # birth registration: the commonest commune procedure with a full e-form
COMMUNE = "000.A1.01.H26"  # competent for it: its leader assigns, its specialists read
LEADER, SPECIALIST, SECOND_SPECIALIST = "lanhdao.bd", "chuyenvien.bd", "bench.chuyenvien2.bd"
# Whose first page the list scenario asks for: three scopes of very different sizes.
LIST_PERSONAS = [
    ("motiepnhan", "counter officer, service-centre branch"),
    (LEADER, "leader, commune (competent for most)"),
    ("chuyenvien.tp", "specialist, department"),
]
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
CODE_RE = re.compile(rb'"code":\s*"([^"]+)"')
VERSION_RE = re.compile(rb'"version":\s*(\d+)')


@dataclass(frozen=True)
class Sizes:
    rows: int
    warmup: float
    duration: float
    max_requests: int
    trial: float
    bodies: int  # distinct intake bodies per thread
    read_sample: int
    action_dossiers: int  # per thread


FULL = Sizes(1_000_000, 3.0, 12.0, 200_000, 4.0, 300, 20_000, 6)
QUICK = Sizes(20_000, 0.5, 2.0, 20_000, 1.0, 50, 2_000, 3)


@dataclass(frozen=True)
class ServerKind:
    worker_class: str  # sync | gthread | uvicorn
    workers: int
    threads: int = 1

    @property
    def label(self) -> str:
        threads = f" x {self.threads} threads" if self.worker_class == "gthread" else ""
        conn = ", DB_CONN_MAX_AGE=0" if self.worker_class == "uvicorn" else ""
        return f"gunicorn {self.worker_class}, {self.workers} workers{threads}{conn}"


# For 2 cores shared with PostgreSQL and the load generator. Sync workers block on every database round trip
# and commit flush, so more processes than cores keep the CPUs busy; gthread overlaps those waits inside each
# process; uvicorn runs Django's sync views in a thread pool behind an event loop. Under ASGI every thread of
# that pool keeps its own persistent database connection, and they pile up to PostgreSQL's max_connections
# (shared with everyone on this server), so that candidate runs with DB_CONN_MAX_AGE=0, a connection per
# request, as Django advises for ASGI without a connection pool.
CANDIDATES = [
    ServerKind("sync", 3),
    ServerKind("sync", 5),
    ServerKind("gthread", 2, 4),
    ServerKind("gthread", 3, 4),
    ServerKind("uvicorn", 3),
]


def parse_server(text: str) -> ServerKind:
    """`sync:5`, `gthread:2x4` or `uvicorn:3`."""
    kind, _, size = text.partition(":")
    workers, _, threads = size.partition("x")
    return ServerKind(kind, int(workers or 2), int(threads or 1))


def log(message: str = "") -> None:
    print(message, flush=True)


# --- database, environment and accounts --------------------------------------------------------------------


def recreate_database(drop_only: bool = False) -> None:
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        if not drop_only:
            conn.execute(f"CREATE DATABASE {DB_NAME}")


# One key for the run: API tokens are bound to a keyed fingerprint of their user's password, so the process
# that issues them and the server that checks them must share it, as a deployment's do.
SECRET_KEY = secrets.token_urlsafe(50)


def app_env(data_dir: Path, production: bool) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        SECRET_KEY=SECRET_KEY,
        DATABASE_URL=f"{PG}/{DB_NAME}",
        MOTCUA_DATA_DIR=str(data_dir),
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="motcua.settings",
    )
    if production:
        env.update(
            MOTCUA_ENV="production",
            DEBUG="0",
            ALLOWED_HOSTS="127.0.0.1,localhost",
            # Production refuses to start without its https address; the load generator speaks plain http on
            # the loopback, as a TLS proxy in front of the site would, so the redirect to https is off.
            MOTCUA_PUBLIC_URL="https://localhost",
            MOTCUA_SSL_REDIRECT="0",
            # The benchmarks sign officers in by password (bench/pages.py); the second factor is not measured.
            MOTCUA_2FA_REQUIRED_ROLES="",
        )
    else:
        env.pop("MOTCUA_ENV", None)  # loaddemo refuses to run in production, rightly
    return env


def motcua(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([str(BIN / "motcua"), *args], env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"motcua {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


# Run once in a Django process of its own, through the services `createstaff` and `apitoken` use, so the
# load generator stays a plain client.
_ACCOUNTS_SCRIPT = """
import json, sys
import django
django.setup()
from django.contrib.auth.models import User
from motcua.org.services import create_staff, issue_api_token
wanted = json.loads(sys.argv[1])
for username, unit, role in wanted["staff"]:
    create_staff(username, unit, role, full_name="Cán bộ Thử tải")
print(json.dumps({u: issue_api_token(User.objects.get(username=u)) for u in wanted["tokens"]}))
"""


def make_accounts(env: dict[str, str]) -> dict[str, str]:
    staff = [(user, unit, "counter_officer") for unit, user in RECEIVING_POINTS if user.startswith("bench.")]
    staff.append((SECOND_SPECIALIST, COMMUNE, "specialist"))
    users = {user for _, user in RECEIVING_POINTS} | {LEADER, SPECIALIST} | {p for p, _ in LIST_PERSONAS}
    wanted = json.dumps({"staff": staff, "tokens": sorted(users)})
    done = subprocess.run(
        [str(BIN / "python"), "-c", _ACCOUNTS_SCRIPT, wanted], env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(f"making the accounts failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- the server --------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    kind: ServerKind
    env: dict[str, str]
    log_path: Path
    port: int = 0
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.port = free_port()
        app = "motcua.asgi:application" if self.kind.worker_class == "uvicorn" else "motcua.wsgi:application"
        worker_class = {"uvicorn": "uvicorn.workers.UvicornWorker"}.get(
            self.kind.worker_class, self.kind.worker_class
        )
        args = [
            str(BIN / "gunicorn"),
            app,
            f"--bind=127.0.0.1:{self.port}",
            f"--workers={self.kind.workers}",
            f"--worker-class={worker_class}",
            "--log-level=warning",
            "--timeout=120",
        ]
        if self.kind.worker_class == "gthread":
            args.append(f"--threads={self.kind.threads}")
        if Path("/dev/shm").is_dir():
            args.append("--worker-tmp-dir=/dev/shm")  # the heartbeat file, kept off the disk
        env = dict(self.env)
        if self.kind.worker_class == "uvicorn":
            env["DB_CONN_MAX_AGE"] = "0"
        with self.log_path.open("ab") as server_log:
            self.process = subprocess.Popen(args, env=env, stdout=server_log, stderr=server_log)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited at start:\n{self.log_tail()}")
            try:
                if call(self.port, encode_request("GET", "/healthz"))[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"gunicorn did not answer /healthz within a minute:\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def workers(self) -> list[int]:
        """Pids of the gunicorn master's children: its workers."""
        assert self.process is not None
        children = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                    children.append(int(entry.name))
        return children

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)  # gunicorn's graceful shutdown, workers included
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def worker_memory(pids: list[int]) -> list[tuple[int, float, float]]:
    """(pid, VmRSS MB, Pss MB) of each worker; PSS shares the pages common to all workers among them."""
    sizes = []
    for pid in pids:
        fields = dict(
            line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line
        )
        rss = int(fields["VmRSS"].split()[0]) / 1024
        pss = float("nan")
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
            pss = int(re.search(r"^Pss:\s+(\d+)", rollup, re.M).group(1)) / 1024  # type: ignore[union-attr]
        except (OSError, AttributeError):
            pass
        sizes.append((pid, rss, pss))
    return sizes


class CpuProbe:
    """Cumulative CPU seconds of the web workers, of this database's PostgreSQL backends, of the load
    generator (this process) and of everything else on the machine. A process that ends keeps its last
    reading, so the sums only grow and their difference over a window is what was spent in it."""

    def __init__(self, server: Server | None) -> None:
        self.workers = server.workers() if server is not None else []
        self.seen: dict[int, float] = {}

    def __call__(self) -> dict[str, float]:
        with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
            backends = [
                pid
                for (pid,) in conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [DB_NAME])
            ]
        for pid in [*self.workers, *backends]:
            if (cpu := process_cpu([pid])) or pid not in self.seen:
                self.seen[pid] = max(cpu, self.seen.get(pid, 0.0))
        self.backends = set(self.seen) - set(self.workers)
        times = os.times()
        reading = {
            "app": sum(self.seen.get(pid, 0.0) for pid in self.workers),
            "db": sum(self.seen[pid] for pid in self.backends),
            "client": times.user + times.system,
        }
        reading["others"] = machine_busy_cpu() - sum(reading.values())
        if not self.workers:
            del reading["app"]
        return reading


# --- what the clients send ---------------------------------------------------------------------------------


@dataclass
class Fixture:
    """Everything the scenarios need, read or made through the API before any measurement."""

    port: int
    tokens: dict[str, str]
    procedure: dict[str, Any]
    files: dict[str, int] = field(default_factory=dict)  # counter officer → a file they uploaded
    versions: dict[str, int] = field(default_factory=dict)  # dossier code → last version seen


def fetch_procedure(port: int) -> dict[str, Any]:
    status, procedure = call(port, encode_request("GET", f"/api/v1/procedures/{PROCEDURE}"))
    if status != 200:
        raise SystemExit(f"GET /api/v1/procedures/{PROCEDURE} answered {status}: {procedure}")
    return procedure


def upload_files(fixture: Fixture) -> None:
    for _, officer in RECEIVING_POINTS:
        raw = encode_multipart(
            "/api/v1/files", fixture.tokens[officer], "giay-chung-sinh.pdf", PDF, "application/pdf"
        )
        status, body = call(fixture.port, raw)
        if status != 201:
            raise SystemExit(f"upload as {officer} answered {status}: {body}")
        fixture.files[officer] = body["id"]


def intake_body(fixture: Fixture, officer: str, rng: random.Random) -> dict[str, Any]:
    """A counter intake as an officer keys it: the applicant, the whole e-form, and the uploaded scan behind
    every mandatory document of the case."""
    case = fixture.procedure["cases"][0]
    return {
        "procedure": fixture.procedure["code"],
        "case": case["code"],
        "channel": "counter",
        "applicant": samples.applicant(rng),
        "form": samples.fill_form(case["form_schema"], rng),
        "documents": [
            {"requirement": d["id"], "file": fixture.files[officer]}
            for d in case["documents"]
            if d["mandatory"]
        ],
        "result_delivery": "counter",
    }


def create_workers(fixture: Fixture, sizes: Sizes, one_unit: bool, codes: list[str] | None) -> Callable:
    """Thread i receives at receiving point i (mod 5) as its counter officer, or all at the first one."""

    def make(index: int) -> Callable[[Connection], tuple[int, bytes]]:
        officer = RECEIVING_POINTS[0 if one_unit else index % len(RECEIVING_POINTS)][1]
        rng = random.Random(index)
        token = fixture.tokens[officer]
        requests = [
            encode_request("POST", "/api/v1/dossiers", token, intake_body(fixture, officer, rng))
            for _ in range(sizes.bodies)
        ]
        position = itertools.count()

        def create(conn: Connection) -> tuple[int, bytes]:
            status, body = conn.request(requests[next(position) % len(requests)])
            if status == 201 and codes is not None and (found := CODE_RE.search(body)):
                codes.append(found.group(1).decode())
            return status, body

        return create

    return make


def read_workers(fixture: Fixture, reader: str, codes: list[str]) -> Callable:
    token = fixture.tokens[reader]
    requests = [encode_request("GET", f"/api/v1/dossiers/{code}", token) for code in codes]

    def make(index: int) -> Callable[[Connection], tuple[int, bytes]]:
        rng = random.Random(1000 + index)
        return lambda conn: conn.request(requests[rng.randrange(len(requests))])

    return make


def action_workers(fixture: Fixture, codes_by_thread: list[list[str]]) -> Callable:
    """The leader reassigns each thread's own dossiers in turn between two specialists, sending the version
    of the previous answer, as a client that keeps its copy of the dossier does: none should be stale."""
    token = fixture.tokens[LEADER]
    assignees = [SPECIALIST, SECOND_SPECIALIST]

    def make(index: int) -> Callable[[Connection], tuple[int, bytes]]:
        mine = codes_by_thread[index]
        position = itertools.count()

        def assign(conn: Connection) -> tuple[int, bytes]:
            n = next(position)
            code = mine[n % len(mine)]
            body = {"version": fixture.versions[code], "assignee": assignees[(n // len(mine)) % 2]}
            status, answer = conn.request(
                encode_request("POST", f"/api/v1/dossiers/{code}/actions/assign", token, body)
            )
            if status == 200 and (found := VERSION_RE.search(answer)):
                fixture.versions[code] = int(found.group(1))
            else:  # resynchronise, so one error does not turn every later request into a 409
                _, fresh = conn.request(encode_request("GET", f"/api/v1/dossiers/{code}", token))
                if found := VERSION_RE.search(fresh):
                    fixture.versions[code] = int(found.group(1))
            return status, answer

        return assign

    return make


def list_workers(fixture: Fixture, persona: str) -> Callable:
    raw = encode_request("GET", "/api/v1/dossiers", fixture.tokens[persona])
    return lambda index: lambda conn: conn.request(raw)


def prepare_action_dossiers(fixture: Fixture, sizes: Sizes, threads: int) -> list[list[str]]:
    """Dossiers at the first workflow step of the commune: received at the branch, forwarded by the counter
    officer to the competent commune, where its leader assigns them."""
    officer = RECEIVING_POINTS[0][1]
    token = fixture.tokens[officer]
    rng = random.Random(99)
    codes = []
    for _ in range(threads * sizes.action_dossiers):
        status, made = call(
            fixture.port,
            encode_request("POST", "/api/v1/dossiers", token, intake_body(fixture, officer, rng)),
        )
        if status != 201:
            raise SystemExit(f"intake for the action scenario answered {status}: {made}")
        status, forwarded = call(
            fixture.port,
            encode_request(
                "POST",
                f"/api/v1/dossiers/{made['code']}/actions/forward",
                token,
                {"version": made["version"]},
            ),
        )
        if status != 200 or forwarded["current_unit"] != COMMUNE:
            raise SystemExit(f"forward for the action scenario answered {status}: {forwarded}")
        fixture.versions[made["code"]] = forwarded["version"]
        codes.append(made["code"])
    return [codes[i::threads] for i in range(threads)]


# --- running and reporting ---------------------------------------------------------------------------------


@dataclass
class Report:
    sizes: Sizes
    lines: list[str] = field(default_factory=list)
    results: dict[tuple[str, int], Result] = field(default_factory=dict)
    notes: dict[str, Any] = field(default_factory=dict)

    def say(self, message: str = "") -> None:
        log(message)
        self.lines.append(message)

    def record(self, key: str, result: Result) -> Result:
        self.results[(key, result.concurrency)] = result
        self.say(result.line())
        for sample in result.error_samples:
            self.say(f"    error sample: {sample}")
        return result


def measure_once(
    name: str,
    server: Server,
    make_worker: Callable,
    concurrency: int,
    warmup: float,
    duration: float,
    sizes: Sizes,
) -> Result:
    return run(
        name,
        make_worker,
        concurrency,
        warmup,
        duration,
        sizes.max_requests,
        connect=lambda: Connection(server.port),
        cpu_probe=CpuProbe(server),
    )


def measure(
    report: Report,
    key: str,
    name: str,
    server: Server,
    make_worker: Callable,
    concurrencies: tuple[int, ...] = (1, 8),
) -> None:
    sizes = report.sizes
    for concurrency in concurrencies:
        report.record(
            key, measure_once(name, server, make_worker, concurrency, sizes.warmup, sizes.duration, sizes)
        )


def choose_server(
    env: dict[str, str], work_dir: Path, tokens: dict[str, str], sizes: Sizes, report: Report
) -> ServerKind:
    """A short trial of each candidate at concurrency 8 on intake and reads; the best geometric mean of the
    two throughputs wins. The CPU-bound ceilings are shown beside them, but not used to rank: they miss the
    CPU of database connections that open and close between two readings (the uvicorn candidate's)."""
    report.say("## Choosing the server's workers (trial: intake, then reads, at concurrency 8)")
    scores: dict[ServerKind, float] = {}
    trial = dataclasses.replace(sizes, bodies=20)
    # Long enough for a fresh server's first requests (imports, caches, the database's own caches) to pass.
    warmup = max(1.0, sizes.warmup / 2)
    for kind in CANDIDATES:
        if (
            kind.worker_class == "uvicorn"
            and subprocess.run(
                [str(BIN / "python"), "-c", "import uvicorn.workers"], capture_output=True, check=False
            ).returncode
        ):
            report.say(f"  {kind.label}: skipped, uvicorn.workers is not installed")
            continue
        server = Server(kind, env, work_dir / "trial.log")
        server.start()
        try:
            fixture = Fixture(server.port, tokens, fetch_procedure(server.port))
            upload_files(fixture)
            codes: list[str] = []
            create = measure_once(
                "trial create",
                server,
                create_workers(fixture, trial, False, codes),
                8,
                warmup,
                sizes.trial,
                trial,
            )
            # Thread 0's dossiers were received at the first receiving point: in its officer's scope.
            own = [c for c in codes if c.startswith(RECEIVING_POINTS[0][0])][:2000] or ["none"]
            read = measure_once(
                "trial read",
                server,
                read_workers(fixture, RECEIVING_POINTS[0][1], own),
                8,
                warmup,
                sizes.trial,
                trial,
            )
        finally:
            server.stop()
        errors = create.errors + read.errors
        scores[kind] = 0.0 if errors else math.sqrt(create.rps * read.rps)
        report.say(
            f"  {kind.label:<38} create {create.rps:5.1f}/s (ceiling {create.ceiling:4.0f}/s)  "
            f"read {read.rps:5.1f}/s (ceiling {read.ceiling:4.0f}/s)  errors {errors}  "
            f"score {scores[kind]:5.1f}  (others used {create.others_share:.0%}, {read.others_share:.0%})"
        )
        for sample in (create.error_samples + read.error_samples)[:3]:
            report.say(f"    error sample: {sample}")
    best = max(scores, key=lambda k: scores[k])
    report.say(f"  chosen: {best.label}")
    return best


def background_load(seconds: float = 2.0) -> float:
    """Share of the machine's CPU that other processes use while this benchmark does nothing: the machine is
    shared, and a busy neighbour lowers every figure."""
    before = machine_busy_cpu() - process_cpu([os.getpid()])
    time.sleep(seconds)
    return (machine_busy_cpu() - process_cpu([os.getpid()]) - before) / (seconds * (os.cpu_count() or 1))


def revision() -> str:
    """The commit measured, and whether the working tree differed from it (read-only git calls)."""
    try:
        commit = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no", "--", "src"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return f"{commit}{' with uncommitted changes in src/' if changed else ''}"


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next(
        (line.split(":", 1)[1].strip() for line in cpuinfo if "model name" in line), platform.processor()
    )
    with psycopg.connect(f"{PG}/postgres") as conn:
        version = conn.execute("SHOW server_version").fetchone()[0]  # type: ignore[index]
    return f"{os.cpu_count()} × {cpu}, Python {platform.python_version()}, PostgreSQL {version}"


def summary(report: Report) -> list[str]:
    """The figures of issue 2 §7 against their targets, as a markdown table."""
    r = report.results
    rows_label = f"{report.notes['rows']:,} rows"

    def row(figure: str, measured: str, target: str, ok: bool, *keys: tuple[str, int]) -> tuple[str, ...]:
        clean = all(r[k].errors == 0 for k in keys)  # any non-2xx answer fails the figure it belongs to
        return (figure, measured, target, "PASS" if ok and clean else "MISS")

    create, floor, read, action = r[("create", 8)], r[("floor", 8)], r[("read", 8)], r[("action", 8)]
    ratio = create.rps / floor.rps if floor.rps else 0.0
    rows = [
        ("figure", "measured", "target", "result"),
        row("create, c=8: throughput", f"{create.rps:.0f}/s", "≥ 300/s", create.rps >= 300, ("create", 8)),
        row("create, c=8: p99", f"{create.percentile(99):.1f} ms", "< 50 ms", create.percentile(99) < 50),
        row(
            "create / SQL floor, c=8",
            f"{ratio:.0%} ({create.rps:.0f} / {floor.rps:.0f}/s)",
            "≥ 40 %",
            ratio >= 0.4,
            ("floor", 8),
        ),
        row(
            f"read one dossier, c=8, {rows_label}",
            f"{read.rps:.0f}/s",
            "≥ 1,000/s",
            read.rps >= 1000,
            ("read", 8),
        ),
        row("action (assign), c=8", f"{action.rps:.0f}/s", "≥ 200/s", action.rps >= 200, ("action", 8)),
    ]
    for persona, label in LIST_PERSONAS:
        one, eight = r[(f"list:{persona}", 1)], r[(f"list:{persona}", 8)]
        rows.append(
            row(
                f"list p95, {label}, {rows_label}",
                f"{one.percentile(95):.1f} ms (c=1), {eight.percentile(95):.1f} ms (c=8)",
                "< 50 ms at both",
                max(one.percentile(95), eight.percentile(95)) < 50,
                (f"list:{persona}", 1),
                (f"list:{persona}", 8),
            )
        )
    rss, mean = report.notes["rss_max"], report.notes["rss_mean"]
    rows.append(
        row("web worker RSS after the run, max", f"{rss:.0f} MB (mean {mean:.0f})", "< 150 MB", rss < 150)
    )
    errors = sum(result.errors for result in r.values())
    rows.append(row("non-2xx answers, all scenarios", str(errors), "0", errors == 0))
    widths = [max(len(cells[i]) for cells in rows) for i in range(4)]
    table = ["| " + " | ".join(c.ljust(widths[i]) for i, c in enumerate(cells)) + " |" for cells in rows]
    table.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return table


# --- the run -----------------------------------------------------------------------------------------------


def intake_phase(report: Report, server: Server, fixture: Fixture, conninfo: str) -> None:
    """The floor and the API's intake, on the demo database before the bulk load (their writes do not depend
    on the table's size: one index entry more per index, whatever the depth)."""
    sizes = report.sizes
    report.say(
        f"Procedure {fixture.procedure['code']} ({fixture.procedure['name']}), case "
        f"{fixture.procedure['cases'][0]['code']}: the whole e-form, a pre-uploaded scan behind each "
        "mandatory document; thread i receives at receiving point i mod 5 as that point's counter officer."
    )
    officer = RECEIVING_POINTS[0][1]
    raw = encode_request(
        "POST", "/api/v1/dossiers", fixture.tokens[officer], intake_body(fixture, officer, random.Random(5))
    )
    status, first = call(server.port, raw)
    if status != 201:
        raise SystemExit(f"the first intake answered {status}: {first}")
    units = []
    with psycopg.connect(conninfo) as conn:
        for identity_code, username in RECEIVING_POINTS:
            row = conn.execute(
                "SELECT a.id, u.id FROM org_agency a, auth_user u "
                "WHERE a.identity_code = %s AND u.username = %s",
                [identity_code, username],
            ).fetchone()
            assert row is not None
            units.append((row[0], identity_code, row[1]))
    template = _floor.read_template(conninfo, first["code"])
    for concurrency in (1, 8):
        report.record(
            "floor",
            _floor.run_floor(
                conninfo,
                template,
                units,
                concurrency,
                sizes.warmup,
                sizes.duration,
                sizes.max_requests,
                CpuProbe(None),
            ),
        )
    measure(
        report,
        "create",
        "create a dossier (counter intake)",
        server,
        create_workers(fixture, sizes, False, None),
    )
    one_unit = create_workers(fixture, sizes, True, None)
    measure(report, "create_one_unit", "create, all threads at one receiving point", server, one_unit, (8,))
    for concurrency in (1, 8):
        ratio = report.results[("create", concurrency)].rps / report.results[("floor", concurrency)].rps
        report.say(f"  API create / SQL floor at c={concurrency}: {ratio:.0%}")
    # What the stack costs with almost no application in it: Django, ninja-free, one SELECT 1.
    healthz = encode_request("GET", "/healthz")
    measure(
        report,
        "healthz",
        "stack ceiling: GET /healthz (SELECT 1)",
        server,
        lambda i: lambda c: c.request(healthz),
        (8,),
    )


def bulk_phase(report: Report, conninfo: str) -> list[str]:
    """COPY the history up to the target size; return dossier codes the reader may see, in random order."""
    sizes = report.sizes
    with psycopg.connect(conninfo) as conn:
        existing = conn.execute("SELECT count(*) FROM dossiers_dossier").fetchone()[0]  # type: ignore[index]
    report.say(
        f"## Bulk history: {existing:,} dossiers so far, COPYing {max(0, sizes.rows - existing):,} more"
    )
    timings = _bulk.load(conninfo, max(0, sizes.rows - existing), log=report.say)
    report.say("  load time: " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in timings.items()))
    with psycopg.connect(conninfo) as conn:
        total = conn.execute("SELECT count(*) FROM dossiers_dossier").fetchone()[0]  # type: ignore[index]
        visible = conn.execute(
            """SELECT d.code FROM dossiers_dossier d JOIN org_agency a ON a.id = d.competent_authority_id
               WHERE a.identity_code = %s ORDER BY random() LIMIT %s""",
            [COMMUNE, sizes.read_sample],
        ).fetchall()
    report.notes["rows"] = total
    report.say(f"  dossiers in the database: {total:,}")
    return [code for (code,) in visible]


def loaded_phase(
    report: Report, server: Server, fixture: Fixture, read_codes: list[str], action_codes: list[list[str]]
) -> None:
    total = report.notes["rows"]
    report.say(f"## Reads, actions and lists with {total:,} dossiers")
    report.say(
        f"Read: {SPECIALIST} reads random dossiers of their commune ({len(read_codes):,} distinct codes)."
    )
    measure(
        report,
        "read",
        "read one dossier (GET /dossiers/{code})",
        server,
        read_workers(fixture, SPECIALIST, read_codes),
    )
    report.say(
        f"Action: {LEADER} reassigns dossiers at the commune's first workflow step between two specialists, "
        f"{report.sizes.action_dossiers} per thread, sending the version from the previous answer."
    )
    measure(report, "action", "lifecycle action (assign)", server, action_workers(fixture, action_codes))
    for persona, label in LIST_PERSONAS:
        status, page = call(server.port, encode_request("GET", "/api/v1/dossiers", fixture.tokens[persona]))
        items = len(page.get("items", [])) if status == 200 else f"none (HTTP {status})"
        report.say(f"List: first page of {persona} ({label}), {items} items.")
        measure(
            report, f"list:{persona}", f"list, first page: {persona}", server, list_workers(fixture, persona)
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small numbers, to check the script works")
    parser.add_argument("--keep", action="store_true", help="keep the database and the data directory")
    parser.add_argument("--server", help="skip the trial and use this server: sync:5, gthread:2x4, uvicorn:3")
    parser.add_argument("--rows", type=int, help="dossiers in the database for the read and list scenarios")
    args = parser.parse_args()
    sizes = QUICK if args.quick else FULL
    if args.rows:
        sizes = dataclasses.replace(sizes, rows=args.rows)
    started = time.monotonic()
    report = Report(sizes)
    command = " ".join(["bench/api.py", *sys.argv[1:]])
    report.say(f"# motcua API benchmark, {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %z}")
    report.say("")
    report.say(f"Command: `.venv/bin/python {command}`  ")
    report.say(f"Code: {revision()}  ")
    report.say(f"Machine: {machine()}  ")
    report.say(
        "Load generator: bench/_loadgen.py, threads with one keep-alive connection each, same machine.  "
    )
    report.notes["background"] = [background_load()]
    report.say(
        f"Other processes' CPU use just before the run: {report.notes['background'][0]:.0%} of the machine."
    )
    report.say("")
    work_dir = Path(tempfile.mkdtemp(prefix="motcua-bench-"))
    conninfo = f"{PG}/{DB_NAME}"
    server: Server | None = None
    try:
        mark = time.monotonic()
        recreate_database()
        setup_env = app_env(work_dir / "data", production=False)
        motcua(setup_env, "migrate", "--no-input")
        motcua(setup_env, "loaddemo")
        tokens = make_accounts(setup_env)
        report.say(
            f"Set-up (database {DB_NAME}, migrate, loaddemo, accounts): {time.monotonic() - mark:.1f} s"
        )
        report.say("")

        env = app_env(work_dir / "data", production=True)
        kind = (
            parse_server(args.server) if args.server else choose_server(env, work_dir, tokens, sizes, report)
        )
        server = Server(kind, env, work_dir / "server.log")
        server.start()  # a fresh server, so the memory figure is that of this run only
        fixture = Fixture(server.port, tokens, fetch_procedure(server.port))
        upload_files(fixture)
        report.say("")
        report.say(f"## Intake on the demo database ({kind.label}, DEBUG=0, MOTCUA_ENV=production)")
        report.say(
            "Each line: throughput and latency; under it the CPU each request cost the web workers (app), "
            "PostgreSQL's backends (db) and this load generator (client)."
        )
        intake_phase(report, server, fixture, conninfo)
        action_codes = prepare_action_dossiers(fixture, sizes, 8)
        report.say("")
        read_codes = bulk_phase(report, conninfo)
        report.say("")
        loaded_phase(report, server, fixture, read_codes, action_codes)

        report.notes["background"].append(background_load())
        memory = worker_memory(server.workers())
        rss = [m[1] for m in memory]
        report.notes["rss_max"], report.notes["rss_mean"] = max(rss), sum(rss) / len(rss)
        report.say("")
        report.say(
            f"Web workers after the run ({len(memory)}): VmRSS max {max(rss):.0f} MB, mean "
            f"{report.notes['rss_mean']:.0f} MB; PSS mean {sum(m[2] for m in memory) / len(memory):.0f} MB."
        )
        before, after = report.notes["background"]
        report.say(f"Other processes' CPU use: {before:.0%} before the run, {after:.0%} after it.")
        report.say("")
        report.say("## Summary")
        report.say(f"Server: {kind.label}. Intake measured on the demo database, before the bulk load.")
        report.say("")
        for line in summary(report):
            report.say(line)
        report.say("")
        report.say(f"Total run time: {time.monotonic() - started:.0f} s")
        # A quick run only checks the script: it must not replace the figures of the last full run.
        written = RESULTS / ("api-quick.md" if args.quick else "api-latest.md")
        written.parent.mkdir(parents=True, exist_ok=True)
        written.write_text("\n".join(report.lines) + "\n")
        log(f"(also written to {written.relative_to(ROOT)})")
    finally:
        if server is not None:
            server.stop()
        if args.keep:
            log(f"Kept: database {DB_NAME}, data directory {work_dir}")
        else:
            recreate_database(drop_only=True)
            shutil.rmtree(work_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
