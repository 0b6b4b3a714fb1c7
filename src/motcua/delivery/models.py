"""The outbox: every message to an outside party is a row written in the transaction of the change that caused
it, and delivered afterwards by the worker (ADR 0020)."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class MessageStatus(models.TextChoices):
    # Waiting for its first try, or for the next one after a failure (then `attempts` > 0: "failing").
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    # Refused by the receiver, or failed as often as the settings allow: waits for a person to retry it.
    DEAD = "dead", _("Not deliverable")


class OutboxMessage(models.Model):
    destination = models.CharField(max_length=100, help_text=_("Who receives it: dvcqg, partner:<code>."))
    kind = models.CharField(max_length=64, help_text=_("What it is: it names its sender."))
    # Messages with one key are delivered one after the other in the order they were written (a dossier's).
    ordering_key = models.CharField(max_length=100, blank=True)
    # Sent to the receiver with every try, so that a retry is never applied twice.
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    payload = models.JSONField()
    status = models.CharField(max_length=16, choices=MessageStatus.choices, default=MessageStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    # A worker trying the message holds it until then; one killed mid-try leaves it to the next after that.
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    answer = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["ordering_key", "id"], name="outbox_order"),
            models.Index(fields=["destination", "status"], name="outbox_destination"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} → {self.destination} ({self.status})"

    @property
    def failing(self) -> bool:
        return self.status == MessageStatus.PENDING and self.attempts > 0


class DestinationState(models.Model):
    """How a destination has been answering: its circuit breaker."""

    destination = models.CharField(max_length=100, unique=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    # While the breaker is open its messages are not tried (they wait, their attempts unspent).
    open_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.destination
