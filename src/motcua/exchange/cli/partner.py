"""`motcua exchange partner add|list|remove`: the agencies of other deployments we exchange dossiers with."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.core.errors import InvalidInput, NotFound
from motcua.exchange.partners import add_partner, partners, remove_partner

NAME = "partner"
HELP = "Add, list or remove the partner agencies dossiers are exchanged with as edXML."

# Secrets come from the environment rather than the command line, which other users see in the process list.
OUTBOUND_ENV = "MOTCUA_PARTNER_OUTBOUND_CREDENTIAL"
INBOUND_ENV = "MOTCUA_PARTNER_INBOUND_CREDENTIAL"


def add_arguments(parser: CommandParser) -> None:
    actions = parser.add_subparsers(dest="partner_action", required=True)
    add = actions.add_parser(
        "add",
        help="Make an agency a partner, or update it.",
        description=(
            f"The credential we present to the partner is read from ${OUTBOUND_ENV}; the one it presents to "
            f"us from ${INBOUND_ENV}, or generated and printed once when that is unset."
        ),
    )
    add.add_argument("identity_code", help="The partner agency's identity code, e.g. 000.00.21.H27.")
    add.add_argument("--inbox-url", required=True, help="Its edXML inbox, e.g. https://…/api/v1/edxml/inbox.")
    add.add_argument("--name", default="", help="The agency's name, when it is not known here yet.")
    add.add_argument(
        "--administrative-unit",
        default="",
        help="The code of its administrative unit, when not known here yet.",
    )
    actions.add_parser("list", help="List the partners (never their credentials).")
    remove = actions.add_parser("remove", help="Stop exchanging with a partner.")
    remove.add_argument("identity_code")


def run(command: BaseCommand, options: dict[str, Any]) -> None:
    action = options["partner_action"]
    if action == "add":
        _add(command, options)
    elif action == "list":
        for partner in partners():
            state = "active" if partner.is_active else "inactive"
            command.stdout.write(
                f"{partner.identity_code}\t{partner.agency.name}\t{partner.inbox_url}\t{state}"
            )
    else:
        try:
            remove_partner(options["identity_code"])
        except NotFound as error:
            raise CommandError(str(error.detail)) from None
        command.stdout.write(f"{options['identity_code']} is no longer a partner.")


def _add(command: BaseCommand, options: dict[str, Any]) -> None:
    outbound = os.environ.get(OUTBOUND_ENV, "")
    if not outbound:
        raise CommandError(f"Set {OUTBOUND_ENV} to the credential the partner gave us.")
    try:
        added = add_partner(
            options["identity_code"],
            inbox_url=options["inbox_url"],
            outbound_credential=outbound,
            inbound_credential=os.environ.get(INBOUND_ENV) or None,
            name=options["name"],
            administrative_unit=options["administrative_unit"],
        )
    except InvalidInput as error:
        raise CommandError(
            "\n".join(f"{problem.field}: {problem.message}" for problem in error.errors)
        ) from None
    verb = "added" if added.created else "updated"
    command.stdout.write(f"Partner {added.partner.identity_code} {verb}.")
    if added.generated_inbound_credential:
        command.stdout.write(
            "Give the partner this credential to present to us (it is shown only now): "
            f"{added.generated_inbound_credential}"
        )
