"""`motcua stats rebuild` and `motcua stats verify`: recount the rollups (ADR 0008)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from tqdm import tqdm

from motcua.org.models import Agency
from motcua.org.selectors import subtree_ids
from motcua.stats.periods import Period
from motcua.stats.recount import rebuild, verify


class Command(BaseCommand):
    help = "Rebuild the statistics rollups from the dossier events, or verify a period against the dossiers."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True)
        commands.add_parser("rebuild", help="Recompute every rollup from the dossier events.")
        check = commands.add_parser("verify", help="Recount a period from the dossier rows and compare.")
        check.add_argument("--from", dest="first", help="First day, YYYY-MM-DD (default: 1st of this month).")
        check.add_argument("--to", dest="last", help="Last day, YYYY-MM-DD (default: today).")
        check.add_argument("--unit", help="Identity code of an agency: verify its subtree only.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["command"] == "rebuild":
            self._rebuild()
        else:
            self._verify(options)

    def _rebuild(self) -> None:
        bar = tqdm(unit=" dossiers", disable=None)
        try:
            counted = rebuild(progress=bar.update, total=lambda n: setattr(bar, "total", n))
        except KeyboardInterrupt:
            raise CommandError("Interrupted: the rollups are unchanged.") from None
        finally:
            bar.close()
        self.stdout.write(f"Rebuilt the rollups from the events of {counted} received dossiers.")

    def _verify(self, options: dict[str, Any]) -> None:
        today = timezone.localdate()
        try:
            first = dt.date.fromisoformat(options["first"]) if options["first"] else today.replace(day=1)
            last = dt.date.fromisoformat(options["last"]) if options["last"] else today
            period = Period(first, last)
        except ValueError as error:
            raise CommandError(f"--from/--to: {error}") from None
        agency_ids = None
        if options["unit"]:
            root = Agency.objects.filter(identity_code=options["unit"]).first()
            if root is None:
                raise CommandError(f"--unit: no agency has the identity code {options['unit']}.")
            agency_ids = sorted(subtree_ids([root.pk]))
        differences = verify(period, agency_ids)
        if differences:
            for difference in differences:
                recounted, stored = difference.recounted, difference.stored
                self.stdout.write(f"DIFFERENT {difference.what}: recounted {recounted}, stored {stored}")
            raise CommandError(f"{len(differences)} differences between the rollups and the dossiers.")
        self.stdout.write(f"The rollups agree with the dossiers for {first:%d/%m/%Y}–{last:%d/%m/%Y}.")
