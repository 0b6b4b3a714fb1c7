"""Benchmark of the exchange with the national portal: what the outbox costs an intake and an action, and how
many messages a worker delivers per second to a real `motcua sandbox` process.

    .venv/bin/python bench/exchange.py                 # SQLite in a temporary directory, a few minutes
    .venv/bin/python bench/exchange.py --postgres      # a fresh PostgreSQL database, motcua_bench_exchange
    .venv/bin/python bench/exchange.py --quick         # small numbers, checks the script

A fresh database gets the schema and the demo province (`loaddemo`); every demo procedure is mapped to its
national code when the sandbox's portal knows it, else to one it knows (the portal refuses a record of a
procedure it does not know, and refusals are not what is measured). The sandbox runs as its own process on the
loopback (`motcua.sandbox.testing.running_sandbox`).

1. The added cost. The demo's simulator drives the real services (`create_dossier`, `take_action`: intake and
   every action of a dossier's life), dossier by dossier alternately with synchronisation on (MOTCUA_DVCQG_URL
   pointing at the sandbox: every history entry writes its record and progress messages and queues the
   worker's task, in the action's transaction) and off (MOTCUA_DVCQG_URL empty: nothing is written). Nothing
   is delivered meanwhile: the cost measured is the citizen's and officer's, the outbox rows only. Wall and
   CPU time per intake and per action, each side, and their ratio.
2. Delivery. Then one worker cycle (`deliver_due`, in this process) delivers every message the "on" side
   wrote, one HTTP call each to the sandbox (DongBoHoSoMC, CapNhatTienDoHoSoMC): messages per second.

It prints figures and ratios against the baseline measured in the same run; it passes or fails nothing. This
is a benchmark, never a test.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script, the helpers are imported as the `bench` namespace package

from bench import _simulated  # noqa: E402

DB_NAME = "motcua_bench_exchange"
SIDES = ("on", "off")


class Timed:
    """Wall and CPU time spent in one service, per side."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.wall: Counter[str] = Counter()
        self.cpu: Counter[str] = Counter()

    def wrap(self, function: Callable[..., Any], side: list[str]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                self.wall[side[0]] += time.perf_counter() - wall
                self.cpu[side[0]] += time.process_time() - cpu
                self.calls[side[0]] += 1

        return timed

    def per_call_ms(self, side: str) -> tuple[float, float]:
        calls = max(self.calls[side], 1)
        return self.wall[side] / calls * 1e3, self.cpu[side] / calls * 1e3

    def line(self, what: str) -> str:
        (on_wall, on_cpu), (off_wall, off_cpu) = self.per_call_ms("on"), self.per_call_ms("off")
        return (
            f"{what}: {self.calls['on']} with sync on, {self.calls['off']} off; wall {on_wall:.2f} · "
            f"{off_wall:.2f} ms, ratio {on_wall / off_wall:.3f}; CPU {on_cpu:.2f} · {off_cpu:.2f} ms, "
            f"ratio {on_cpu / off_cpu:.3f}"
        )


def main() -> None:
    args = _simulated.options(__doc__.split("\n\n")[0], rounds=4)
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ.pop("MOTCUA_DVCQG_URL", None)  # the script switches synchronisation on and off itself

    with tempfile.TemporaryDirectory(prefix="motcua-bench-exchange-") as data_dir:
        _simulated.fresh_database(args.postgres, data_dir, DB_NAME)
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection

        from motcua.catalog.models import Procedure
        from motcua.delivery.models import MessageStatus, OutboxMessage
        from motcua.delivery.outbox import deliver_due
        from motcua.demo import simulation
        from motcua.exchange.dvcqg.client import portal_client
        from motcua.exchange.models import ProcedureMapping
        from motcua.sandbox.testing import running_sandbox

        call_command("migrate", verbosity=0)
        call_command("loaddemo", verbosity=0, stdout=io.StringIO())
        with running_sandbox() as sandbox:
            portal = {
                "MOTCUA_DVCQG_URL": sandbox.url,
                "MOTCUA_DVCQG_USER": sandbox.user,
                "MOTCUA_DVCQG_PASSWORD": sandbox.password,
                "MOTCUA_DVCQG_DSTCODE": sandbox.dstcode,
            }
            for name, value in portal.items():
                setattr(settings, name, value)
            client = portal_client()
            assert client is not None
            known = [item["MATTHC"] for item in client.call("LayDanhSachTTHC", {})]
            for procedure in Procedure.objects.all():
                code = procedure.national_code if procedure.national_code in known else known[0]
                ProcedureMapping.objects.update_or_create(
                    procedure=procedure, defaults={"national_code": code}
                )

            side = ["off"]
            intakes, actions = Timed(), Timed()
            simulation.create_dossier = intakes.wrap(simulation.create_dossier, side)
            simulation.take_action = actions.wrap(simulation.take_action, side)

            def switch(to: str) -> None:
                side[0] = to
                settings.MOTCUA_DVCQG_URL = sandbox.url if to == "on" else ""

            life = simulation.Simulator.one_dossier
            turn = [0]

            def one_dossier(self: simulation.Simulator, *a: object, **kw: object) -> None:
                switch(SIDES[turn[0] % 2])
                turn[0] += 1
                life(self, *a, **kw)  # type: ignore[arg-type]

            switch("off")
            simulation.Simulator(1).run(3, args.per_day)  # warm-up: caches, the calendar, the first session
            for timed in (intakes, actions):
                timed.calls.clear(), timed.wall.clear(), timed.cpu.clear()
            simulation.Simulator.one_dossier = one_dossier  # type: ignore[method-assign]
            started = time.perf_counter()
            for n in range(args.rounds):
                simulation.Simulator(100 + n).run(args.days, args.per_day)
                print(f"round {n + 1}/{args.rounds}: {turn[0]} dossiers so far", flush=True)
            elapsed = time.perf_counter() - started
            simulation.Simulator.one_dossier = life  # type: ignore[method-assign]
            switch("on")

            written = OutboxMessage.objects.all()
            kinds = Counter(written.values_list("kind", flat=True))
            # The session is open already (the catalogue was read through it): the first call is not a log-in.
            wall, cpu = time.perf_counter(), time.process_time()
            run = deliver_due()
            delivery_wall, delivery_cpu = time.perf_counter() - wall, time.process_time() - cpu
            left = written.exclude(status=MessageStatus.DELIVERED).count()
            held = len(sandbox.dossiers())

        print()
        print(f"engine: {connection.vendor}; python {sys.version.split()[0]}; {elapsed:.0f} s of simulation")
        print(f"dossiers: {turn[0]} ({intakes.calls['on']} intakes with sync on, {intakes.calls['off']} off)")
        print(intakes.line("intake (create_dossier)"))
        print(actions.line("action (take_action)"))
        by_kind = ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items()))
        print(f"messages written by the 'on' side: {sum(kinds.values())} ({by_kind})")
        each = max(run.delivered, 1)
        print(
            f"delivery: {run.delivered} delivered, {run.failed} failed, {run.dead} dead in "
            f"{delivery_wall:.2f} s: {run.delivered / delivery_wall:.0f} messages/s, "
            f"{delivery_wall / each * 1e3:.2f} ms each ({delivery_cpu / each * 1e3:.2f} ms CPU in this "
            f"process); {left} left undelivered; the portal holds {held} dossiers"
        )
    if args.postgres:
        _simulated.drop_database(DB_NAME)


if __name__ == "__main__":
    main()
