"""Each dossier's history is one hash chain (ADR 0015): an event's hash covers what it records and the hash of
the event before it, by version, in the same dossier.

One chain per dossier rather than one for the province: every action already holds its dossier's row lock, so
reading the previous event's hash adds one indexed read and no new point of contention.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection

from motcua.core import hashchain
from motcua.dossiers.models import Dossier, DossierEvent


def event_content(
    *,
    code: str,
    action: str,
    actor_id: int | None,
    actor_unit_id: int | None,
    at: dt.datetime,
    from_status: str,
    to_status: str,
    version: int,
    note: str,
    data: Any,
) -> dict[str, Any]:
    """What an event's hash covers: everything it records, the dossier named by its code."""
    return {
        "dossier": code,
        "action": action,
        "actor": actor_id,
        "unit": actor_unit_id,
        "at": hashchain.timestamp(at),
        "from": from_status,
        "to": to_status,
        "version": version,
        "note": note,
        "data": data,
    }


def stored_content(event: DossierEvent, code: str) -> dict[str, Any]:
    return event_content(
        code=code,
        action=event.action,
        actor_id=event.actor_id,
        actor_unit_id=event.actor_unit_id,
        at=event.at,
        from_status=event.from_status,
        to_status=event.to_status,
        version=event.version,
        note=event.note,
        data=event.data,
    )


# The previous hash is read with a fixed SQL statement: the same read built by the ORM costs ten times as much
# Python per action (bench/chain.py), on the path of every intake and action.
_HEAD_SQL = (
    f"SELECT hash FROM {DossierEvent._meta.db_table} WHERE dossier_id = %s ORDER BY version DESC LIMIT 1"
)


def head_of(dossier: Dossier) -> str:
    """The hash of the dossier's last event, or GENESIS before its first: the link of its next event.

    The caller holds the dossier's row lock (or has just created the dossier), so no event can slip in
    between; the unique index on (dossier, version) answers this from its last entry."""
    with connection.cursor() as cursor:
        cursor.execute(_HEAD_SQL, [dossier.pk])
        row = cursor.fetchone()
    return str(row[0]) if row else hashchain.GENESIS


def seal(event: DossierEvent, code: str) -> None:
    """Give a new event its place in its dossier's chain: the previous hash, its own, the algorithm."""
    event.prev_hash = head_of(event.dossier)
    event.hash_algorithm = hashchain.ALGORITHM
    event.hash = hashchain.link(event.prev_hash, stored_content(event, code), event.hash_algorithm)
