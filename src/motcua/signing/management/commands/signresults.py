"""`motcua signresults`: sign the issued PDF results that have no signed copy yet (a signer that was away, a
process that died after the issuing commit). Safe to run at any time and to interrupt: each result is signed
once, in its own step; run it from cron or after restoring a signer."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from tqdm import tqdm

from motcua.signing.services import pending_results, try_to_sign


class Command(BaseCommand):
    help = "Sign the issued PDF results that have no signed copy yet."

    def handle(self, *args: Any, **options: Any) -> None:
        pending = list(pending_results().select_related("result_file", "competent_authority"))
        signed = 0
        for dossier in tqdm(pending, desc="signing", unit="result", disable=not pending):
            if try_to_sign(dossier) is not None:
                signed += 1
        self.stdout.write(f"{signed} result(s) signed, {len(pending) - signed} still unsigned.")
