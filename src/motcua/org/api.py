"""Public read API of the organisation: administrative units and agencies."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from motcua.core.errors import InvalidInput, NotFound
from motcua.org.auth import api_auth
from motcua.org.models import AdministrativeUnit, Agency, Delegation
from motcua.org.selectors import agency_by_code, delegations_visible_to
from motcua.org.services import grant_delegation, revoke_delegation

router = Router(tags=["organisation"])
delegations_router = Router(tags=["delegations"], auth=api_auth)


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


class DelegationIn(Schema):
    agency: str = Field(max_length=35, description="Identity code of the agency the delegate signs for.")
    delegate: str = Field(max_length=150, description="Username of the officer authorised to sign.")
    procedure_codes: list[str] = Field(min_length=1, max_length=500)
    valid_from: dt.date
    valid_to: dt.date
    decision_number: str = Field("", max_length=64)


class RevocationIn(Schema):
    reason: str = Field(min_length=1, max_length=2000)


class DelegationOut(Schema):
    id: int
    agency: str
    grantor: str
    delegate: str
    procedure_codes: list[str]
    valid_from: dt.date
    valid_to: dt.date
    decision_number: str
    revoked_at: dt.datetime | None
    revocation_reason: str


def _delegation(d: Delegation) -> dict[str, Any]:
    return {
        "id": d.pk,
        "agency": d.agency.identity_code,
        "grantor": d.grantor.username,
        "delegate": d.delegate.username,
        "procedure_codes": d.procedure_codes,
        "valid_from": d.valid_from,
        "valid_to": d.valid_to,
        "decision_number": d.decision_number,
        "revoked_at": d.revoked_at,
        "revocation_reason": d.revocation_reason,
    }


@delegations_router.get("", response=list[DelegationOut], summary="Delegations in your scope")
def list_delegations(request: HttpRequest) -> list[dict[str, Any]]:
    return [_delegation(d) for d in delegations_visible_to(request.user)]


@delegations_router.post("", response={201: DelegationOut}, summary="Authorise an officer to sign (ủy quyền)")
def grant(request: HttpRequest, payload: DelegationIn) -> Status[dict[str, Any]]:
    """Only a leader of the agency may grant, for at most MOTCUA_MAX_DELEGATION_MONTHS (36 by default); a
    delegate cannot pass it on."""
    agency = agency_by_code(payload.agency)
    if agency is None:
        raise InvalidInput.field("agency", "unknown", _("No agency has this identity code."))
    delegate = User.objects.filter(username=payload.delegate, is_active=True).first()
    if delegate is None:
        raise InvalidInput.field("delegate", "unknown", _("No active account has this username."))
    delegation = grant_delegation(
        request.user,  # type: ignore[arg-type]
        delegate,
        agency,
        payload.procedure_codes,
        payload.valid_from,
        payload.valid_to,
        payload.decision_number,
    )
    return Status(201, _delegation(delegation))


@delegations_router.post("/{delegation_id}/revoke", response=DelegationOut, summary="Revoke a delegation")
def revoke(request: HttpRequest, delegation_id: int, payload: RevocationIn) -> dict[str, Any]:
    delegation = delegations_visible_to(request.user).filter(pk=delegation_id).first()
    if delegation is None:
        raise NotFound(_("No delegation %d is visible to you.") % delegation_id)
    return _delegation(revoke_delegation(delegation, request.user, payload.reason))  # type: ignore[arg-type]
