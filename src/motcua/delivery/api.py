"""`/api/v1/outbox`: the outbound messages, for those who watch and steer them (docs/operations/outbox.md).

The outbox sits at the bottom of the platform, below the organisation and its roles (the layers of ADR 0010):
the project mounts this router with its authentication and its two questions about a caller, who may watch
and who may steer (`motcua.api`). A message is shown by its envelope only, never its payload.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema
from ninja.security.base import AuthBase
from pydantic import Field

from motcua.core.api import LocalDateTime
from motcua.core.errors import PermissionDenied
from motcua.core.openapi import answers
from motcua.delivery.outbox import retry, retry_all, summary
from motcua.delivery.selectors import (
    DESTINATION_LENGTH,
    OutboxFilters,
    envelope,
    outbox_messages,
    shown_error,
)

PAGE_SIZE_MAX = 200
MAX_PAGE = 100_000
LARGEST_ID = 2**63 - 1  # the largest a database's id column holds
State = Literal["pending", "failing", "dead", "delivered"]
UserCheck = Callable[[User | AnonymousUser], bool]


@dataclass(frozen=True)
class OutboxAccess:
    """Who may read the outbox, and who may retry its messages."""

    may_watch: UserCheck
    may_steer: UserCheck


class MessageOut(Schema):
    id: int
    destination: str
    kind: str
    ordering_key: str
    dossier: str | None = Field(description="The dossier the message is about, from its ordering key.")
    status: State
    attempts: int
    next_attempt_at: LocalDateTime | None = Field(description="None once delivered or dead.")
    last_error: str
    created_at: LocalDateTime
    delivered_at: LocalDateTime | None


class MessagePage(Schema):
    items: list[MessageOut]
    page: int
    page_size: int
    has_next: bool


class DestinationOut(Schema):
    destination: str
    pending: int = Field(description="Waiting for their first try.")
    failing: int = Field(description="Tried, failed, waiting to be tried again.")
    dead: int = Field(description="Refused, or failed too often: waiting for a person to retry them.")
    delivered: int
    last_error: str
    breaker_open_until: LocalDateTime | None = Field(
        description="While open, the destination's messages wait without spending tries."
    )
    last_success_at: LocalDateTime | None


class RetryAllIn(Schema):
    model_config = {"extra": "forbid"}

    destination: str | None = Field(None, min_length=1, max_length=DESTINATION_LENGTH)


class RetriedOut(Schema):
    retried: int


def outbox_router(auth: Sequence[AuthBase], access: OutboxAccess) -> Router:
    """The outbox's endpoints, authenticated by `auth` and guarded by `access`."""
    router = Router(tags=["outbox"], auth=list(auth))

    def watcher(request: HttpRequest) -> None:
        if not access.may_watch(request.user):
            raise PermissionDenied(_("Only administrators and auditors see the outbox."))

    def steerer(request: HttpRequest) -> None:
        if not access.may_steer(request.user):
            raise PermissionDenied(_("Only administrators retry outbound messages."))

    @router.get(
        "", response=MessagePage, summary="Outbound messages, newest first (administrators, auditors)"
    )
    def list_messages(
        request: HttpRequest,
        status: State | None = Query(
            None, description="pending, failing (tried and failed), dead, delivered"
        ),
        destination: str = Query("", max_length=DESTINATION_LENGTH, description="e.g. dvcqg"),
        page: int = Query(1, ge=1, le=MAX_PAGE),
        page_size: int = Query(50, ge=1, le=PAGE_SIZE_MAX),
    ) -> dict[str, Any]:
        """Each message's envelope: never its payload. Pages come without a total."""
        watcher(request)
        start = (page - 1) * page_size
        messages = outbox_messages(OutboxFilters(state=status or "", destination=destination.strip()))
        rows = list(messages[start : start + page_size + 1])
        return {
            "items": [envelope(m) for m in rows[:page_size]],
            "page": page,
            "page_size": page_size,
            "has_next": len(rows) > page_size,
        }

    @router.get(
        "/summary", response=list[DestinationOut], summary="Per destination: counts, last error, breaker"
    )
    def destinations_summary(request: HttpRequest) -> list[dict[str, Any]]:
        watcher(request)
        return [
            {
                "destination": row.destination,
                "pending": row.pending,
                "failing": row.failing,
                "dead": row.dead,
                "delivered": row.delivered,
                "last_error": shown_error(row.last_error),
                "breaker_open_until": row.breaker_open_until,
                "last_success_at": row.last_success_at,
            }
            for row in summary()
        ]

    @router.post("/{message_id}/retry", response=MessageOut, summary="Retry a dead or failing message")
    @answers(409)
    def retry_message(
        request: HttpRequest, message_id: int = Path(..., ge=1, le=LARGEST_ID)
    ) -> dict[str, Any]:
        """Due again now, its tries counted afresh, its destination's breaker closed. Retrying twice is
        harmless; a delivered message answers 409, an unknown one 404."""
        steerer(request)
        return envelope(retry(message_id))

    @router.post("/retry-all", response=RetriedOut, summary="Retry every dead or failing message")
    def retry_every_message(request: HttpRequest, payload: RetryAllIn) -> dict[str, int]:
        """Of one destination when it is given; answers how many became due again."""
        steerer(request)
        return {"retried": retry_all(payload.destination)}

    return router
