"""`motcua exchange import-mappings FILE.csv`: our procedures' and agencies' codes on the national portal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.core.errors import InvalidInput
from motcua.exchange.mappings import COLUMNS, import_mappings, read_csv

NAME = "import-mappings"
HELP = (
    f"Import the national codes of procedures and agencies from a UTF-8 CSV file with the columns "
    f"{', '.join(COLUMNS)} (kind: procedure or agency); all rows or none."
)


def add_arguments(parser: CommandParser) -> None:
    parser.add_argument("file", help="The CSV file.")


def run(command: BaseCommand, options: dict[str, Any]) -> None:
    path = Path(options["file"])
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"{path}: {error}") from None
    try:
        summary = import_mappings(read_csv(text))
    except InvalidInput as error:
        for problem in error.errors:
            command.stderr.write(f"{problem.field}: {problem.message}")
        raise CommandError(f"{path}: {error.detail} ({len(error.errors)} problem(s))") from None
    for kind in summary.created:
        command.stdout.write(f"{kind}: {summary.created[kind]} created, {summary.updated[kind]} updated")
    command.stdout.write(f"unchanged: {summary.unchanged}")
