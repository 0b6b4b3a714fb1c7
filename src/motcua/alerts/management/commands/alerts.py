"""`motcua alerts scan`: run one deadline scan now and print what it warned."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from tqdm import tqdm

from motcua.alerts.services import scan_deadlines


class Command(BaseCommand):
    help = "Deadline alerts: run one scan now (the worker runs it every MOTCUA_ALERT_INTERVAL_MINUTES)."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True)
        commands.add_parser("scan", help="Warn of the deadlines due soon or missed, and send the e-mails.")

    def handle(self, *args: Any, **options: Any) -> None:
        bar = tqdm(unit=" dossiers", disable=None)

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        try:
            result = scan_deadlines(timezone.now(), progress)
        except KeyboardInterrupt:
            raise CommandError("Interrupted: the warnings recorded so far are kept; run it again.") from None
        finally:
            bar.close()
        for line in result.warned:
            due = f"{timezone.localtime(line.due_at):%d/%m/%Y %H:%M}"
            step = f" [{line.step}]" if line.step else ""
            what = f"{line.kind} level {line.level}"
            self.stdout.write(f"{what}: {line.dossier}{step} due {due} → {line.recipient}")
        self.stdout.write(
            f"New warnings: {len(result.warned)}, on {result.dossiers} dossiers due soon or overdue; "
            f"e-mails sent: {result.emails_sent}, refused by the mail server: {result.emails_failed}."
        )
