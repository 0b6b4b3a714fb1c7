"""A receiver for the outbox's tests, of kind `test.echo`, in this process: it answers, is down, or refuses,
by destination, as the test sets it. The outbox's pages and commands are tested with it, not an outside party.

    from motcua.delivery.tests.echo import echo_receiver  # noqa: F401 (the fixture "echo")

    def test_x(echo):
        echo.down.add("partner:a")
        message = echo.write("partner:a", ordering_key="dossier:X")
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import transaction

from motcua.delivery.models import MessageStatus, OutboxMessage
from motcua.delivery.outbox import Refused, Unreachable, deliver_due, enqueue, sender_replaced

KIND = "test.echo"
# A personal identification number the payloads carry: it must never be shown.
SECRET_ID = "001090099887"


@dataclass
class EchoReceiver:
    down: set[str] = field(default_factory=set)
    refusing: set[str] = field(default_factory=set)
    received: list[uuid.UUID] = field(default_factory=list)

    def __call__(self, message: OutboxMessage) -> dict[str, Any]:
        if message.destination in self.down:
            raise Unreachable(f"{message.destination} does not answer")
        if message.destination in self.refusing:
            # A receiver's refusal may quote what it was sent: the pages must mask it.
            raise Refused(f"applicant {message.payload['applicant_id']} is unknown")
        self.received.append(message.idempotency_key)
        return {"echo": message.pk}

    def write(self, destination: str, *, ordering_key: str = "") -> OutboxMessage:
        with transaction.atomic():
            return enqueue(destination, KIND, {"applicant_id": SECRET_ID}, ordering_key=ordering_key)

    def written(self, destination: str, state: str, *, ordering_key: str = "") -> OutboxMessage:
        """A message for `destination` brought to `state` (pending, failing, dead, delivered) by real tries;
        write the pending ones last, as the tries deliver every message that is due."""
        message = self.write(destination, ordering_key=ordering_key)
        if state == "pending":
            return message
        if state == "failing":
            self.down.add(destination)
        elif state == "dead":
            self.refusing.add(destination)
        deliver_due()
        self.down.discard(destination)
        self.refusing.discard(destination)
        message.refresh_from_db()
        expected = {"failing": MessageStatus.PENDING, "dead": MessageStatus.DEAD}
        assert message.status == expected.get(state, MessageStatus.DELIVERED), message
        return message


@pytest.fixture(name="echo")
def echo_receiver() -> Iterator[EchoReceiver]:
    receiver = EchoReceiver()
    with sender_replaced(KIND, receiver):
        yield receiver
