"""Rate limits per client address, counted across processes (issue 10, finding 8).

The counts live in the "throttle" cache, a database table (settings.CACHES, created by a migration of core)
so that every worker process and server sees the same count; a fixed window per (scope, address).
"""

from __future__ import annotations

import hashlib
import time

from django.core.cache import caches
from django.http import HttpRequest
from django.utils.translation import ngettext

from motcua.core.client import client_address
from motcua.core.errors import TooManyRequests


def throttle(request: HttpRequest, scope: str, limit: int, window: int) -> None:
    """Count one request of `scope` from this client; raise TooManyRequests (with the wait) over `limit` in
    `window` seconds. The address is hashed: the cache holds no personal data."""
    if limit <= 0:
        return
    now = int(time.time())
    start = now - now % window
    address = hashlib.sha256((client_address(request) or "").encode()).hexdigest()[:32]
    key = f"throttle:{scope}:{address}:{start}"
    cache = caches["throttle"]
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    if count > limit:
        wait = start + window - now
        minutes = max(1, -(-wait // 60))
        message = ngettext(
            "Too many requests from your address. Try again in %(minutes)d minute.",
            "Too many requests from your address. Try again in %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes}
        raise TooManyRequests(message, retry_after=wait)
