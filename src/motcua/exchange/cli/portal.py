"""What the national portal's subcommands share: its client, or a clear refusal when synchronisation is
off."""

from __future__ import annotations

from django.core.management.base import CommandError

from motcua.exchange.dvcqg.client import PortalClient, portal_client


def required_client() -> PortalClient:
    client = portal_client()
    if client is None:
        raise CommandError("Synchronisation with the national portal is off: MOTCUA_DVCQG_URL is not set.")
    return client
