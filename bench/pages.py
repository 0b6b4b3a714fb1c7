"""Benchmark of the staff pages: the inbox and the dossier page, server-rendered, with 100,000 open dossiers.

    .venv/bin/python bench/pages.py            # 100,000 open dossiers, about 10 minutes on 2 cores
    .venv/bin/python bench/pages.py --quick    # 10,000 open dossiers, checks the script in a few minutes

A fresh PostgreSQL database (the API benchmark's, motcua_bench) gets the schema, the demo province and the API
benchmark's extra counter officers. The API benchmark's bulk loader (bench/_bulk.py) COPYs two weeks of intake
up to yesterday, sized so that the database holds the wanted number of OPEN dossiers (received, in process,
waiting for a supplement or a payment): a dry run of the loader's own generator says which share stays open.
Then `motcua simulate` adds a few days of realistic history through the real services on top.
gunicorn serves the production settings (DEBUG=0) and an officer signs in through the staff login page; then
each page is requested in a closed loop at concurrency 1 (one officer: the latency the target is about) and 4
(a busy office), after a warm-up. Each line gives the latency measured by the client over loopback, the
server's own time when the pages send a Server-Timing header, and the ratio to /healthz measured in the same
run. The target is p95 < 100 ms at concurrency 1. Results also go to bench/results/pages-latest.md
(pages-quick.md for --quick). This is a benchmark, never a test.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import http.client
import io
import itertools
import math
import random
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script, the helpers are imported as the `bench` namespace package

from bench import _bulk  # noqa: E402
from bench._loadgen import Connection, Result, encode_request, run  # noqa: E402
from bench.api import (  # noqa: E402
    BIN,
    DB_NAME,
    PG,
    CpuProbe,
    Server,
    app_env,
    background_load,
    log,
    machine,
    make_accounts,
    motcua,
    parse_server,
    recreate_database,
    revision,
)

from motcua.dossiers.lifecycle import OPEN_STATUSES  # noqa: E402

RESULTS = ROOT / "bench" / "results"
TARGET_P95_MS = 100.0
# The officers whose pages are timed: the province's service centre sees what it and its three branches
# received, most of the province's dossiers; the commune leader sees what the commune decides.
PERSONAS = [
    ("bench.tiepnhan.centre", "counter officer, province service centre (and its branches)"),
    ("lanhdao.bd", "leader, commune (competent for most procedures)"),
]
TABS = ["mine", "unit", "due_soon", "overdue", "supplement", "payment", "all"]
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
SERVER_TIMING = re.compile(rb"dur=([0-9.]+)")


@dataclass(frozen=True)
class Sizes:
    open_dossiers: int
    window_days: int  # calendar days of bulk history, ending yesterday
    simulate_days: int  # calendar days of simulated history, ending yesterday too
    simulate_per_day: int
    warmup: float
    duration: float
    max_requests: int
    deep_page: int
    dossier_sample: int


FULL = Sizes(100_000, 14, 7, 30, 1.0, 8.0, 5_000, 200, 2_000)
QUICK = Sizes(10_000, 14, 3, 10, 0.5, 2.0, 1_000, 40, 300)


# --- the database ------------------------------------------------------------------------------------------


def open_count(conninfo: str) -> int:
    with psycopg.connect(conninfo) as conn:
        row = conn.execute(
            "SELECT count(*) FROM dossiers_dossier WHERE status = ANY(%s)", [sorted(OPEN_STATUSES)]
        ).fetchone()
    assert row is not None
    return int(row[0])


def bulk_open_share(conninfo: str, first_day: dt.date, last_day: dt.date, sample: int = 4000) -> float:
    """Which share of the dossiers the bulk loader would write over these days is open today: its own
    generator, run on a sample into memory and read back, so the estimate follows any change to its rules."""
    with psycopg.connect(conninfo) as conn:
        plan = _bulk._read_plan(conn, 1, time.time())
    days = _bulk._working_days(first_day, last_day)
    rng = random.Random(1)
    buffers = {table: io.StringIO() for table in _bulk.LOADED_TABLES}
    made = itertools.count()
    for day, count in zip(days, _bulk._day_counts(sample, days, rng), strict=True):  # its volume per day
        for n in itertools.islice(made, count):
            _bulk._one_dossier(plan, rng, buffers, day, _bulk._office_moment(day, rng), {}, n, n, n)
    rows = buffers["dossiers_dossier"].getvalue().splitlines()
    status_column = [c.strip() for c in _bulk.DOSSIER_COLUMNS.split(",")].index("status")
    return sum(row.split("\t")[status_column] in OPEN_STATUSES for row in rows) / len(rows)


def build_database(env: dict[str, str], conninfo: str, sizes: Sizes, say: Callable[[str], None]) -> None:
    recreate_database()
    mark = time.monotonic()
    motcua(env, "migrate", "--no-input")
    motcua(env, "loaddemo")
    make_accounts(env)  # the API benchmark's counter officers at every receiving point: the loader needs them
    say(f"Schema, demo province and accounts: {time.monotonic() - mark:.1f} s")

    # The bulk history first: it leaves the per-unit, per-day code counters where its codes end, so the
    # simulated dossiers of the same days take the next numbers, as they would in a real office.
    last_day = dt.datetime.now(_bulk.LOCAL).date() - dt.timedelta(days=1)
    first_day = last_day - dt.timedelta(days=sizes.window_days - 1)
    share = bulk_open_share(conninfo, first_day, last_day)
    total = round(sizes.open_dossiers / share)
    say(
        f"Bulk history (bench/_bulk.py, COPY): {total:,} dossiers received {first_day} to {last_day}, of "
        f"which {share:.0%} are still open by the loader's rules (a dry run of its generator says so)"
    )
    timings = _bulk.load(conninfo, total, log=say, first_day=first_day, last_day=last_day)
    say("  load time: " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in timings.items()))

    mark = time.monotonic()
    simulated = motcua(
        env,
        "simulate",
        "--days",
        str(sizes.simulate_days),
        "--per-day",
        str(sizes.simulate_per_day),
        "--verbosity",
        "0",
    )
    say(
        f"Realistic seed through the real services (`motcua simulate --days {sizes.simulate_days} --per-day "
        f"{sizes.simulate_per_day}`): {simulated.strip().splitlines()[0]} ({time.monotonic() - mark:.1f} s)"
    )
    with psycopg.connect(conninfo) as conn:
        conn.execute("ANALYZE dossiers_dossier")
        row = conn.execute("SELECT count(*) FROM dossiers_dossier").fetchone()
    assert row is not None
    say(f"Dossiers in the database: {row[0]:,}, of which open: {open_count(conninfo):,}")


def dossier_sample(conninfo: str, username: str, size: int) -> list[str]:
    """Random open dossiers the officer may see: received by, decided by or now at one of their units."""
    with psycopg.connect(conninfo) as conn:
        rows = conn.execute(
            """WITH RECURSIVE scope(id) AS (
                   SELECT r.agency_id FROM org_staffrole r JOIN auth_user u ON u.id = r.user_id
                   WHERE u.username = %s
                   UNION SELECT a.id FROM org_agency a JOIN scope s ON a.parent_id = s.id)
               SELECT code FROM dossiers_dossier
               WHERE status = ANY(%s) AND (receiving_unit_id IN (SELECT id FROM scope)
                   OR current_unit_id IN (SELECT id FROM scope)
                   OR competent_authority_id IN (SELECT id FROM scope))
               ORDER BY random() LIMIT %s""",
            [username, sorted(OPEN_STATUSES), size],
        ).fetchall()
    return [code for (code,) in rows]


# --- signing in --------------------------------------------------------------------------------------------

# The API benchmark's accounts have no password (they use API tokens); the officers timed here get one.
_PASSWORD_SCRIPT = """
import sys
import django
django.setup()
from django.contrib.auth.models import User
for username in sys.argv[2:]:
    user = User.objects.get(username=username)
    user.set_password(sys.argv[1])
    user.save(update_fields=["password"])
