import datetime as dt
from argparse import ArgumentParser
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from tqdm import tqdm

from motcua.catalog.importer import ImportFileError, import_procedures, province_publisher_code, read_records
from motcua.catalog.services import Outcome


def add_version_options(parser: ArgumentParser) -> None:
    """The options of every import into the catalogue: when the new versions start, who publishes them."""
    parser.add_argument(
        "--valid-from",
        type=dt.date.fromisoformat,
        help="First day of new and changed versions (YYYY-MM-DD); default today.",
    )
    parser.add_argument(
        "--publisher",
        help="Identity code appended to national codes to form local codes; default the province's "
        "People's Committee.",
    )


class Command(BaseCommand):
    help = (
        "Import procedures from a national public service portal (DVCQG) JSON file. A changed procedure "
        "becomes a new version; each procedure is imported in its own transaction, so an interrupted run can "
        "be run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        add_version_options(parser)
        parser.add_argument("--dry-run", action="store_true", help="Check and classify, write nothing.")

    def handle(
        self, *args, file: Path, valid_from: dt.date | None, publisher: str | None, dry_run: bool, **kw
    ) -> None:
        publisher = publisher or province_publisher_code()
        if publisher is None:
            raise CommandError(
                f"Province {settings.MOTCUA_PROVINCE_CODE} has no People's Committee here; use --publisher."
            )
        try:
            records = read_records(file)
            # disable=None: a progress bar on a terminal, none in logs and pipes.
            progress = tqdm(records, desc="Procedures", unit="TTHC", disable=None)
            report = import_procedures(
                progress,
                valid_from=valid_from or timezone.localdate(),
                publisher_code=publisher,
                dry_run=dry_run,
            )
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        for failure in report.failures:
            self.stderr.write(failure)
        counts = report.outcomes
        summary = (
            f"{'Dry run, nothing written: ' if dry_run else ''}{counts[Outcome.CREATED]} created, "
            f"{counts[Outcome.NEW_VERSION]} new version, {counts[Outcome.UNCHANGED]} unchanged, "
            f"{len(report.failures)} failed."
        )
        if report.failures:
            raise CommandError(summary)
        self.stdout.write(summary)
