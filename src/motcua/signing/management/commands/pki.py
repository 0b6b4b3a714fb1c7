"""`motcua pki demo`: make the demo root CA and a certificate for each demo agency that has none (`make run`).

Idempotent: what exists is kept. Everything it makes is marked DEMO in its name and must never sign a real
result; a production deployment puts its agencies' real keys in MOTCUA_SIGNING_KEYS_DIR (or an HSM signer)
and names its real trust roots in MOTCUA_SIGNING_TRUST_ROOTS.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from motcua.org.models import Agency
from motcua.signing.pki import AgencyIdentity, ensure_demo_pki


class Command(BaseCommand):
    help = "Make the demo PKI (root CA and one certificate per demo agency) under MOTCUA_SIGNING_KEYS_DIR."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("what", choices=["demo"], help="demo: the demo root CA and agency certificates")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.ENVIRONMENT == "production":
            raise CommandError("The demo PKI is not made in production (MOTCUA_ENV=production).")
        directory = Path(settings.MOTCUA_SIGNING_KEYS_DIR)
        agencies = [AgencyIdentity(a.identity_code, a.name) for a in Agency.objects.filter(is_demo=True)]
        issued = ensure_demo_pki(directory, agencies)
        self.stdout.write(
            f"Demo PKI in {directory}: {len(issued)} agency certificate(s) issued, "
            f"{len(agencies) - len(issued)} kept."
        )
