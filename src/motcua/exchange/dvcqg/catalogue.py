"""The national procedure catalogue, read from the portal (`LayDanhSachTTHC`, `LayThuTuc`) into ours through
the catalogue's own importer (docs/integrations/dvcqg-inbound.md).

The importer reads the national record as the portal publishes it in files (`catalog/importer.py`); the
service answers with the same content under a few other shapes, which are brought to that one here and
nowhere else. A changed procedure becomes a new version, as with a file, so local settings and local edits
are never overwritten; each procedure imported is mapped to its national code, so its dossiers synchronise
and the portal's dossiers for it come in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction

from motcua.catalog.importer import ImportFileError, ImportReport, import_procedures
from motcua.catalog.models import ProcedureVersion
from motcua.core.text import fold_vietnamese
from motcua.exchange.dvcqg.client import PortalClient, PortalRefused
from motcua.exchange.models import AgencyMapping, ProcedureMapping
from motcua.org.models import Agency

# The online channel as the portal labels it (KENH, folded): a record without MUCDO that lists it can be filed
# online.
_ONLINE_CHANNELS = {"2", "truc tuyen"}
_PARTIAL_ONLINE = "3"


@dataclass
class CatalogueImport:
    report: ImportReport
    listed: list[str]  # the national codes asked for
    unavailable: dict[str, str]  # of those, the ones the portal gave no record of, and why
    mapped: int  # mappings created or changed


def national_codes(client: PortalClient) -> list[str]:
    """Every procedure code the portal lists (`LayDanhSachTTHC`)."""
    listing = client.call(settings.MOTCUA_DVCQG_CATALOGUE_SERVICE, {})
    if not isinstance(listing, list):
        raise ImportFileError(f"{settings.MOTCUA_DVCQG_CATALOGUE_SERVICE} did not answer with a list")
    return [str(item["MATTHC"]).strip() for item in listing if isinstance(item, dict) and item.get("MATTHC")]


def import_catalogue(
    client: PortalClient, codes: list[str], *, valid_from: dt.date, publisher_code: str
) -> CatalogueImport:
    """Fetch each procedure's record (`LayThuTuc`) and import them; map what was imported to its code."""
    records: list[Any] = []
    unavailable = {}
    for code in codes:
        try:
            answer = client.call(settings.MOTCUA_DVCQG_PROCEDURE_SERVICE, {"maTTHC": code})
        except PortalRefused as refusal:
            # One code the portal does not know stops nothing else.
            unavailable[code] = str(refusal)
            continue
        answers = answer if isinstance(answer, list) else [answer]
        found = [item for item in answers if isinstance(item, dict)]
        if not found:
            unavailable[code] = "the portal answered with no record"
        records += [importer_record(item) for item in found]
    report = import_procedures(records, valid_from=valid_from, publisher_code=publisher_code)
    mapped = 0
    with transaction.atomic():
        for version in report.versions:
            procedure = version.procedure
            mapping, created = ProcedureMapping.objects.get_or_create(
                procedure=procedure, defaults={"national_code": procedure.national_code}
            )
            if created:
                mapped += 1
            elif mapping.national_code != procedure.national_code:
                mapping.national_code = procedure.national_code
                mapping.save(update_fields=["national_code"])
                mapped += 1
    return CatalogueImport(report, codes, unavailable, mapped)


def importer_record(record: dict[str, Any]) -> dict[str, Any]:
    """A `LayThuTuc` record in the shape of the portal's files, which the importer reads."""
    converted = dict(record)
    converted["COQUANTHUCHIEN"] = [
        {
            "MADONVI": _our_agency_code(
                str(agency.get("MADONVI") or agency.get("MACOQUAN", "")).strip(),
                str(record.get("MATTHC", "")),
            ),
            "TENDONVI": agency.get("TENDONVI") or agency.get("TENCOQUAN", ""),
        }
        for agency in _objects(record, "COQUANTHUCHIEN")
    ]
    components = _objects(record, "THANHPHANHOSO")
    if components and not any("GIAYTO" in component for component in components):
        # One flat list of documents: one case, whose documents they are.
        converted["THANHPHANHOSO"] = [{"TRUONGHOP": "", "GIAYTO": components}]
    steps = _objects(record, "TRINHTUTHUCHIEN")
    if steps and not any("TRINHTU" in step for step in steps):
        converted["TRINHTUTHUCHIEN"] = [
            {"TRUONGHOP": "", "TRINHTU": [{"TENTRINHTU": step.get("TENBUOC", "")} for step in steps]}
        ]
    if not record.get("MUCDO") and _offered_online(record):
        # The service leaves out the online level; a procedure it lists with an online channel is at least
        # filed online, which is all the portal's dossiers need of it.
        converted["MUCDO"] = _PARTIAL_ONLINE
    return converted


def _our_agency_code(portal_code: str, national_procedure: str) -> str:
    """Our competent agency for the one the portal names: the agency with that identity code, else the one
    agency mapped to it; else, as the portal often names a kind of agency ("the commune's committee") rather
    than one, the agency competent for our procedure of that national code now. Otherwise the portal's code
    is kept, and the importer reports that no agency has it."""
    if Agency.objects.filter(identity_code=portal_code).exists():
        return portal_code
    mapped = list(
        AgencyMapping.objects.filter(national_code=portal_code).values_list(
            "agency__identity_code", flat=True
        )
    )
    if len(mapped) == 1:
        return mapped[0]
    current = (
        ProcedureVersion.objects.filter(procedure__national_code=national_procedure, valid_to__isnull=True)
        .values_list("competent_agency__identity_code", flat=True)
        .distinct()
    )
    return current[0] if len(current) == 1 else portal_code


def _objects(record: dict[str, Any], name: str) -> list[dict[str, Any]]:
    value = record.get(name)
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _offered_online(record: dict[str, Any]) -> bool:
    return any(
        fold_vietnamese(str(channel.get("KENH", ""))) in _ONLINE_CHANNELS
        for channel in _objects(record, "CACHTHUCTHUCHIEN")
    )
