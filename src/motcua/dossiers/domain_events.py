"""The events a dossier's history publishes to the apps above (ADR 0011): one class per event name of the
history, each delivered after the transaction that appended it commits. Subscribe to one of them (a
notification when `SupplementRequested`), or to `DossierActed` for every one (a sync of every status change).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured

from motcua.core.domain_events import DomainEvent
from motcua.dossiers.lifecycle import ACTIONS, ActionName, CreationEvent, OutsideEvent
from motcua.dossiers.models import DossierEvent


@dataclass(frozen=True)
class DossierActed(DomainEvent):
    """An entry was appended to a dossier's history: what `DossierEvent` holds, as committed."""

    name: ClassVar[str]  # the event's name in the history (`DossierEvent.action`)

    dossier_id: int
    code: str
    version: int
    from_status: str
    to_status: str
    actor_id: int | None
    actor_unit_id: int | None
    at: dt.datetime
    data: Mapping[str, Any]


class DossierSubmitted(DossierActed):
    name = CreationEvent.SUBMIT


class DossierReceived(DossierActed):
    name = CreationEvent.RECEIVE


class SubmissionAccepted(DossierActed):
    name = ActionName.ACCEPT


class FixRequested(DossierActed):
    name = ActionName.REQUEST_FIX


class DossierRefused(DossierActed):
    name = ActionName.REFUSE


class DossierAssigned(DossierActed):
    name = ActionName.ASSIGN


class DossierForwarded(DossierActed):
    name = ActionName.FORWARD


class DossierSentBack(DossierActed):
    name = ActionName.SEND_BACK


class DossierTransferred(DossierActed):
    name = ActionName.TRANSFER


class SupplementRequested(DossierActed):
    name = ActionName.REQUEST_SUPPLEMENT


class SupplementSubmitted(DossierActed):
    name = ActionName.SUBMIT_SUPPLEMENT


class SupplementAccepted(DossierActed):
    name = ActionName.ACCEPT_SUPPLEMENT


class PaymentRequested(DossierActed):
    name = ActionName.REQUEST_PAYMENT


class PaymentRecorded(DossierActed):
    name = ActionName.RECORD_PAYMENT


class ProcessingStopped(DossierActed):
    name = ActionName.STOP


class ResultIssued(DossierActed):
    name = ActionName.ISSUE_RESULT


class ResultReturned(DossierActed):
    name = ActionName.RETURN_RESULT


class DossierWithdrawn(DossierActed):
    name = ActionName.WITHDRAW


class ApologyIssued(DossierActed):
    name = ActionName.APOLOGISE


class PartnerStatusRecorded(DossierActed):
    """A partner agency reported on a dossier we transferred to it; the status of ours is unchanged."""

    name = OutsideEvent.PARTNER_STATUS


@dataclass(frozen=True)
class DossierDataRead(DomainEvent):
    """Someone read a dossier's personal data through the API (`what`: "dossier" or "events"); the access
    log of personal data (privacy, ADR 0016) records it. Not part of the history, so not a DossierActed."""

    reader: User
    code: str
    units: tuple[int, ...]  # the dossier's current, receiving and competent units, nearest first
    what: str
    client_address: str


EVENT_TYPES: dict[str, type[DossierActed]] = {kind.name: kind for kind in DossierActed.__subclasses__()}
if EVENT_TYPES.keys() != {*ACTIONS, *CreationEvent, *OutsideEvent}:
    raise ImproperlyConfigured("Every event of a dossier's history has exactly one published event type.")


def published(entry: DossierEvent, code: str) -> DossierActed:
    """The event to publish for a history entry just appended to the dossier `code`."""
    return EVENT_TYPES[entry.action](
        dossier_id=entry.dossier_id,
        code=code,
        version=entry.version,
        from_status=entry.from_status,
        to_status=entry.to_status,
        actor_id=entry.actor_id,
        actor_unit_id=entry.actor_unit_id,
        at=entry.at,
        data=dict(entry.data),
    )
