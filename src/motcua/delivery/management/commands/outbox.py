"""`motcua outbox list|deliver|retry`: see the outbound messages, deliver the due ones now, retry failed ones
(docs/operations/outbox.md). A message's payload holds personal data and is never printed."""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Mapping
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from motcua.core.errors import Conflict, InvalidInput, NotFound
from motcua.delivery.models import OutboxMessage
from motcua.delivery.outbox import deliver_due, retry, retry_all
from motcua.delivery.selectors import (
    STATES,
    envelope,
    next_attempt,
    outbox_messages,
    read_filters,
    shown_error,
    state_of,
)

# The longest error text a table row shows; --json gives it whole.
ERROR_WIDTH = 80


def _positive(text: str) -> int:
    number = int(text)
    if number < 1:
        raise ValueError(text)
    return number


class Command(BaseCommand):
    help = "The outbox: list its messages, deliver the due ones now, retry dead or failing ones."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True)
        listing = commands.add_parser("list", help="The messages, newest first, without their payloads.")
        listing.add_argument("--status", choices=STATES, help="Only the messages in this state.")
        listing.add_argument("--destination", help="Only the messages for this destination (e.g. dvcqg).")
        listing.add_argument("--limit", type=_positive, default=100, help="At most this many (default 100).")
        listing.add_argument("--json", action="store_true", help="One JSON array instead of a table.")
        deliver = commands.add_parser("deliver", help="Deliver every due message now (one worker cycle).")
        deliver.add_argument("--limit", type=_positive, help="Try at most this many messages per cycle.")
        deliver.add_argument(
            "--loop", action="store_true", help="Deliver again every --interval seconds until interrupted."
        )
        deliver.add_argument(
            "--interval",
            type=_positive,
            default=5,
            help="Seconds between two cycles with --loop (default 5).",
        )
        again = commands.add_parser(
            "retry", help="Make dead or failing messages due now, tries counted afresh."
        )
        again.add_argument("ids", nargs="*", type=_positive, metavar="ID", help="The messages to retry.")
        again.add_argument("--all", action="store_true", help="Every dead or failing message.")
        again.add_argument("--destination", help="With --all: only those for this destination.")

    # The command speaks English throughout, the domain's reasons included (a Vietnamese one in an English
    # sentence reads worse than either).
    @no_translations
    def handle(self, *args: Any, **options: Any) -> None:
        {"list": self._list, "deliver": self._deliver, "retry": self._retry}[options["command"]](options)

    def _list(self, options: dict[str, Any]) -> None:
        try:
            filters = read_filters({"status": options["status"], "destination": options["destination"]})
        except InvalidInput as error:
            raise CommandError("; ".join(f"--{p.field}: {p.message}" for p in error.errors)) from None
        messages = list(outbox_messages(filters)[: options["limit"]])
        if options["json"]:
            self.stdout.write(json.dumps([envelope(m) for m in messages], cls=DjangoJSONEncoder, indent=1))
            return
        for message in messages:
            self.stdout.write(self._row(message))
        self.stdout.write(f"{len(messages)} message(s) shown, newest first.")

    def _row(self, message: OutboxMessage) -> str:
        due = next_attempt(message)
        error = shown_error(message.last_error).replace("\n", " ")
        if len(error) > ERROR_WIDTH:
            error = error[: ERROR_WIDTH - 1] + "…"
        fields = [
            f"#{message.pk}",
            message.destination,
            message.kind,
            message.ordering_key or "-",
            state_of(message),
            f"attempts={message.attempts}",
            f"next={timezone.localtime(due):%Y-%m-%d %H:%M:%S}" if due else "next=-",
        ]
        return "  ".join(fields) + (f"  error: {error}" if error else "")

    def _deliver(self, options: dict[str, Any]) -> None:
        if not options["loop"]:
            self._report(deliver_due(limit=options["limit"]).as_dict())
            return
        total: Counter[str] = Counter()
        try:
            while True:
                run = deliver_due(limit=options["limit"])
                if any(run.as_dict().values()):
                    self._report(run.as_dict())
                total.update(run.as_dict())
                time.sleep(options["interval"])
        except KeyboardInterrupt:
            self.stdout.write("Stopped. In all: " + self._counts(total))

    def _report(self, counts: Mapping[str, int]) -> None:
        self.stdout.write(f"{timezone.localtime():%H:%M:%S} " + self._counts(counts))

    @staticmethod
    def _counts(counts: Mapping[str, int]) -> str:
        return (
            f"delivered {counts['delivered']}, failed {counts['failed']} (to be tried again), "
            f"dead {counts['dead']} (waiting for a person)."
        )

    def _retry(self, options: dict[str, Any]) -> None:
        ids: list[int] = options["ids"]
        if options["all"] == bool(ids):
            raise CommandError("Name the messages to retry, or give --all; not both.")
        if options["destination"] and not options["all"]:
            raise CommandError("--destination goes with --all.")
        if options["all"]:
            count = retry_all(options["destination"] or None)
            self.stdout.write(f"{count} message(s) due again now.")
            return
        # All or none: a mistyped or delivered ID leaves every message as it was.
        try:
            with transaction.atomic():
                for message_id in dict.fromkeys(ids):
                    retry(message_id)
        except (NotFound, Conflict) as error:
            raise CommandError(f"{error.detail} Nothing was retried.") from None
        self.stdout.write(f"{len(set(ids))} message(s) due again now.")
