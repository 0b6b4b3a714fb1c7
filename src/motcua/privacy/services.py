"""Recording reads of personal data (ADR 0016): one INSERT per read, one bulk INSERT for an export.

The reader's unit and roles come from the roles the request has already loaded for its scope check
(`org.selectors.roles_by_agency` is memoised on the user), so recording reads nothing else."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest
from django.utils import timezone

from motcua.core.client import client_address
from motcua.org.selectors import ancestor_ids, roles_by_agency
from motcua.privacy.constants import AccessChannel, AccessKind
from motcua.privacy.models import AccessRecord

# Large exports are written in batches of this many rows, one INSERT each.
BATCH_SIZE = 500


@dataclass(frozen=True)
class Reader:
    user_id: int
    unit_id: int | None
    roles: str
    client_address: str


def acting_unit(user: User | AnonymousUser, near: Iterable[int] = ()) -> tuple[int | None, str]:
    """The unit the user acts for when reading a dossier of the units `near` (nearest first), and the roles
    they hold there: the closest unit above one of them where they hold a role, else their first unit."""
    held = roles_by_agency(user)
    for agency_id in near:
        for ancestor in ancestor_ids(agency_id):
            if ancestor in held:
                return ancestor, ",".join(sorted(held[ancestor]))
    if held:
        first = min(held)
        return first, ",".join(sorted(held[first]))
    return None, ""


def reader(request: HttpRequest, near: Iterable[int] = ()) -> Reader:
    if request.user.pk is None:
        raise ValueError("Only a signed-in user's reads are recorded.")
    unit_id, roles = acting_unit(request.user, near)
    return Reader(request.user.pk, unit_id, roles, client_address(request) or "")


def record(
    who: Reader,
    *,
    channel: AccessChannel,
    kind: AccessKind,
    codes: Iterable[str],
    detail: str = "",
) -> int:
    """Append one access record per dossier code (in one INSERT per batch); returns how many were written."""
    now = timezone.now()
    rows = [
        AccessRecord(
            at=now,
            user_id=who.user_id,
            unit_id=who.unit_id,
            roles=who.roles,
            dossier_code=code,
            channel=channel,
            kind=kind,
            detail=detail[:200],
            client_address=who.client_address,
        )
        for code in dict.fromkeys(codes)
    ]
    AccessRecord.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    return len(rows)


def record_read(
    request: HttpRequest,
    *,
    channel: AccessChannel,
    kind: AccessKind,
    code: str,
    near: Iterable[int] = (),
    detail: str = "",
) -> None:
    """Record that the signed-in user of `request` read the dossier `code` (of the units `near`)."""
    record(reader(request, near), channel=channel, kind=kind, codes=[code], detail=detail)
