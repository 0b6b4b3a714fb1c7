"""`motcua purge`: delete what has outlived its retention (the worker's periodic job does the same)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from motcua.core.idempotency import purge_expired


class Command(BaseCommand):
    help = "Delete expired stored answers to Idempotency-Keys (MOTCUA_IDEMPOTENCY_TTL_DAYS)."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = purge_expired()
        self.stdout.write(f"Deleted {deleted} expired idempotency answers.")
