"""Benchmark of the hash chain (ADR 0015): what sealing each dossier event costs an action.

    .venv/bin/python bench/chain.py                 # SQLite in a temporary directory, about 3 minutes
    .venv/bin/python bench/chain.py --postgres      # a fresh PostgreSQL database, motcua_bench_chain
    .venv/bin/python bench/chain.py --quick         # small numbers, checks the script

A fresh database gets the schema and the demo province (`loaddemo`); then rounds of the demo's simulator drive
the real services (`create_dossier`, `take_action`: intake and every action of a dossier's life, with their
statistics and side effects) alternately with the chain on and with the chain's work skipped. The skipping is
a monkeypatch of this script only (the seal that reads the previous hash and hashes the event is replaced by
one that fills the columns with nothing); there is no switch in the product. Each pair of rounds replays the
same seed, so both sides do the same work. It prints the time per event of each side, their ratio, and the
time spent inside the seal itself. This is a benchmark, never a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = "postgresql://postgres@127.0.0.1:5432"
DB_NAME = "motcua_bench_chain"


def configure(postgres: bool, data_dir: str) -> None:
    os.environ["MOTCUA_DATA_DIR"] = data_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "motcua.settings"
    if postgres:
        import psycopg

        with psycopg.connect(f"{PG}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")
            admin.execute(f"CREATE DATABASE {DB_NAME}")
        os.environ["DATABASE_URL"] = f"{PG}/{DB_NAME}"
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{data_dir}/bench.sqlite3"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", action="store_true", help="Run on PostgreSQL instead of SQLite.")
    parser.add_argument("--quick", action="store_true", help="Few rounds, to check the script.")
    parser.add_argument("--rounds", type=int, default=8, help="Pairs of rounds (on, off), alternating.")
    parser.add_argument("--per-day", type=int, default=12, help="Dossiers per simulated working day.")
    parser.add_argument("--days", type=int, default=7, help="Calendar days each round simulates.")
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.per_day, args.days = 2, 4, 3

    with tempfile.TemporaryDirectory(prefix="motcua-bench-chain-") as data_dir:
        configure(args.postgres, data_dir)
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from motcua.demo.simulation import Simulator
        from motcua.dossiers import chain
        from motcua.dossiers.models import DossierEvent
        from motcua.dossiers.services import events

        call_command("migrate", verbosity=0)
        call_command("loaddemo", verbosity=0)
        sealed = events.seal
        inside_seal: list[float] = []

        def timed_seal(event: DossierEvent, code: str) -> None:
            started = time.perf_counter()
            sealed(event, code)
            inside_seal.append(time.perf_counter() - started)

        def no_seal(event: DossierEvent, code: str) -> None:
            event.prev_hash = event.hash = event.hash_algorithm = ""

        def one_round(seed: int, seal: object) -> tuple[float, int]:
            events.seal = seal  # type: ignore[assignment]
            before = DossierEvent.objects.count()
            started = time.perf_counter()
            Simulator(seed).run(args.days, args.per_day)
            elapsed = time.perf_counter() - started
            events.seal = sealed
            return elapsed, DossierEvent.objects.count() - before

        one_round(1, timed_seal)  # warm-up: caches, prepared statements, the calendar
        inside_seal.clear()
        per_event = {"on": [], "off": []}
        totals = {"on": [0.0, 0], "off": [0.0, 0]}
        for n in range(args.rounds):
            order = ("on", "off") if n % 2 == 0 else ("off", "on")
            for side in order:
                elapsed, appended = one_round(100 + n, timed_seal if side == "on" else no_seal)
                per_event[side].append(elapsed / max(appended, 1))
                totals[side][0] += elapsed
                totals[side][1] += appended
                print(f"round {n + 1} chain {side:>3}: {appended} events in {elapsed:.2f} s", flush=True)

        on, off = statistics.median(per_event["on"]), statistics.median(per_event["off"])
        ratios = [a / b for a, b in zip(per_event["on"], per_event["off"], strict=True)]
        seal_us = statistics.median(inside_seal) * 1e6
        print()
        print(f"engine: {connection.vendor}; python {sys.version.split()[0]}; chain {chain.__name__}")
        print(f"events per side: {totals['on'][1]} with the chain, {totals['off'][1]} without")
        print(
            f"time per event (an intake or an action), median of rounds: {on * 1e3:.2f} ms with the chain, "
            f"{off * 1e3:.2f} ms without"
        )
        whole = (totals["on"][0] / totals["on"][1]) / (totals["off"][0] / totals["off"][1])
        print(
            f"ratio with/without: median {statistics.median(ratios):.3f} "
            f"(rounds {min(ratios):.3f}-{max(ratios):.3f}); over all rounds {whole:.3f}"
        )
        print(
            f"inside the seal (previous hash read + SHA-256): median {seal_us:.0f} µs per event, "
            f"{seal_us / (off * 1e6) * 100:.1f} % of an action without the chain"
        )
    if args.postgres:
        import psycopg
        from django.db import connections

        connections.close_all()
        with psycopg.connect(f"{PG}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")


if __name__ == "__main__":
    main()
