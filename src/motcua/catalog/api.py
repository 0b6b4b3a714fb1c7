"""Public API of the procedure catalogue."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from motcua.catalog.models import Case, ProcedureVersion
from motcua.catalog.selectors import (
    procedure_by_code,
    search_versions,
    version_in_force,
    version_with_details,
)
from motcua.core.errors import InvalidInput, NotFound

router = Router(tags=["procedures"])
PAGE_SIZE = 20


class ProcedureSummary(Schema):
    code: str
    national_code: str
    name: str
    field: str
    field_name: str
    level: str
    online_level: str
    competent_agency: str
    instant_service: bool


class ProcedurePage(Schema):
    items: list[ProcedureSummary]
    count: int
    page: int
    pages: int


class ProcessingTime(Schema):
    value: int
    unit: str
    online_value: int | None
    online_unit: str | None
    same_day_cutoff: str | None


class FeeOut(Schema):
    kind: str
    amount: int
    online_amount: int | None
    unit: str
    description: str
    exemptions: str


class DocumentOut(Schema):
    id: int
    name: str
    originals: int
    copies: int
    mandatory: bool
    template_url: str


class WorkflowStepOut(Schema):
    order: int
    name: str
    role: str
    agency: str | None
    budget_hours: int


class CaseOut(Schema):
    code: str
    name: str
    processing_time: ProcessingTime
    fees: list[FeeOut]
    documents: list[DocumentOut]
    workflow: list[WorkflowStepOut]
    form_schema: dict[str, Any]


class ProcedureDetail(ProcedureSummary):
    version: int
    valid_from: dt.date
    valid_to: dt.date | None
    receiving_units: list[str]
    description: str
    applicants: str
    steps: str
    conditions: str
    legal_basis: list[dict[str, Any]]
    result_types: list[dict[str, Any]]
    supplement_policy: str
    cases: list[CaseOut]


def _summary(v: ProcedureVersion) -> dict[str, Any]:
    return {
        "code": v.procedure.local_code,
        "national_code": v.procedure.national_code,
        "name": v.name,
        "field": v.field.code,
        "field_name": v.field.name,
        "level": v.level,
        "online_level": v.online_level,
        "competent_agency": v.competent_agency.identity_code,
        "instant_service": v.instant_service,
    }


def _case(case: Case) -> dict[str, Any]:
    return {
        "code": case.code,
        "name": case.name,
        "processing_time": {
            "value": case.time_value,
            "unit": case.time_unit,
            "online_value": case.online_time_value,
            "online_unit": case.online_time_unit or None,
            "same_day_cutoff": case.same_day_cutoff.strftime("%H:%M") if case.same_day_cutoff else None,
        },
        "fees": list(case.fees.all()),
        "documents": list(case.documents.all()),
        "workflow": [
            {
                "order": s.order,
                "name": s.name,
                "role": s.role,
                "agency": s.agency.identity_code if s.agency else None,
                "budget_hours": s.budget_hours,
            }
            for s in case.steps.all()
        ],
        "form_schema": case.form_schema,
    }


@router.get("", response=ProcedurePage, auth=None, summary="Search the procedures in force")
def list_procedures(
    request: HttpRequest, q: str = "", field: str = "", level: str = "", online: str = "", page: int = 1
) -> dict[str, Any]:
    if page < 1:
        raise InvalidInput.field("page", "out_of_range", _("Pages are numbered from 1."))
    versions = search_versions(q=q[:200], field=field, level=level, online=online)
    count = versions.count()
    start = (page - 1) * PAGE_SIZE
    return {
        "items": [_summary(v) for v in versions[start : start + PAGE_SIZE]],
        "count": count,
        "page": page,
        "pages": max(1, math.ceil(count / PAGE_SIZE)),
    }


@router.get("/{code}", response=ProcedureDetail, auth=None, summary="One procedure, as in force today")
def get_procedure(request: HttpRequest, code: str) -> dict[str, Any]:
    procedure = procedure_by_code(code)
    version = version_in_force(procedure) if procedure else None
    if version is None:
        raise NotFound(_("No procedure in force has the code %s.") % code)
    version = version_with_details(version.pk)
    return {
        **_summary(version),
        "version": version.number,
        "valid_from": version.valid_from,
        "valid_to": version.valid_to,
        "receiving_units": [a.identity_code for a in version.receiving_units.all()],
        "description": version.description,
        "applicants": version.applicants,
        "steps": version.steps,
        "conditions": version.conditions,
        "legal_basis": version.legal_basis,
        "result_types": version.result_types,
        "supplement_policy": version.supplement_policy,
        "cases": [_case(c) for c in version.cases.all()],
    }
