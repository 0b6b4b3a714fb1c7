"""Appending to a dossier's history: every change of state is saved together with its event, which is
published to the apps above once the transaction commits (ADR 0011), and is sealed into the dossier's hash
chain (ADR 0015)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User

from motcua.core.domain_events import publish
from motcua.dossiers.chain import seal
from motcua.dossiers.domain_events import published
from motcua.dossiers.models import Dossier, DossierEvent


def append_event(
    dossier: Dossier,
    action: str,
    actor: User | None,
    at: dt.datetime,
    from_status: str,
    actor_unit_id: int | None = None,
    note: str = "",
    data: dict[str, Any] | None = None,
) -> DossierEvent:
    entry = DossierEvent(
        dossier=dossier,
        action=action,
        actor=actor,
        actor_unit_id=actor_unit_id,
        at=at,
        from_status=from_status,
        to_status=dossier.status,
        version=dossier.version,
        note=note,
        data=data or {},
    )
    seal(entry, dossier.code)
    entry.save(force_insert=True)
    publish(published(entry, dossier.code))
    return entry
