"""Benchmark of the reports at 10 million dossiers: the rollups against a plain GROUP BY over the dossiers.

    .venv/bin/python bench/reports.py              # 10,000,000 dossiers (about an hour on 2 cores)
    .venv/bin/python bench/reports.py --quick      # 200,000 dossiers, checks the script in a few minutes
    .venv/bin/python bench/reports.py --reuse      # time again on the database a previous run left

A fresh PostgreSQL database (motcua_bench_reports) gets the schema, the demo province and 100 more communes;
bench/_bulk_reports.py COPYs three years of dossiers up to yesterday, with the rollups the stats app's own
contribution code gives for them. Then each report is computed from the rollups (as the application does)
and by a plain GROUP BY over the dossier table, in the same run: the rollup reading after a warm-up, 15 times
(median and p95), the scan 3 times (median). Both answers are compared in full, row by row. Targets: every
report under 200 ms, at least 100 times faster than the scan. Results also go to
bench/results/reports-<timestamp>.json. This is a benchmark, never a test.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script, the helpers are imported as the `bench` namespace package

from bench.api import PG, machine, motcua, revision  # noqa: E402

DB_NAME = os.environ.get("BENCH_REPORTS_DB", "motcua_bench_reports")  # another name runs beside it
CONNINFO = f"{PG}/{DB_NAME}"
RESULTS = ROOT / "bench" / "results"
FULL, QUICK = 10_000_000, 200_000
TARGET_MS, TARGET_RATIO = 200.0, 100.0
RUNS, SCAN_RUNS, WARMUP = 15, 3, 2
SHORTCUTS = "no events, steps, documents or DossierFact rows loaded (reports never read them)"
COMMUNE = "000.A1.01.H26"  # Ba Đình ward, one commune unit

os.environ.setdefault("DATABASE_URL", CONNINFO)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")


def log(text: str) -> None:
    print(text, flush=True)


def dossier_count() -> int:
    try:
        with psycopg.connect(CONNINFO) as conn:
            row = conn.execute("SELECT count(*) FROM dossiers_dossier").fetchone()
    except psycopg.OperationalError:
        return 0
    return int(row[0]) if row else 0


def build(total: int, today: dt.date) -> dict[str, float]:
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB_NAME}")
    env = dict(os.environ, DATABASE_URL=CONNINFO)
    mark = time.monotonic()
    motcua(env, "migrate", "--no-input", "--skip-checks")  # other apps may be mid-edit
    motcua(env, "loaddemo", "--skip-checks")
    import django

    django.setup()
    from bench import _bulk_reports

    added = _bulk_reports.add_communes()
    log(f"Schema, demo province and {added} more communes: {time.monotonic() - mark:.1f} s")
    log(f"Loading {total:,} dossiers over {_bulk_reports.YEARS} years up to {today - dt.timedelta(days=1)}:")
    return _bulk_reports.load(CONNINFO, total, today, log=log)


# --- timing ----------------------------------------------------------------------------------------------


@dataclasses.dataclass
class Line:
    name: str
    rollup_ms: list[float] = dataclasses.field(default_factory=list)
    scan_ms: list[float] = dataclasses.field(default_factory=list)
    identical: bool | None = None
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.rollup_ms)

    @property
    def p95(self) -> float:
        ordered = sorted(self.rollup_ms)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

    @property
    def scan_median(self) -> float:
        return statistics.median(self.scan_ms)

    @property
    def ratio(self) -> float:
        return self.scan_median / self.median

    @property
    def met(self) -> bool:
        return bool(self.identical) and self.p95 < TARGET_MS and self.ratio >= TARGET_RATIO

    def as_dict(self) -> dict[str, Any]:
        if not self.rollup_ms:
            return {"report": self.name, "available": False, "note": self.note}
        return {
            "report": self.name,
            "available": True,
            "rollup_median_ms": round(self.median, 2),
            "rollup_p95_ms": round(self.p95, 2),
            "scan_median_ms": round(self.scan_median, 1),
            "ratio": round(self.ratio, 1),
            "identical": self.identical,
            "target_met": self.met,
            "rollup_runs_ms": [round(t, 2) for t in self.rollup_ms],
            "scan_runs_ms": [round(t, 1) for t in self.scan_ms],
            "note": self.note,
        }


def timed(function: Callable[[], Any], runs: int, warmup: int) -> tuple[list[float], Any]:
    answer = None
    for _ in range(warmup):
        answer = function()
    times = []
    for _ in range(runs):
        mark = time.perf_counter()
        answer = function()
        times.append((time.perf_counter() - mark) * 1000)
    return times, answer


def compare(name: str, rollup: Callable[[], Any], scan: Callable[[], Any], runs: int, note: str = "") -> Line:
    line = Line(name, note=note)
    try:
        line.rollup_ms, fast = timed(rollup, runs, WARMUP)
        line.scan_ms, slow = timed(scan, SCAN_RUNS, 0)
    except Exception as exc:  # a module of another helper still being written: report it, time the rest
        return Line(name, note=f"not available: {type(exc).__name__}: {exc}")
    line.identical = fast == slow
    if not line.identical:
        line.note = (line.note + " " + differences(fast, slow)).strip()
    return line


def differences(fast: Any, slow: Any) -> str:
    if isinstance(fast, dict) and isinstance(slow, dict):
        keys = sorted(k for k in fast.keys() | slow.keys() if fast.get(k) != slow.get(k))
        return "differ at " + "; ".join(f"{k}: rollup {fast.get(k)} scan {slow.get(k)}" for k in keys[:3])
    return f"rollup {fast!r:.200} scan {slow!r:.200}"


def report_pairs(today: dt.date, runs: int) -> list[Line]:
    from motcua.org.models import Agency
    from motcua.stats.periods import Period, month_period
    from motcua.stats.report import handling_report
    from motcua.stats.scan import scanned_report

    everyone = list(Agency.objects.values_list("id", flat=True))
    commune = [Agency.objects.get(identity_code=COMMUNE).id]
    last_month = today.replace(day=1) - dt.timedelta(days=1)
    year = Period(dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31))
    month = month_period(last_month.year, last_month.month)

    def answer(report: Any) -> dict[Any, Any]:
        return {"rows": {k: v.as_dict() for k, v in report.rows.items()}, "total": report.total.as_dict()}

    lines = []
    for name, ids, period in (
        (f"Biểu 06 by field, whole province, year {year.first.year}", everyone, year),
        (f"Biểu 06 by field, one commune, {month.first:%d/%m}–{month.last:%d/%m/%Y}", commune, month),
    ):
        lines.append(
            compare(
                name,
                lambda ids=ids, period=period: answer(handling_report(ids, period)),
                lambda ids=ids, period=period: answer(scanned_report(ids, period)),
                runs,
            )
        )
    lines.append(index766_pair(everyone, today, runs))
    lines.append(dashboard_pair(everyone, today, runs))
    return lines


def index766_pair(agency_ids: list[int], today: dt.date, runs: int) -> Line:
    from bench import _scan_twins

    quarter = (today.month - 1) // 3  # the last full quarter
    year = today.year if quarter else today.year - 1
    from motcua.stats.periods import quarter_period

    period = quarter_period(year, quarter or 4, cutoff=0)  # Decision 766 counts calendar quarters
    name = f"766 indicators, whole province, Q{quarter or 4}/{year}"
    try:
        from motcua.stats.index766 import index766
    except ImportError:
        return Line(name, note="not available: motcua.stats.index766 is not there yet")
    return compare(
        name,
        lambda: _scan_twins.index766_figures(index766(agency_ids, period, today)),
        lambda: _scan_twins.scanned_766(agency_ids, period, today),
        runs,
    )


def dashboard_pair(agency_ids: list[int], today: dt.date, runs: int) -> Line:
    from bench import _scan_twins

    name = "public dashboard data, whole province"
    try:
        from motcua.stats.dashboards import public_dashboard
    except ImportError:
        return Line(name, note="not available: motcua.stats.dashboards is not there yet")
    return compare(
        name,
        lambda: _scan_twins.dashboard_figures(public_dashboard(agency_ids, today)),
        lambda: _scan_twins.scanned_dashboard(agency_ids, today),
        runs,
    )


def table(lines: list[Line]) -> str:
    head = (
        f"{'report':<52} {'rollup median':>13} {'p95':>8} {'scan median':>12} {'ratio':>8}  identical  target"
    )
    out = [head, "-" * len(head)]
    for line in lines:
        if not line.rollup_ms:
            out.append(f"{line.name:<52} {'not available':>13}")
            continue
        out.append(
            f"{line.name:<52} {line.median:>10.2f} ms {line.p95:>5.1f} ms {line.scan_median:>9.0f} ms "
            f"{line.ratio:>7.0f}×  {'yes' if line.identical else 'NO':<9}  {'met' if line.met else 'MISSED'}"
        )
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help=f"{QUICK:,} dossiers")
    parser.add_argument("--dossiers", type=int, help=f"how many dossiers to load (default {FULL:,})")
    parser.add_argument("--reuse", action="store_true", help="time the database a previous run left")
    parser.add_argument("--runs", type=int, default=RUNS, help="timed runs of each rollup reading")
    keep = parser.add_mutually_exclusive_group()
    keep.add_argument("--keep", action="store_true", default=True, help="keep the database (default)")
    keep.add_argument("--drop", dest="keep", action="store_false", help="drop the database at the end")
    args = parser.parse_args()
    total = args.dossiers or (QUICK if args.quick else FULL)
    today = dt.date.today()

    load_times: dict[str, float] = {}
    if args.reuse and dossier_count():
        log(f"Reusing {DB_NAME} ({dossier_count():,} dossiers)")
    else:
        load_times = build(total, today)
    import django

    django.setup()
    held = dossier_count()
    lines = report_pairs(today, args.runs)
    log("")
    log(f"Reports at {held:,} dossiers (rollups: median and p95 of {args.runs} runs after {WARMUP} warm-ups;")
    log(f"scan: median of {SCAN_RUNS} runs of the plain GROUP BY over the dossier table)")
    log(table(lines))
    for line in lines:
        if line.note:
            log(f"  {line.name}: {line.note}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = RESULTS / f"reports-{stamp}.json"
    path.write_text(
        json.dumps(
            {
                "dossiers": held,
                "today": today.isoformat(),
                "machine": machine(),
                "revision": revision(),
                "load_seconds": {k: round(v, 1) for k, v in load_times.items()},
                "reports": [line.as_dict() for line in lines],
                "shortcuts": SHORTCUTS,
            },
            ensure_ascii=False,
            indent=2,
        )
    )
    log(f"Results: {path.relative_to(ROOT)}")
    if not args.keep:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


if __name__ == "__main__":
    main()
