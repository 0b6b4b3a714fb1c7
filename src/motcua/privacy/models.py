"""The access log of personal data: one row per read of one dossier's personal data or files (ADR 0016).

Rows are only ever added: the model refuses to save a row twice or to delete one, and on PostgreSQL the
database refuses UPDATE and DELETE on the table (migration 0002)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from motcua.org.models import Agency
from motcua.privacy.constants import AccessChannel, AccessKind


class AccessRecordQuerySet(models.QuerySet["AccessRecord"]):
    def update(self, **kwargs: Any) -> int:
        raise TypeError("Access records are never updated.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("Access records are never deleted.")


class AccessRecord(models.Model):
    """Who read which dossier's personal data, when, from where, through what and what exactly.

    The dossier is named by its code, not a foreign key: recording costs one INSERT and no read of the
    dossier, and the record outlives any later reorganisation of the dossier's rows."""

    at = models.DateTimeField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The unit the reader acted for and the roles they hold there, as they were at the time.
    unit = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    roles = models.CharField(max_length=200, blank=True)
    dossier_code = models.CharField(max_length=64, blank=True)
    channel = models.CharField(max_length=16, choices=AccessChannel.choices)
    kind = models.CharField(max_length=32, choices=AccessKind.choices)
    # Which file, which form, which export: never a personal number.
    detail = models.CharField(max_length=200, blank=True)
    client_address = models.CharField(max_length=45, blank=True)

    objects = AccessRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["dossier_code", "-at"], name="access_dossier_recent"),
            models.Index(fields=["user", "-at"], name="access_user_recent"),
            models.Index(fields=["-at", "-id"], name="access_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.kind} {self.dossier_code}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise TypeError("Access records are never updated.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("Access records are never deleted.")
