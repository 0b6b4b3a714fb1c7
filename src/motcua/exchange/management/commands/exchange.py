"""`motcua exchange <subcommand>`: the exchange's commands, one module per subcommand in `exchange/cli/`
(each with `HELP`, `add_arguments(parser)` and `run(command, options)`)."""

from __future__ import annotations

from types import ModuleType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.exchange.cli import fetch, import_catalogue

SUBCOMMANDS: dict[str, ModuleType] = {"fetch": fetch, "import-catalogue": import_catalogue}


class Command(BaseCommand):
    help = "Exchange with the national portal and other agencies."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        for name, module in SUBCOMMANDS.items():
            module.add_arguments(commands.add_parser(name, help=module.HELP, description=module.HELP))

    def handle(self, *args: Any, **options: Any) -> None:
        SUBCOMMANDS[options["subcommand"]].run(self, options)