"""


def set_passwords(env: dict[str, str], usernames: list[str]) -> str:
    password = secrets.token_urlsafe(16)
    done = subprocess.run(
        [str(BIN / "python"), "-c", _PASSWORD_SCRIPT, password, *usernames], env=env, capture_output=True
    )
    if done.returncode != 0:
        raise SystemExit(f"setting the officers' passwords failed:\n{done.stderr.decode()}")
    return password


def cookies_of(response: http.client.HTTPResponse) -> dict[str, str]:
    found = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        found[name.strip()] = rest.split(";", 1)[0]
    return found


def sign_in(port: int, username: str, password: str) -> str:
    """Sign in through the staff login page as a browser does; return the Cookie header of the session."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", "/office/login/")
        response = conn.getresponse()
        page = response.read()
        cookies = cookies_of(response)
        token = CSRF_INPUT.search(page)
        if response.status != 200 or token is None or "csrftoken" not in cookies:
            raise SystemExit(f"GET /office/login/ answered {response.status} without a CSRF token")
        form = urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": token.group(1).decode()}
        )
        conn.request(
            "POST",
            "/office/login/",
            body=form,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={cookies['csrftoken']}",
            },
        )
        response = conn.getresponse()
        response.read()
        cookies |= cookies_of(response)
        if response.status != 302 or "sessionid" not in cookies:
            raise SystemExit(f"signing in as {username} answered {response.status}, no session")
    finally:
        conn.close()
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


