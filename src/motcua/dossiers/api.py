"""REST endpoints of dossiers and uploads: thin adapters over the services and selectors."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile as NinjaFile
from pydantic import BaseModel, ConfigDict, Field

from motcua.core.api import LocalDateTime
from motcua.core.client import client_address
from motcua.core.domain_events import publish
from motcua.core.errors import InvalidInput
from motcua.core.idempotency import Created, run_once
from motcua.core.identifiers import contains_personal_id, mask_name
from motcua.core.input import MAX_ID
from motcua.core.openapi import reads_only
from motcua.core.throttle import throttle
from motcua.dossiers.domain_events import DossierDataRead
from motcua.dossiers.lifecycle import national_channel_code, national_code
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.policy import allowed_actions
from motcua.dossiers.selectors import (
    DossierFilters,
    dossier_by_lookup,
    dossier_documents,
    dossier_events,
    dossier_for,
    filtered_dossiers,
    with_reference_rows,
)
from motcua.dossiers.services.actions import take_action_from_fields
from motcua.dossiers.services.files import store_upload
from motcua.dossiers.services.intake import MAX_COPIES, Applicant, AttachedDocument, Intake, create_dossier
from motcua.dossiers.timing import dossier_timing, step_timing
from motcua.org.auth import api_auth

router = Router(tags=["dossiers"], auth=api_auth)
files_router = Router(tags=["files"], auth=api_auth)
lookup_router = Router(tags=["lookup"])
PAGE_SIZE_MAX = 100
MAX_PAGE = 100_000


class FileOut(Schema):
    id: int
    size: int
    sha256: str
    content_type: str
    name: str


@files_router.post("", response={201: FileOut}, summary="Upload a file for a dossier")
def upload_file(request: HttpRequest, file: NinjaFile = File(...)) -> Status[dict[str, Any]]:
    stored = store_upload(request.user, file)  # type: ignore[arg-type]
    return Status(
        201,
        {
            "id": stored.pk,
            "size": stored.size,
            "sha256": stored.sha256,
            "content_type": stored.content_type,
            "name": stored.original_name,
        },
    )


class ApplicantIn(Schema):
    kind: Literal["person", "organisation"]
    full_name: str = Field(min_length=1, max_length=255)
    id_number: str = Field("", max_length=12)
    tax_code: str = Field("", max_length=16)
    date_of_birth: dt.date | None = None
    phone: str = Field("", max_length=32)
    email: str = Field("", max_length=254)
    address: str = Field("", max_length=500)


class RepresentativeIn(Schema):
    """Someone applying for the applicant under an authorisation (người được ủy quyền)."""

    model_config = {"extra": "forbid"}

    full_name: str = Field(min_length=1, max_length=255)
    id_number: str = Field("", max_length=12)
    phone: str = Field("", max_length=32)
    email: str = Field("", max_length=254)
    address: str = Field("", max_length=500)
    authorisation: str = Field("", max_length=500, description="The authorisation document, e.g. its number.")


class DocumentIn(Schema):
    requirement: int = Field(ge=1, le=MAX_ID)
    file: int = Field(ge=1, le=MAX_ID)
    submitted_as: Literal["original", "certified_copy", "photocopy", "electronic"] = "electronic"
    copies: int = Field(1, ge=1, le=MAX_COPIES)


class DossierIn(Schema):
    procedure: str = Field(min_length=1, max_length=64)
    case: str | None = Field(None, max_length=32)
    channel: Literal["counter", "online", "post"]
    receiving_unit: str | None = Field(None, max_length=35)
    competent_authority: str | None = Field(None, max_length=35)
    applicant: ApplicantIn
    representative: RepresentativeIn | None = None
    form: dict[str, Any] = Field(default_factory=dict)
    documents: list[DocumentIn] = Field(default_factory=list, max_length=100)
    result_delivery: Literal["counter", "post", "online"] = "counter"


class CurrentStepOut(Schema):
    name: str
    order: int
    role: str
    unit: str
    assignee: str | None
    started_at: LocalDateTime
    due_at: LocalDateTime | None
    elapsed: str | None
    remaining: str | None
    overdue: bool


class DossierSummary(Schema):
    code: str
    status: str
    national_status: int
    version: int
    procedure: str
    procedure_name: str
    channel: str
    national_channel: int
    applicant_name: str
    receiving_unit: str
    current_unit: str
    assignee: str | None
    received_at: LocalDateTime | None
    due_at: LocalDateTime | None
    finished_at: LocalDateTime | None


class DossierOut(DossierSummary):
    case: str
    competent_authority: str
    result_delivery: str
    submitted_at: LocalDateTime | None
    counting_from: LocalDateTime | None
    new_appointment_at: LocalDateTime | None
    returned_at: LocalDateTime | None
    elapsed: str | None = Field(description="Working time used, from the start of the clock.")
    lookup_key: str = Field(
        description="The secret printed on the receipt beside the code: the public lookup asks for both."
    )
    remaining: str | None = Field(description="Working time left, or by how much it is past, while it runs.")
    overdue: bool
    punctuality: str | None = Field(description="Once finished: early, on_time or late (day granularity).")
    current_step: CurrentStepOut | None
    allowed_actions: list[str]
    applicant: dict[str, Any]
    form: dict[str, Any]
    documents: list[dict[str, Any]]
    fee_due: int
    fee_paid: int
    supplement_count: int
    apology_count: int
    needs_fix: bool


class DossierPage(Schema):
    items: list[DossierSummary]
    page: int
    page_size: int
    has_next: bool


class EventOut(Schema):
    action: str
    at: LocalDateTime
    actor: str | None
    unit: str | None
    from_status: str
    to_status: str
    version: int
    note: str
    data: dict[str, Any]


# The columns a list row needs: the list does not load form data or applicant details it does not show.
SUMMARY_FIELDS = (
    "code",
    "status",
    "version",
    "procedure_version_id",
    "case_id",
    "channel",
    "applicant_name",
    "receiving_unit_id",
    "competent_authority_id",
    "current_unit_id",
    "current_step_id",
    "assignee__username",
    "received_at",
    "due_at",
    "finished_at",
    "created_at",
)


def _summary(d: Dossier) -> dict[str, Any]:
    return {
        "code": d.code,
        "status": d.status,
        "national_status": national_code(d.status),
        "version": d.version,
        "procedure": d.procedure_version.procedure.local_code,
        "procedure_name": d.procedure_version.name,
        "channel": d.channel,
        "national_channel": national_channel_code(d.channel),
        "applicant_name": d.applicant_name,
        "receiving_unit": d.receiving_unit.identity_code,
        "current_unit": d.current_unit.identity_code,
        "assignee": d.assignee.username if d.assignee else None,
        "received_at": d.received_at,
        "due_at": d.due_at,
        "finished_at": d.finished_at,
    }


def _detail(request: HttpRequest, d: Dossier) -> dict[str, Any]:
    step = d.current_step
    now, language = timezone.now(), get_language() or "vi"
    timing = dossier_timing(d, now, language)
    step_time = step_timing(step, now, language) if step is not None else None
    return {
        **_summary(d),
        "case": d.case.code,
        "lookup_key": d.lookup_key,
        "competent_authority": d.competent_authority.identity_code,
        "result_delivery": d.result_delivery,
        "submitted_at": d.submitted_at,
        "counting_from": d.counting_from,
        "new_appointment_at": d.new_appointment_at,
        "returned_at": d.returned_at,
        "elapsed": timing.elapsed,
        "remaining": timing.remaining,
        "overdue": timing.overdue,
        "punctuality": timing.punctuality,
        "current_step": None
        if step is None or step_time is None
        else {
            "name": step.name,
            "order": step.workflow_order,
            "role": step.role,
            "unit": step.agency.identity_code,
            "assignee": step.assignee.username if step.assignee else None,
            "started_at": step.started_at,
            "due_at": step.due_at,
            "elapsed": step_time.elapsed,
            "remaining": step_time.remaining,
            "overdue": step_time.overdue,
        },
        "allowed_actions": allowed_actions(request.user, d),
        "applicant": {
            "kind": d.applicant_kind,
            "full_name": d.applicant_name,
            "id_number": d.applicant_id_number,
            "tax_code": d.applicant_tax_code,
            "date_of_birth": d.applicant_date_of_birth,
            "phone": d.applicant_phone,
            "email": d.applicant_email,
            "address": d.applicant_address,
            "representative": d.representative,
        },
        "form": d.form_data,
        "documents": [
            {
                "requirement": doc.requirement_id,
                "file": doc.file_id,
                "name": doc.file.original_name if doc.file else None,
                "content_type": doc.file.content_type if doc.file else None,
                "size": doc.file.size if doc.file else None,
                "sha256": doc.file.sha256 if doc.file else None,
                "submitted_as": doc.submitted_as,
                "copies": doc.copies,
                "added_at": doc.added_at,
            }
            for doc in dossier_documents(d)
        ],
        "fee_due": d.fee_due,
        "fee_paid": d.fee_paid,
        "supplement_count": d.supplement_count,
        "apology_count": d.apology_count,
        "needs_fix": d.needs_fix,
    }


@router.post("", response={201: DossierOut, 200: DossierOut}, summary="Submit or receive a dossier")
def create(request: HttpRequest, payload: DossierIn) -> Any:
    """Online: created `submitted`, waiting for an officer. Counter or post: created `received`, with its due
    date. Send an `Idempotency-Key` header to make retries safe."""
    body = payload.model_dump(mode="json")

    def answer(dossier: Dossier) -> dict[str, Any]:
        return DossierOut.model_validate(_detail(request, dossier)).model_dump(mode="json")

    def create_once() -> Created:
        applicant = Applicant(**payload.applicant.model_dump())
        intake = Intake(
            procedure=payload.procedure,
            case=payload.case,
            channel=payload.channel,
            receiving_unit=payload.receiving_unit,
            competent_authority=payload.competent_authority,
            applicant=applicant,
            representative=payload.representative.model_dump() if payload.representative else None,
            form=payload.form,
            documents=[
                AttachedDocument(d.requirement, d.file, d.submitted_as, d.copies) for d in payload.documents
            ],
            result_delivery=payload.result_delivery,
        )
        dossier = create_dossier(request.user, intake)  # type: ignore[arg-type]
        return 201, dossier.code, answer(dossier)

    status, response = run_once(
        request.user,  # type: ignore[arg-type]
        "dossiers.create",
        request.headers.get("Idempotency-Key"),
        body,
        create_once,
        replay=lambda code: answer(dossier_for(request.user, code)),
    )
    return Status(status, response)


class DossierSearchIn(Schema):
    """The list's filters in a body, so that a personal identification number never travels in a URL."""

    model_config = {"extra": "forbid"}

    q: str = Field("", max_length=100, description="A code's start, or words of the applicant or their ID.")
    status: str = Field("", max_length=32)
    procedure: str = Field("", max_length=64)
    unit: str = Field("", max_length=35)
    overdue: bool | None = None
    due_before: dt.datetime | None = None
    assigned_to: Literal["me"] | None = None
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(20, ge=1, le=PAGE_SIZE_MAX)


