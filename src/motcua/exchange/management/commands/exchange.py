"""`motcua exchange SUBCOMMAND`: the exchange with the national portal and other systems; each subcommand is
a module of motcua.exchange.cli."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.exchange.cli import subcommands


class Command(BaseCommand):
    help = "Exchange with the national public service portal and other systems."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        for name, module in subcommands().items():
            module.add_arguments(commands.add_parser(name, help=module.HELP, description=module.HELP))

    def handle(self, *args: Any, **options: Any) -> None:
        subcommands()[options["subcommand"]].run(self, options)
