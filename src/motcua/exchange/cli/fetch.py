"""`motcua exchange fetch [--since DATE]`: take in the dossiers filed on the national portal now, as the
worker does every MOTCUA_DVCQG_FETCH_INTERVAL_SECONDS."""

from __future__ import annotations

import datetime as dt
from argparse import ArgumentParser, ArgumentTypeError
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from motcua.delivery.outbox import Refused, Unreachable
from motcua.exchange.cli.portal import required_client
from motcua.exchange.dvcqg.inbound import UnreadableListing, fetch_new_dossiers

NAME = "fetch"
HELP = (
    "Fetch the dossiers filed on the national portal since the last fetch (or since --since) and create the "
    "new ones; a dossier already here is not created twice."
)


def _local_time(text: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD) or a time (YYYY-MM-DDTHH:MM)") from None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def add_arguments(parser: ArgumentParser) -> None:
    parser.add_argument(
        "--since",
        type=_local_time,
        help="Ask for the dossiers filed from this local date or time on (YYYY-MM-DD or "
        "YYYY-MM-DDTHH:MM), to look again at a period, e.g. after mapping a procedure; the next regular "
        "fetch is not moved back.",
    )


def run(command: BaseCommand, options: dict[str, Any]) -> None:
    required_client()
    try:
        result = fetch_new_dossiers(since=options["since"])
    except (Unreachable, Refused, UnreadableListing) as error:
        raise CommandError(f"The national portal's new dossiers could not be fetched: {error}") from None
    for code in result.created:
        command.stdout.write(f"Created {code}")
    for national_code in result.problems:
        command.stderr.write(f"Not taken in: {national_code} (its reason is kept with the inbound problems)")
    command.stdout.write(
        f"{len(result.created)} created, {result.known} already here, {len(result.problems)} not taken in"
        + (f", {result.unreadable} unreadable" if result.unreadable else "")
        + "."
    )
