"""Idempotent creation: a retry with the same `Idempotency-Key` gets the first answer, never a duplicate.

What is kept is only what answers the retry (ADR 0018, Law 91/2025 on personal data): the status, the created
resource's reference (a dossier code), and a keyed fingerprint of the request that cannot be reversed into
its personal data. The body is rebuilt from the resource on replay, so it shows the resource as it is now.
Answers expire after MOTCUA_IDEMPOTENCY_TTL_DAYS: an expired one is ignored on read (the key may be used
again) and deleted by `motcua purge` and the worker's periodic job.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import Conflict, InvalidInput
from motcua.core.models import IdempotencyKey

MAX_KEY_LENGTH = 255
FINGERPRINT_SALT = "motcua.core.idempotency"

# What `create` returns: the status, the created resource's reference, and the answer's body.
Created = tuple[int, str, dict[str, Any]]


def request_fingerprint(payload: Any) -> str:
    """Keyed with SECRET_KEY: a plain hash of a body that holds an ID number could be matched by guessing."""
    text = json.dumps(payload, sort_keys=True, default=str)
    return salted_hmac(FINGERPRINT_SALT, text, algorithm="sha256").hexdigest()


def expiry_cutoff(now: dt.datetime | None = None) -> dt.datetime:
    """Answers stored before this moment have expired."""
    return (now or timezone.now()) - dt.timedelta(days=settings.MOTCUA_IDEMPOTENCY_TTL_DAYS)


def run_once(
    user: User,
    scope: str,
    key: str | None,
    payload: Any,
    create: Callable[[], Created],
    replay: Callable[[str], dict[str, Any]],
) -> tuple[int, dict[str, Any]]:
    """Run `create` at most once per (user, scope, key) while its answer lasts; a retry gets the status it
    answered and `replay(reference)`, the body rebuilt from the resource it created.

    The key row is written in the same transaction as what `create` writes, so either both exist or neither.
    Two concurrent requests with one key: the loser's insert fails on the unique constraint after the winner
    commits, and it answers with the winner's stored response.
    """
    if not key:
        with transaction.atomic():
            status, _reference, body = create()
            return status, body
    if len(key) > MAX_KEY_LENGTH:
        raise InvalidInput.field("Idempotency-Key", "too_long", _("The Idempotency-Key header is too long."))
    fingerprint = request_fingerprint(payload)
    try:
        with transaction.atomic():
            stored = _stored(user, scope, key, fingerprint)
            if stored is not None:
                return stored[0], replay(stored[1])
            status, reference, body = create()
            IdempotencyKey.objects.create(
                user=user,
                scope=scope,
                key=key,
                request_hash=fingerprint,
                status_code=status,
                resource=reference,
            )
            return status, body
    except IntegrityError:
        stored = _stored(user, scope, key, fingerprint)
        if stored is None:
            raise
        return stored[0], replay(stored[1])


def _stored(user: User, scope: str, key: str, fingerprint: str) -> tuple[int, str] | None:
    row = IdempotencyKey.objects.filter(user=user, scope=scope, key=key).first()
    if row is None:
        return None
    if row.created_at < expiry_cutoff():
        # Expired: as if never stored. Deleted now so that the key can be stored again in this transaction.
        row.delete()
        return None
    # An empty fingerprint is a row kept from before fingerprints were keyed (migration 0002): it stands.
    if row.request_hash and row.request_hash != fingerprint:
        raise Conflict(_("This Idempotency-Key was already used with a different request body."))
    return row.status_code, row.resource


def purge_expired(now: dt.datetime | None = None) -> int:
    """Delete the expired answers; how many were deleted."""
    deleted, _by_model = IdempotencyKey.objects.filter(created_at__lt=expiry_cutoff(now)).delete()
    return deleted
