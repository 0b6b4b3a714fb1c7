"""The API's reads of a dossier, published by the dossiers app (which may not call this one), recorded."""

from __future__ import annotations

from motcua.core.domain_events import subscribe
from motcua.dossiers.domain_events import DossierDataRead
from motcua.privacy.constants import AccessChannel, AccessKind
from motcua.privacy.services import Reader, acting_unit, record

KINDS = {"dossier": AccessKind.API_DOSSIER, "events": AccessKind.API_EVENTS}


@subscribe(DossierDataRead)
def record_api_read(event: DossierDataRead) -> None:
    # The reader's roles were loaded by the request's scope check and are memoised on the user object.
    unit_id, roles = acting_unit(event.reader, event.units)
    record(
        Reader(int(event.reader.pk), unit_id, roles, event.client_address),
        channel=AccessChannel.API,
        kind=KINDS[event.what],
        codes=[event.code],
    )