def _dossier_page(request: HttpRequest, search: DossierSearchIn) -> dict[str, Any]:
    """Pages come without a total: counting a large scope on every request would cost more than the page."""
    filters = DossierFilters(
        status=search.status,
        procedure=search.procedure,
        unit=search.unit,
        overdue=search.overdue,
        due_before=search.due_before,
        assigned_to_me=search.assigned_to == "me",
        q=search.q,
    )
    start = (search.page - 1) * search.page_size
    rows = list(
        filtered_dossiers(request.user, filters)
        .select_related("assignee")
        .only(*SUMMARY_FIELDS)[start : start + search.page_size + 1]
    )
    for row in rows:
        with_reference_rows(row)
    return {
        "items": [_summary(d) for d in rows[: search.page_size]],
        "page": search.page,
        "page_size": search.page_size,
        "has_next": len(rows) > search.page_size,
    }


@router.get("", response=DossierPage, summary="Dossiers in your scope, newest first")
def list_dossiers(
    request: HttpRequest,
    status: str = "",
    procedure: str = "",
    unit: str = "",
    overdue: bool | None = None,
    due_before: dt.datetime | None = None,
    assigned_to: Literal["me"] | None = None,
    q: str = Query("", max_length=100),
    page: int = Query(1, ge=1, le=MAX_PAGE),
    page_size: int = Query(20, ge=1, le=PAGE_SIZE_MAX),
) -> dict[str, Any]:
    """Searching by personal identification number is `POST /dossiers/search`: a URL is written to logs and
    histories, so `q` here refuses a 9- or 12-digit number (422)."""
    if contains_personal_id(q):
        raise InvalidInput.field(
            "q",
            "personal_id_in_url",
            _(
                "A personal identification number must not be sent in a URL: search with "
                "POST /api/v1/dossiers/search and put it in the JSON body."
            ),
        )
    search = DossierSearchIn(
        q=q,
        status=status,
        procedure=procedure,
        unit=unit,
        overdue=overdue,
        due_before=due_before,
        assigned_to=assigned_to,
        page=page,
        page_size=page_size,
    )
    return _dossier_page(request, search)


