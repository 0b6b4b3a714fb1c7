"""`motcua purge`: delete what has outlived its retention (the worker's periodic scan does the same)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from motcua.core.retention import purge_all


class Command(BaseCommand):
    help = (
        "Delete what has outlived its retention: answers to Idempotency-Keys (MOTCUA_IDEMPOTENCY_TTL_DAYS), "
        "finished background tasks (MOTCUA_TASK_RESULTS_RETENTION_DAYS), delivered outbound messages "
        "(MOTCUA_OUTBOX_RETENTION_DAYS)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for what, deleted in purge_all().items():
            self.stdout.write(f"Deleted {deleted} {what}.")
