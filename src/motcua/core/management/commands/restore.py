import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from motcua.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore an archive made by `motcua backup` into a new database that `motcua migrate` has just made "
        "(refuses one with any row in it) and MEDIA_ROOT, after checking its manifest and every checksum."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the archive `motcua backup` wrote")

    def handle(self, *args: Any, file: str, verbosity: int = 1, **kw: Any) -> None:
        def progress(description: str, total: int) -> tqdm:
            return tqdm(
                total=total, desc=description, unit=" rows", file=sys.stderr, disable=verbosity < 1 or None
            )

        source = Path(file)
        if not source.is_file():
            raise CommandError(f"{source} is not a file.")
        try:
            manifest, summary = restore_backup(source, progress=progress)
        except BackupError as exc:
            raise CommandError(f"Nothing was restored: {exc}") from exc
        self.stdout.write(
            f"Restored {summary.rows} rows in {len(summary.tables)} tables and {summary.files} files "
            f"({summary.file_bytes} bytes) from the backup of {manifest['created_at']} "
            f"({manifest['database']}, motcua {manifest['motcua_version']})."
        )
