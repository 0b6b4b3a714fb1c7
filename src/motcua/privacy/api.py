"""`GET /api/v1/audit/access`: the access log of personal data, for auditors and administrators."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from motcua.core.api import LocalDateTime
from motcua.core.errors import PermissionDenied
from motcua.org.auth import api_auth
from motcua.privacy.models import AccessRecord
from motcua.privacy.selectors import access_log, may_audit, read_filters

router = Router(tags=["audit"], auth=api_auth)
PAGE_SIZE_MAX = 200


class AccessOut(Schema):
    at: LocalDateTime
    user: str
    unit: str | None
    roles: list[str]
    dossier: str
    channel: str
    kind: str
    detail: str
    client_address: str


class AccessPage(Schema):
    items: list[AccessOut]
    page: int
    page_size: int
    has_next: bool


def _item(record: AccessRecord) -> dict[str, Any]:
    return {
        "at": record.at,
        "user": record.user.get_username(),
        "unit": record.unit.identity_code if record.unit else None,
        "roles": [r for r in record.roles.split(",") if r],
        "dossier": record.dossier_code,
        "channel": record.channel,
        "kind": record.kind,
        "detail": record.detail,
        "client_address": record.client_address,
    }


@router.get(
    "/access",
    response=AccessPage,
    summary="Who read which dossier's personal data (auditors and administrators)",
)
def access(
    request: HttpRequest,
    dossier: str = Query("", max_length=64, description="A dossier code"),
    user: str = Query("", max_length=150, description="The reader's username"),
    from_: str = Query("", alias="from", max_length=10, description="First day, YYYY-MM-DD (local)"),
    to: str = Query("", max_length=10, description="Last day, YYYY-MM-DD (local), included"),
    page: int = Query(1, ge=1, le=100_000),
    page_size: int = Query(50, ge=1, le=PAGE_SIZE_MAX),
) -> dict[str, Any]:
    """Newest first, scoped to the units the caller audits or administers. Pages come without a total.
    A citizen or an officer without the auditor or administrator role gets 403."""
    if not may_audit(request.user):
        raise PermissionDenied(_("Only auditors and administrators read the access log."))
    filters = read_filters({"dossier": dossier, "user": user, "from": from_, "to": to})
    start = (page - 1) * page_size
    rows = list(access_log(request.user, filters)[start : start + page_size + 1])
    return {
        "items": [_item(r) for r in rows[:page_size]],
        "page": page,
        "page_size": page_size,
        "has_next": len(rows) > page_size,
    }
