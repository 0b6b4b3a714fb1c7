"""Idempotent creation: a retry with the same `Idempotency-Key` gets the first answer, never a duplicate."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import Conflict, InvalidInput
from motcua.core.models import IdempotencyKey

MAX_KEY_LENGTH = 255


def request_fingerprint(payload: Any) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def run_once(
    user: User,
    scope: str,
    key: str | None,
    payload: Any,
    create: Callable[[], tuple[int, dict[str, Any]]],
) -> tuple[int, dict[str, Any]]:
    """Run `create` (which returns status and JSON body) at most once per (user, scope, key).

    The key row is written in the same transaction as what `create` writes, so either both exist or neither.
    Two concurrent requests with one key: the loser's insert fails on the unique constraint after the winner
    commits, and it answers with the winner's stored response.
    """
    if not key:
        with transaction.atomic():
            return create()
    if len(key) > MAX_KEY_LENGTH:
        raise InvalidInput.field("Idempotency-Key", "too_long", _("The Idempotency-Key header is too long."))
    fingerprint = request_fingerprint(payload)
    try:
        with transaction.atomic():
            stored = _stored(user, scope, key, fingerprint)
            if stored is not None:
                return stored
            status, body = create()
            IdempotencyKey.objects.create(
                user=user, scope=scope, key=key, request_hash=fingerprint, status_code=status, response=body
            )
            return status, body
    except IntegrityError:
        stored = _stored(user, scope, key, fingerprint)
        if stored is None:
            raise
        return stored


def _stored(user: User, scope: str, key: str, fingerprint: str) -> tuple[int, dict[str, Any]] | None:
    row = IdempotencyKey.objects.filter(user=user, scope=scope, key=key).first()
    if row is None:
        return None
    if row.request_hash != fingerprint:
        raise Conflict(_("This Idempotency-Key was already used with a different request body."))
    return row.status_code, row.response
