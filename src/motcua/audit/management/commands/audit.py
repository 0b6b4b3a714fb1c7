"""`motcua audit verify` and `motcua audit anchor`: re-compute the hash chains, export their heads (ADR 0015,
docs/operations/audit.md)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from motcua.audit.verify import AnchorInvalid, Report, anchor, read_anchor, total_records, verify


class Command(BaseCommand):
    help = "Verify the hash chains of the dossier events and of the change record, or export their heads."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True)
        check = commands.add_parser("verify", help="Re-compute every chain; exit 1 naming the first break.")
        check.add_argument(
            "--anchor", help="An anchor file written earlier: prove nothing before it changed."
        )
        check.add_argument("--limit", type=int, default=20, help="How many breaks to list (default 20).")
        export = commands.add_parser("anchor", help="Verify, then print or write the chain heads as JSON.")
        export.add_argument("--output", help="Write the anchor to this file instead of printing it.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["command"] == "verify":
            self._verify(options)
        else:
            self._anchor(options)

    def _bar(self) -> tqdm[Any]:
        # Progress on stderr, so that `anchor` can print its JSON on stdout.
        return tqdm(total=total_records(), unit=" records", disable=None, file=sys.stderr)

    def _verify(self, options: dict[str, Any]) -> None:
        anchored = None
        if options["anchor"]:
            try:
                anchored = read_anchor(Path(options["anchor"]).read_text(encoding="utf-8"))
            except OSError as error:
                raise CommandError(f"--anchor: {error}") from None
            except AnchorInvalid as error:
                raise CommandError(f"--anchor: {error}") from None
        bar = self._bar()
        try:
            report = verify(limit=max(1, options["limit"]), progress=bar.update, anchor=anchored)
        except KeyboardInterrupt:
            raise CommandError("Interrupted: nothing was verified to the end.") from None
        finally:
            bar.close()
        self._summary(report)
        if report.broken:
            for problem in report.breaks:
                self.stdout.write(f"BROKEN {problem}")
            raise CommandError(f"{report.broken} broken record(s); the first: {report.breaks[0]}")
        against = f", and everything the anchor {options['anchor']} saw is unchanged" if anchored else ""
        self.stdout.write(f"All chains are intact{against}.")

    def _summary(self, report: Report) -> None:
        self.stdout.write(
            f"Checked {report.dossier_events} events in {report.dossier_chains} dossier chains "
            f"and {report.changes} change records."
        )

    def _anchor(self, options: dict[str, Any]) -> None:
        bar = self._bar()
        try:
            document, report = anchor(progress=bar.update)
        except KeyboardInterrupt:
            raise CommandError("Interrupted: no anchor was written.") from None
        finally:
            bar.close()
        if report.broken:
            for problem in report.breaks:
                self.stderr.write(f"BROKEN {problem}")
            raise CommandError(f"{report.broken} broken record(s): no anchor is made over a broken chain.")
        text = json.dumps(document, ensure_ascii=False, indent=1)
        if options["output"]:
            Path(options["output"]).write_text(text + "\n", encoding="utf-8")
            self.stdout.write(
                f"Anchor written to {options['output']}: digest {document['digest']}, "
                f"{report.dossier_chains} dossier chains, {report.changes} change records."
            )
        else:
            self.stdout.write(text)
