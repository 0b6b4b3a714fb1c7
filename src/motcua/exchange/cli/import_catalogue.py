"""`motcua exchange import-catalogue (--code CODE ... | --all)`: import national procedures from the portal
into the catalogue as new versions, and map them."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from motcua.catalog.importer import ImportFileError, province_publisher_code
from motcua.catalog.management.commands.importprocedures import add_version_options
from motcua.catalog.services import Outcome
from motcua.delivery.outbox import Refused, Unreachable
from motcua.exchange.cli.portal import required_client
from motcua.exchange.dvcqg.catalogue import import_catalogue, national_codes

NAME = "import-catalogue"
HELP = (
    "Import procedures from the national portal's catalogue (LayThuTuc) through the catalogue's importer: a "
    "changed procedure becomes a new version; each one imported is mapped to its national code."
)


def add_arguments(parser: ArgumentParser) -> None:
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--code", nargs="+", metavar="CODE", help="National procedure codes, e.g. 1.001193.")
    which.add_argument("--all", action="store_true", help="Every procedure the portal lists.")
    add_version_options(parser)


def run(command: BaseCommand, options: dict[str, Any]) -> None:
    client = required_client()
    publisher = options["publisher"] or province_publisher_code()
    if publisher is None:
        raise CommandError("The province has no People's Committee here to publish under; use --publisher.")
    try:
        codes = options["code"] or national_codes(client)
        result = import_catalogue(
            client, codes, valid_from=options["valid_from"] or timezone.localdate(), publisher_code=publisher
        )
    except (Unreachable, Refused) as error:
        raise CommandError(f"The national catalogue could not be read: {error}") from None
    except ImportFileError as error:
        raise CommandError(str(error)) from None
    for failure in result.report.failures:
        command.stderr.write(failure)
    for code, why in result.unavailable.items():
        command.stderr.write(f"{code}: not imported: {why}")
    counts = result.report.outcomes
    summary = (
        f"{len(result.listed)} asked: {counts[Outcome.CREATED]} created, {counts[Outcome.NEW_VERSION]} new "
        f"version, {counts[Outcome.UNCHANGED]} unchanged, {len(result.report.failures)} failed, "
        f"{len(result.unavailable)} unavailable; {result.mapped} mapping(s) added."
    )
    if result.report.failures or result.unavailable:
        raise CommandError(summary)
    command.stdout.write(summary)
