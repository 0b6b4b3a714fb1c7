"""The change chain (ADR 0015): one hash-chained, append-only record of every change to delegations, staff
roles, staff accounts' rights and the catalogue, appended in the transaction of the change."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Operation(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")


class ChangeQuerySet(models.QuerySet["ChangeRecord"]):
    def update(self, **kwargs: Any) -> int:
        raise TypeError("Change records are never updated.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("Change records are never deleted.")


class ChangeRecord(models.Model):
    """Who changed what, when: the model, the row, each changed field as [old, new]."""

    at = models.DateTimeField(_("at"))
    # The actor is kept by id and name, not by a foreign key: the record must outlive the account, and must
    # not stop an account from being deleted (which is itself recorded).
    actor_id = models.BigIntegerField(_("actor id"), null=True)
    actor_name = models.CharField(_("actor"), max_length=150, blank=True)
    via = models.CharField(_("via"), max_length=64, help_text=_("A web request, or the command that ran."))
    model = models.CharField(_("model"), max_length=100)
    object_pk = models.CharField(_("object"), max_length=64)
    operation = models.CharField(_("operation"), max_length=8, choices=Operation.choices)
    changes = models.JSONField(_("changes"), default=dict)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)
    hash_algorithm = models.CharField(max_length=8, editable=False)

    objects = ChangeQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("change record")
        verbose_name_plural = _("change records")
        indexes = [models.Index(fields=["model", "object_pk"], name="audit_change_object")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.operation} {self.model} {self.object_pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise TypeError("Change records are never updated.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("Change records are never deleted.")


class ChainLock(models.Model):
    """The row every appender of a shared chain locks first, so that the chain stays a line, not a tree."""

    name = models.CharField(max_length=32, primary_key=True)
