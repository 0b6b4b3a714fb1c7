"""Public read API of the organisation: administrative units and agencies."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone
from ninja import Router, Schema

from motcua.org.models import AdministrativeUnit, Agency

router = Router(tags=["organisation"])


class UnitOut(Schema):
    code: str
    name: str
    level: str
    parent: str | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    successor: str | None


class AgencyOut(Schema):
    identity_code: str
    name: str
    kind: str
    parent: str | None
    administrative_unit: str
    address: str
    phone: str


def _in_force(include_historical: bool) -> Q:
    if include_historical:
        return Q()
    today = timezone.localdate()
    return Q(valid_to__isnull=True) | Q(valid_to__gte=today)


@router.get("/units", response=list[UnitOut], auth=None, summary="Administrative units")
def list_units(request, include_historical: bool = False, level: str | None = None) -> list[UnitOut]:
    """Units in force today; `include_historical=true` adds the former districts and merged communes."""
    units = AdministrativeUnit.objects.filter(_in_force(include_historical)).select_related(
        "parent", "successor"
    )
    if level:
        units = units.filter(level=level)
    return [
        UnitOut(
            code=u.code,
            name=u.name,
            level=u.level,
            parent=u.parent.code if u.parent else None,
            valid_from=u.valid_from,
            valid_to=u.valid_to,
            successor=u.successor.code if u.successor else None,
        )
        for u in units
    ]


@router.get("/agencies", response=list[AgencyOut], auth=None, summary="Agencies and service centres")
def list_agencies(request, include_historical: bool = False) -> list[AgencyOut]:
    agencies = Agency.objects.filter(_in_force(include_historical)).select_related(
        "parent", "administrative_unit"
    )
    return [
        AgencyOut(
            identity_code=a.identity_code,
            name=a.name,
            kind=a.kind,
            parent=a.parent.identity_code if a.parent else None,
            administrative_unit=a.administrative_unit.code,
            address=a.address,
            phone=a.phone,
        )
        for a in agencies
    ]