@router.post("/search", response=DossierPage, summary="Search the dossiers in your scope (by ID number too)")
@reads_only
def search_dossiers(request: HttpRequest, payload: DossierSearchIn) -> dict[str, Any]:
    """The list's filters in the body: the one way to search by personal identification number."""
    return _dossier_page(request, payload)


def _published_read(request: HttpRequest, d: Dossier, what: str) -> None:
    """Tell the access log of personal data (ADR 0016) that the caller read this dossier."""
    units = (d.current_unit_id, d.receiving_unit_id, d.competent_authority_id)
    publish(DossierDataRead(request.user, d.code, units, what, client_address(request) or ""))  # type: ignore[arg-type]


@router.get("/{code}", response=DossierOut, summary="One dossier, with the actions you may take")
def get_dossier(request: HttpRequest, code: str) -> dict[str, Any]:
    """Each read is recorded in the access log of personal data (`GET /audit/access`)."""
    dossier = dossier_for(request.user, code)
    _published_read(request, dossier, "dossier")
    return _detail(request, dossier)


def _event(e: DossierEvent) -> dict[str, Any]:
    return {
        "action": e.action,
        "at": e.at,
        "actor": e.actor.username if e.actor else None,
        "unit": e.actor_unit.identity_code if e.actor_unit else None,
        "from_status": e.from_status,
        "to_status": e.to_status,
        "version": e.version,
        "note": e.note,
        "data": e.data,
    }