# --- measuring ---------------------------------------------------------------------------------------------


@dataclass
class PageResult:
    label: str
    result: Result
    server_ms: list[float] = field(default_factory=list)

    def server_percentile(self, p: float) -> float:
        """Nearest-rank percentile, as the client-side figures."""
        if not self.server_ms:
            return float("nan")
        ordered = sorted(self.server_ms)
        return ordered[max(1, math.ceil(len(ordered) * p / 100)) - 1]


def page_workers(paths: list[str], cookie: str, server_ms: list[float]) -> Callable:
    """Each thread asks for the paths in a random order of its own; the Server-Timing header, when there is
    one, gives the server's own time (its first `dur`)."""
    requests = [encode_request("GET", path, extra={"Cookie": cookie}) for path in paths]

    def make(index: int) -> Callable[[Connection], tuple[int, bytes]]:
        rng = random.Random(index)

        def get(conn: Connection) -> tuple[int, bytes]:
            status, body = conn.request(requests[rng.randrange(len(requests))])
            if timing := SERVER_TIMING.search(conn.headers.get(b"server-timing", b"")):
                server_ms.append(float(timing.group(1)))
            return status, body

        return get

    return make


@dataclass
class Report:
    lines: list[str] = field(default_factory=list)
    pages: list[PageResult] = field(default_factory=list)
    broken: list[tuple[str, int]] = field(default_factory=list)  # pages not measured: label, HTTP status

    def say(self, message: str = "") -> None:
        log(message)
        self.lines.append(message)


def measure(report: Report, server: Server, sizes: Sizes, label: str, paths: list[str], cookie: str) -> None:
    """Time the page at concurrency 1 and 4, unless its first path does not answer 200: a broken page is
    reported once, not timed (an error page is fast and says nothing about the real one)."""
    connection = Connection(server.port)
    try:
        status, _ = connection.request(encode_request("GET", paths[0], extra={"Cookie": cookie}))
    finally:
        connection.close()
    if status != 200:
        report.broken.append((label, status))
        report.say(f"{label}: GET {paths[0]} answered HTTP {status}, not measured")
        return
    for concurrency in (1, 4):
        server_ms: list[float] = []
        result = run(
            label,
            page_workers(paths, cookie, server_ms),
            concurrency,
            sizes.warmup,
            sizes.duration,
            sizes.max_requests,
            connect=lambda: Connection(server.port),
            cpu_probe=CpuProbe(server),
        )
        measured = PageResult(label, result, server_ms[-result.count :] if result.count else [])
        report.pages.append(measured)
        report.say(result.line())
        if measured.server_ms:
            report.say(
                f"{'':<49}Server-Timing: p50 {measured.server_percentile(50):.2f}  "
                f"p95 {measured.server_percentile(95):.2f} ms"
            )
        for sample in result.error_samples[:1]:
            report.say(f"    error sample: {sample[:200]}")


def inbox_paths(sizes: Sizes, code: str) -> list[tuple[str, list[str]]]:
    """Every tab's first page, a deep page, a sort on another column, and the two searches officers make: a
    name (the commonest family name, folded as the search folds it) and a code read from a receipt."""
    paths = [(f"inbox, tab {tab}, first page", [f"/office/?tab={tab}"]) for tab in TABS]
    paths.append((f"inbox, tab all, page {sizes.deep_page}", [f"/office/?tab=all&page={sizes.deep_page}"]))
    paths.append(("inbox, tab unit, sorted by due date", ["/office/?tab=unit&sort=due"]))
    paths.append(("inbox, tab all, search a name (nguyen)", ["/office/?tab=all&q=nguyen"]))
    paths.append(("inbox, tab all, search a dossier code", [f"/office/?tab=all&q={code}"]))
    return paths


