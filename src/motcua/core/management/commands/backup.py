import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from motcua.core.backup import BackupError, make_backup


class Command(BaseCommand):
    help = (
        "Write one archive (zip) of the whole database, read in one snapshot, and every uploaded file, with "
        "a manifest of versions, migration state, counts and checksums (docs/operations/backup.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="where to write the archive, e.g. /srv/backup/motcua-2026-12-07.zip")

    def handle(self, *args: Any, file: str, verbosity: int = 1, **kw: Any) -> None:
        def progress(description: str, total: int) -> tqdm:
            return tqdm(
                total=total, desc=description, unit=" rows", file=sys.stderr, disable=verbosity < 1 or None
            )

        target = Path(file)
        if target.exists():
            raise CommandError(f"{target} exists: a backup never overwrites one.")
        try:
            manifest, summary = make_backup(target, progress=progress)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Backup written to {target}: {summary.rows} rows in {len(summary.tables)} tables, "
            f"{summary.files} files ({summary.file_bytes} bytes), database {manifest['database']}, "
            f"motcua {manifest['motcua_version']}."
        )
