"""`motcua exchange reconcile --from YYYY-MM-DD --to YYYY-MM-DD [--json]`: what the national portal holds
against what it should hold for the dossiers received (or submitted) on those days.

Exit code 0 when nothing differs, 1 when something does (each difference is printed), 2 when the portal could
not be asked (the reason on stderr; argparse also exits 2 on a malformed argument)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.core.errors import InvalidInput
from motcua.exchange.dvcqg.reconciliation import Reconciliation, ReconciliationFailed, reconcile

NAME = "reconcile"
HELP = (
    "Compare what the national portal holds with our dossiers received or submitted between two days; "
    "exit 0 when they agree, 1 on differences, 2 when the portal cannot be asked."
)
DIFFERENCES_FOUND = 1
PORTAL_UNAVAILABLE = 2


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date written YYYY-MM-DD") from None


def add_arguments(parser: CommandParser) -> None:
    parser.add_argument("--from", dest="date_from", type=_day, required=True, help="First day, YYYY-MM-DD.")
    parser.add_argument("--to", dest="date_to", type=_day, required=True, help="Last day, YYYY-MM-DD.")
    parser.add_argument("--json", action="store_true", help="Print the run and its differences as JSON.")


def run(command: BaseCommand, options: dict[str, Any]) -> None:
    try:
        result = reconcile(options["date_from"], options["date_to"])
    except InvalidInput as error:
        problems = "; ".join(f"--{p.field}: {p.message}" for p in error.errors)
        raise CommandError(problems, returncode=PORTAL_UNAVAILABLE) from None
    except ReconciliationFailed as failure:
        raise CommandError(
            f"The national portal could not be asked: {failure.reason}", returncode=PORTAL_UNAVAILABLE
        ) from None
    if options["json"]:
        command.stdout.write(json.dumps(_as_json(result), ensure_ascii=False, indent=2))
    else:
        _print(command, result)
    if result.differences:
        raise CommandError(f"{len(result.differences)} difference(s).", returncode=DIFFERENCES_FOUND)


def _as_json(result: Reconciliation) -> dict[str, Any]:
    run = result.run
    return {
        "run": run.pk,
        "from": run.date_from.isoformat(),
        "to": run.date_to.isoformat(),
        "expected": result.expected,
        "on_portal": result.on_portal,
        "differences": [d.as_dict() for d in result.differences],
    }


def _print(command: BaseCommand, result: Reconciliation) -> None:
    run = result.run
    command.stdout.write(
        f"Reconciliation {run.pk}, {run.date_from}..{run.date_to}: {result.expected} expected on the portal, "
        f"{result.on_portal} listed by it, {len(result.differences)} difference(s)."
    )
    for d in result.differences:
        values = f"{d.field}: ours {d.ours or '-'}, portal {d.theirs or '-'}" if d.field else ""
        command.stdout.write(
            "\t".join(part for part in (str(d.kind), d.code, d.dossier or "-", values, d.detail) if part)
        )
