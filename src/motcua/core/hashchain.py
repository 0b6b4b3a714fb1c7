"""Hash chains for the tamper-evident record (ADR 0015).

A chained record stores `prev_hash` (the hash of the record before it in its chain, or GENESIS for the first)
and `hash`, the SHA-256 of its canonical content with `prev_hash` folded in. Changing, removing or reordering
any record then breaks the recomputed chain at that record or the one after it.

The canonical encoding is JSON with sorted keys, no spaces and UTF-8 text, after a JSON round trip of the
content, so that what is hashed is exactly what the database gives back (tuples become lists, keys become
strings).
Each record stores the tag of the algorithm that hashed it: a later algorithm gets a new tag and this module
keeps computing the old ones, so the past stays verifiable.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

# The algorithm of new records: SHA-256 over the canonical JSON of the content and the previous hash.
ALGORITHM = "v1"
ALGORITHMS = frozenset({ALGORITHM})
# The `prev_hash` of the first record of a chain.
GENESIS = "0" * 64


class UnknownAlgorithm(ValueError):
    """A stored record names an algorithm this version of the code does not know."""


def timestamp(value: dt.datetime | None) -> str | None:
    """A moment as the chain encodes it: UTC with microseconds, whatever zone the value came in."""
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("chained times must be timezone-aware")
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(content: Mapping[str, Any]) -> bytes:
    """The bytes that are hashed: canonical JSON of the content as it reads back from a JSON column."""
    plain = json.loads(json.dumps(content, ensure_ascii=False, allow_nan=False))
    return json.dumps(plain, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def link(prev_hash: str, content: Mapping[str, Any], algorithm: str = ALGORITHM) -> str:
    """The hash of a record whose content is `content` and whose predecessor's hash is `prev_hash`."""
    if algorithm != ALGORITHM:
        raise UnknownAlgorithm(algorithm)
    digest = hashlib.sha256()
    digest.update(algorithm.encode("ascii"))
    digest.update(b"\n")
    digest.update(prev_hash.encode("ascii"))
    digest.update(b"\n")
    digest.update(canonical(content))
    return digest.hexdigest()


def digest_of_heads(heads: Iterable[str]) -> str:
    """One digest over a sequence of chain heads, each a line of text (an anchor's summary, ADR 0015)."""
    digest = hashlib.sha256()
    for head in heads:
        digest.update(head.encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()