def summary(report: Report, baseline: Result) -> list[str]:
    base = baseline.percentile(50)
    header = ("page", "c", "p50 ms", "p95 ms", "server p95 ms", "CPU ms app + db", "p50 / healthz")
    rows = [(*header, "p95 < 100 ms at c=1")]
    for page in report.pages:
        r = page.result
        clean = r.errors == 0
        verdict = ""
        if r.concurrency == 1:
            verdict = "MET" if clean and r.percentile(95) < TARGET_P95_MS else "MISSED"
        rows.append(
            (
                page.label,
                str(r.concurrency),
                f"{r.percentile(50):.1f}",
                f"{r.percentile(95):.1f}",
                f"{page.server_percentile(95):.1f}" if page.server_ms else "no header",
                f"{r.cpu_ms_per_request('app'):.0f} + {r.cpu_ms_per_request('db'):.0f}",
                f"{r.percentile(50) / base:.1f}×" if base else "",
                verdict if clean else f"{verdict} ({r.errors} errors)",
            )
        )
    for label, status in report.broken:
        rows.append((label, "", "", "", "", "", "", f"MISSED (HTTP {status}, not measured)"))
    widths = [max(len(cells[i]) for cells in rows) for i in range(len(rows[0]))]
    table = ["| " + " | ".join(c.ljust(widths[i]) for i, c in enumerate(cells)) + " |" for cells in rows]
    table.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10,000 open dossiers, short measurements")
    parser.add_argument("--keep", action="store_true", help="keep the database and the data directory")
    parser.add_argument("--server", default="gthread:3x4", help="gunicorn workers: sync:5, gthread:2x4, ...")
    parser.add_argument("--open", type=int, help="open dossiers in the database")
    args = parser.parse_args()
    sizes = QUICK if args.quick else FULL
    if args.open:
        sizes = dataclasses.replace(sizes, open_dossiers=args.open)
    started = time.monotonic()
    report = Report()
    report.say(f"# motcua staff pages benchmark, {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %z}")
    report.say("")
    report.say(f"Command: `.venv/bin/python {' '.join(['bench/pages.py', *sys.argv[1:]])}`  ")
    report.say(f"Code: {revision()}  ")
    report.say(f"Machine: {machine()}  ")
    report.say(f"Other processes' CPU use just before the run: {background_load():.0%} of the machine.")
    report.say("")
    work_dir = Path(tempfile.mkdtemp(prefix="motcua-bench-pages-"))
    conninfo = f"{PG}/{DB_NAME}"
    server: Server | None = None
    try:
        report.say("## Database")
        setup_env = app_env(work_dir / "data", production=False)
        build_database(setup_env, conninfo, sizes, report.say)
        password = set_passwords(setup_env, [username for username, _ in PERSONAS])
        env = app_env(work_dir / "data", production=True)
        motcua(env, "collectstatic", "--no-input")  # production pages name their static files by manifest
        server = Server(parse_server(args.server), env, work_dir / "server.log")
        server.start()
        report.say("")
        report.say(f"## Pages ({server.kind.label}, DEBUG=0, MOTCUA_ENV=production)")
        baseline_path = ["/healthz"]
        baseline = run(
            "baseline: GET /healthz (SELECT 1)",
            page_workers(baseline_path, "", []),
            1,
            sizes.warmup,
            sizes.duration,
            sizes.max_requests,
            connect=lambda: Connection(server.port),  # type: ignore[union-attr]
        )
        report.say(baseline.line())
        for username, label in PERSONAS:
            cookie = sign_in(server.port, username, password)
            codes = dossier_sample(conninfo, username, sizes.dossier_sample)
            report.say("")
            report.say(f"### {username}: {label}; dossier pages of {len(codes):,} of their open dossiers")
            for page_label, paths in inbox_paths(sizes, codes[0]):
                measure(report, server, sizes, f"{username}: {page_label}", paths, cookie)
            dossier_paths = [f"/office/dossiers/{code}/" for code in codes]
            measure(report, server, sizes, f"{username}: dossier page, random open", dossier_paths, cookie)
        report.say("")
        report.say("## Summary")
        report.say(
            "Latency measured by the client over loopback (it includes the server's time); the server's own "
            "time where the pages send Server-Timing; the CPU each request cost the web workers and "
            "PostgreSQL, which a busy neighbour hardly changes. Target: p95 < 100 ms for one officer (c=1)."
        )
        report.say("")
        for line in summary(report, baseline):
            report.say(line)
        met = not report.broken and all(
            p.result.errors == 0 and p.result.percentile(95) < TARGET_P95_MS
            for p in report.pages
            if p.result.concurrency == 1
        )
        report.say("")
        if report.broken or any(p.result.errors for p in report.pages):
            report.say("Some pages answered errors; the end of the server's log:")
            report.say("```")
            report.say(server.log_tail(40))
            report.say("```")
        report.say(f"Target p95 < {TARGET_P95_MS:.0f} ms at c=1 on every page: {'MET' if met else 'MISSED'}")
        report.say(f"Total run time: {time.monotonic() - started:.0f} s")
        written = RESULTS / ("pages-quick.md" if args.quick else "pages-latest.md")
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
