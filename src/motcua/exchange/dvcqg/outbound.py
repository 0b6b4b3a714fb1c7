"""Every dossier and every change of it, synchronised to the national portal through the outbox
(docs/integrations/dvcqg-outbound.md).

Each entry appended to a dossier's history writes, in the same transaction, the dossier's record as it now
stands (DongBoHoSoMC: status, dates, fees, supplements, result), and for every entry after the first the
progress entry of that step (CapNhatTienDoHoSoMC), both under the dossier's ordering key, record first: the
portal never hears of a step before it holds the dossier. Nothing is written while synchronisation is off
(MOTCUA_DVCQG_URL unset), nor for a dossier whose procedure has no national code: the portal would refuse it
(`motcua exchange unmapped` lists those procedures).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from motcua.core.domain_events import subscribe_in_transaction
from motcua.delivery.models import OutboxMessage
from motcua.delivery.outbox import Refused, Unreachable, enqueue, register_sender
from motcua.dossiers.domain_events import DossierActed
from motcua.dossiers.lifecycle import CreationEvent
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.exchange.dvcqg.client import portal_client
from motcua.exchange.dvcqg.config import portal_config
from motcua.exchange.dvcqg.records import ProcedureNotMapped, dossier_record, progress_entry
from motcua.exchange.models import NationalSync

logger = logging.getLogger(__name__)

DESTINATION = "dvcqg"
DOSSIER_KIND = "dvcqg.dossier"
PROGRESS_KIND = "dvcqg.progress"
# The portal's services (DOMAIN.md §13.1).
SYNC_DOSSIERS = "DongBoHoSoMC"
UPDATE_PROGRESS = "CapNhatTienDoHoSoMC"
# What a record or an entry needs of the dossier, read in one query.
DOSSIER_RELATIONS = (
    "procedure_version__procedure__national_mapping",
    "procedure_version__field",
    "case",
    "competent_authority__national_mapping",
    "national_sync",
)

CREATION_EVENTS = frozenset(CreationEvent)


def ordering_key(code: str) -> str:
    return f"dossier:{code}"


@subscribe_in_transaction(DossierActed)
def enqueue_sync(event: DossierActed) -> None:
    """Write the messages that tell the portal of `event`, in the transaction that appended it."""
    if portal_config() is None:
        return
    dossier = Dossier.objects.select_related(*DOSSIER_RELATIONS).get(pk=event.dossier_id)
    key = ordering_key(dossier.code)
    try:
        payload = record_payload(dossier, updating=_is_update(dossier, key))
    except ProcedureNotMapped as unmapped:
        # Counted in the log; the procedures themselves are listed by `motcua exchange unmapped`.
        logger.info("Dossier %s is not synchronised: procedure %s has no national code", event.code, unmapped)
        return
    enqueue(DESTINATION, DOSSIER_KIND, payload, ordering_key=key)
    if event.name not in CREATION_EVENTS:
        entry = DossierEvent.objects.select_related("actor", "actor_unit").get(
            dossier=dossier, version=event.version
        )
        enqueue(
            DESTINATION,
            PROGRESS_KIND,
            {"dossier": dossier.code, "fields": {"data": [progress_entry(dossier, entry)]}},
            ordering_key=key,
        )


def record_payload(dossier: Dossier, *, updating: bool) -> dict[str, Any]:
    """The payload of a `dvcqg.dossier` message: the dossier's record as it now stands, new to the portal or
    an update of what it holds; ProcedureNotMapped when the procedure has no national code."""
    record = dossier_record(dossier)
    return {
        "dossier": dossier.code,
        "fields": {"isUpdating": "true" if updating else "false", "data": [record]},
    }


def _is_update(dossier: Dossier, key: str) -> bool:
    """Whether a record of the dossier was sent before (isUpdating "true"): false for the first one only.
    The first may come after the creation (its procedure mapped since); a record delivered long ago may have
    left the outbox, but not the dossier's NationalSync."""
    # The sync record is read with the dossier (DOSSIER_RELATIONS); a missing one-to-one is an AttributeError.
    sent_before = (
        hasattr(dossier, "national_sync")
        or OutboxMessage.objects.filter(ordering_key=key, kind=DOSSIER_KIND).exists()
    )
    return sent_before


def _call(message: OutboxMessage, service: str) -> Any:
    client = portal_client()
    if client is None:
        # Written while synchronisation was on, and it has been turned off since: they wait for it.
        raise Unreachable("Synchronisation with the national portal is off (MOTCUA_DVCQG_URL is unset).")
    return client.call(service, message.payload["fields"], idempotency_key=str(message.idempotency_key))


def _refusal_in(result: Any) -> str | None:
    """The portal's complaint about the record, when its per-record answer is an error; None when accepted."""
    for outcome in result if isinstance(result, list) else []:
        # Success is written 0, "0" or "00", as for the whole answer.
        if isinstance(outcome, Mapping) and str(outcome.get("error_code", 0)).strip().lstrip("0"):
            return f"DVCQG error {outcome.get('error_code')}: {outcome.get('message', '')}".rstrip(": ")
    return None


@register_sender(DOSSIER_KIND)
def send_dossier(message: OutboxMessage) -> dict[str, Any]:
    """Hand the dossier's record to the portal (DongBoHoSoMC); record what it now holds."""
    result = _call(message, SYNC_DOSSIERS)
    if refusal := _refusal_in(result):
        raise Refused(refusal)
    record = message.payload["fields"]["data"][0]
    _record_synced(message.payload["dossier"], record["MaHoSo"], record["TrangThaiHoSo"])
    return {"MaHoSo": record["MaHoSo"], "TrangThaiHoSo": record["TrangThaiHoSo"]}


@register_sender(PROGRESS_KIND)
def send_progress(message: OutboxMessage) -> dict[str, Any]:
    """Add the entry to the dossier's progress on the portal (CapNhatTienDoHoSoMC)."""
    result = _call(message, UPDATE_PROGRESS)
    if refusal := _refusal_in(result):
        raise Refused(refusal)
    entry = message.payload["fields"]["data"][0]
    return {"MaHoSo": entry["MaHoSo"], "TrangThai": entry["TrangThai"]}


def _record_synced(code: str, national_code: str, status: str) -> None:
    now = timezone.now()
    with transaction.atomic():
        dossier_id = Dossier.objects.values_list("pk", flat=True).get(code=code)
        sync, created = NationalSync.objects.select_for_update().get_or_create(
            dossier_id=dossier_id,
            defaults={
                "national_code": national_code,
                "first_synced_at": now,
                "last_synced_at": now,
                "synced_status": status,
            },
        )
        if not created:
            sync.national_code = national_code
            sync.last_synced_at = now
            sync.synced_status = status
            sync.save(update_fields=["national_code", "last_synced_at", "synced_status"])
