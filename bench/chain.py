"""Benchmark of the hash chain (ADR 0015): what sealing each dossier event costs an action.

    .venv/bin/python bench/chain.py                 # SQLite in a temporary directory, about 3 minutes
    .venv/bin/python bench/chain.py --postgres      # a fresh PostgreSQL database, motcua_bench_chain
    .venv/bin/python bench/chain.py --quick         # small numbers, checks the script

A fresh database gets the schema and the demo province (`loaddemo`); then the demo's simulator drives the real
services (`create_dossier`, `take_action`: intake and every action of a dossier's life, with their statistics
and side effects), dossier by dossier alternately with the chain on and with the chain's work skipped. The
skipping is a monkeypatch of this script only (the seal that reads the previous hash and hashes the event is
replaced by one that fills the columns with nothing); there is no switch in the product. It prints the wall
and CPU time per event of each side, their ratio, and the time spent inside the seal itself, which is the
chain's whole direct cost. This is a benchmark, never a test.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script, the helpers are imported as the `bench` namespace package

from bench import _simulated  # noqa: E402

DB_NAME = "motcua_bench_chain"


def main() -> None:
    args = _simulated.options(__doc__.split("\n\n")[0], rounds=6)

    with tempfile.TemporaryDirectory(prefix="motcua-bench-chain-") as data_dir:
        _simulated.fresh_database(args.postgres, data_dir, DB_NAME)
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from motcua.demo.simulation import Simulator
        from motcua.dossiers.models import DossierEvent
        from motcua.dossiers.services import events

        call_command("migrate", verbosity=0)
        call_command("loaddemo", verbosity=0)
        sealed = events.seal
        inside_seal: list[float] = []
        appended = {"on": 0, "off": 0}

        def timed_seal(event: DossierEvent, code: str) -> None:
            started = time.perf_counter()
            sealed(event, code)
            inside_seal.append(time.perf_counter() - started)
            appended["on"] += 1

        def no_seal(event: DossierEvent, code: str) -> None:
            event.prev_hash = event.hash = event.hash_algorithm = ""
            appended["off"] += 1

        # Each dossier's whole life (intake, then every action the simulator takes on it) runs on one side,
        # the sides alternating dossier by dossier: the load of other processes on a shared machine then falls
        # on both sides alike, which rounds of a few seconds each could not promise.
        spent = {"on": [0.0, 0.0], "off": [0.0, 0.0]}  # wall, this process's CPU
        life = Simulator.one_dossier
        turn = [0]

        def one_dossier(self: Simulator, *a: object, **kw: object) -> None:
            side = "on" if turn[0] % 2 == 0 else "off"
            turn[0] += 1
            events.seal = timed_seal if side == "on" else no_seal  # type: ignore[assignment]
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                life(self, *a, **kw)  # type: ignore[arg-type]
            finally:
                spent[side][0] += time.perf_counter() - wall
                spent[side][1] += time.process_time() - cpu
                events.seal = sealed

        Simulator(1).run(3, args.per_day)  # warm-up: caches, prepared statements, the calendar
        inside_seal.clear()
        appended.update(on=0, off=0)
        Simulator.one_dossier = one_dossier  # type: ignore[method-assign]
        started = time.perf_counter()
        for n in range(args.rounds):
            Simulator(100 + n).run(args.days, args.per_day)
            print(f"round {n + 1}/{args.rounds}: {sum(appended.values())} events so far", flush=True)
        elapsed = time.perf_counter() - started

        per_event = {side: [t / max(appended[side], 1) for t in spent[side]] for side in spent}
        wall_ratio = per_event["on"][0] / per_event["off"][0]
        cpu_ratio = per_event["on"][1] / per_event["off"][1]
        seal_us = statistics.median(inside_seal) * 1e6
        seal_mean_us = statistics.fmean(inside_seal) * 1e6
        off_us = per_event["off"][0] * 1e6
        print()
        print(f"engine: {connection.vendor}; python {sys.version.split()[0]}; {elapsed:.0f} s of simulation")
        print(f"events: {appended['on']} with the chain, {appended['off']} without ({turn[0]} dossiers)")
        print(
            f"wall time per event (intake or action): {per_event['on'][0] * 1e3:.2f} ms with the chain, "
            f"{per_event['off'][0] * 1e3:.2f} ms without: ratio {wall_ratio:.3f}"
        )
        print(
            f"CPU of this process per event: {per_event['on'][1] * 1e3:.2f} ms with, "
            f"{per_event['off'][1] * 1e3:.2f} ms without: ratio {cpu_ratio:.3f}"
        )
        print(
            f"inside the seal (previous hash read + SHA-256): median {seal_us:.0f} µs, "
            f"mean {seal_mean_us:.0f} µs per event = {seal_mean_us / off_us * 100:.1f} % of an event's time "
            "without the chain"
        )
    if args.postgres:
        _simulated.drop_database(DB_NAME)


if __name__ == "__main__":
    main()
