"""`motcua exchange unmapped`: the procedures whose dossiers are not synchronised, having no national code."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.exchange.mappings import unmapped_procedures

NAME = "unmapped"
HELP = "List the procedures that have dossiers but no national code (their dossiers are not synchronised)."


def add_arguments(parser: CommandParser) -> None:
    """No options."""


def run(command: BaseCommand, options: dict[str, Any]) -> None:
    procedures = unmapped_procedures()
    for procedure in procedures:
        command.stdout.write(
            f"{procedure.local_code}\t{procedure.national_code}\t{procedure.dossiers} dossier(s)"
        )
    command.stdout.write(f"{len(procedures)} procedure(s) without a national code.")