@router.get("/{code}/events", response=list[EventOut], summary="The dossier's history, oldest first")
def list_events(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    """Each read is recorded in the access log of personal data (`GET /audit/access`)."""
    dossier = dossier_for(request.user, code)
    _published_read(request, dossier, "events")
    return [_event(e) for e in dossier_events(dossier)]


class ActionIn(BaseModel):
    """`version` and `note`, plus the fields of the action (see the lifecycle in the API guide)."""

    model_config = ConfigDict(extra="allow")

    version: int = Field(ge=1)
    note: str = Field("", max_length=4000)


@router.post("/{code}/actions/{action}", response=DossierOut, summary="Take a lifecycle action")
def act(request: HttpRequest, code: str, action: str, payload: ActionIn) -> dict[str, Any]:
    """The body carries the `version` you saw (a stale one is a 409), a `note`, and the action's fields."""
    fields = payload.model_dump()
    # The answer shows the dossier as the action left it, even when it left the actor's scope (a transfer).
    version = fields.pop("version")
    dossier = take_action_from_fields(request.user, code, action, version, fields)  # type: ignore[arg-type]
    return _detail(request, dossier)


class LookupOut(Schema):
    code: str
    status: str
    national_status: int
    status_label: str
    procedure: str
    procedure_name: str
    applicant: str
    received_at: LocalDateTime | None
    due_at: LocalDateTime | None
    new_appointment_at: LocalDateTime | None
    finished_at: LocalDateTime | None


@lookup_router.get(
    "/{code}", response=LookupOut, auth=None, summary="Public status lookup by dossier code and lookup key"
)
def lookup(request: HttpRequest, code: str, key: str = "") -> dict[str, Any]:
    """`key` is the lookup key printed on the receipt beside the code (and carried by its QR code); a wrong
    code or key is the same 404. Each client address has a limited number of lookups per window (429 with
    Retry-After beyond it). No personal data: the applicant's name is masked; no number, address or contact
    is ever shown."""
    throttle(request, "lookup", settings.MOTCUA_LOOKUP_LIMIT, settings.MOTCUA_LOOKUP_WINDOW_SECONDS)
    if not key.strip():
        raise InvalidInput.field("key", "required", _("Enter the lookup key printed on the receipt."))
    d = dossier_by_lookup(code, key)
    return {
        "code": d.code,
        "status": d.status,
        "national_status": national_code(d.status),
        "status_label": str(d.get_status_display()),
        "procedure": d.procedure_version.procedure.local_code,
        "procedure_name": d.procedure_version.name,
        "applicant": mask_name(d.applicant_name),
        "received_at": d.received_at,
        "due_at": d.due_at,
        "new_appointment_at": d.new_appointment_at,
        "finished_at": d.finished_at,
    }
