"""Reading the access log: the auditors' query (scoped to their units) and what a citizen is shown."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import FieldProblem, InvalidInput
from motcua.dossiers.models import Dossier
from motcua.org.constants import Role
from motcua.org.selectors import roles_by_agency, subtree_ids
from motcua.privacy.models import AccessRecord

AUDIT_ROLES = frozenset({Role.AUDITOR, Role.ADMIN})
# A citizen's page lists this many of the latest openings of their dossier.
SHOWN_TO_APPLICANT = 50


def may_audit(user: User | AnonymousUser) -> bool:
    """Auditors and administrators (of some unit), and superusers, read the access log."""
    if not user.is_authenticated:
        return False
    return bool(user.is_superuser) or any(roles & AUDIT_ROLES for roles in roles_by_agency(user).values())


def audit_scope(user: User | AnonymousUser) -> frozenset[int] | None:
    """The units whose records the user may read (those they audit or administer and every unit below);
    None for a superuser, who reads them all."""
    if user.is_superuser:
        return None
    held = roles_by_agency(user)
    return subtree_ids(agency for agency, roles in held.items() if roles & AUDIT_ROLES)


@dataclass(frozen=True)
class AccessFilters:
    dossier: str = ""
    user: str = ""
    start: dt.date | None = None
    end: dt.date | None = None


def _day(value: str, field: str) -> dt.date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidInput.field(field, "invalid", _("Write the date as YYYY-MM-DD.")) from None


def read_filters(query: Mapping[str, str], *, start: str = "from", end: str = "to") -> AccessFilters:
    """The filters as asked for (dossier code, username, first and last day); a bad date names its field."""
    problems: list[FieldProblem] = []
    days: dict[str, dt.date | None] = {}
    for name in (start, end):
        try:
            days[name] = _day(str(query.get(name, "")), name)
        except InvalidInput as error:
            problems += error.errors
    if not problems and days[start] and days[end] and days[end] < days[start]:  # type: ignore[operator]
        problems.append(FieldProblem(end, "before_start", _("The last day is before the first day.")))
    if problems:
        raise InvalidInput(_("The access log cannot be filtered as asked."), problems)
    return AccessFilters(
        dossier=str(query.get("dossier", "")).strip()[:64],
        user=str(query.get("user", "")).strip()[:150],
        start=days[start],
        end=days[end],
    )


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def access_log(user: User | AnonymousUser, filters: AccessFilters) -> QuerySet[AccessRecord]:
    """The records the auditor may read, newest first, narrowed by the filters."""
    records = AccessRecord.objects.select_related("user", "unit")
    scope = audit_scope(user)
    if scope is not None:
        of_scope = Q(receiving_unit_id__in=scope) | Q(current_unit_id__in=scope)
        in_scope = Dossier.objects.filter(of_scope | Q(competent_authority_id__in=scope)).values("code")
        records = records.filter(Q(dossier_code__in=in_scope) | Q(unit_id__in=scope))
    if filters.dossier:
        records = records.filter(dossier_code=filters.dossier)
    if filters.user:
        records = records.filter(user__username=filters.user)
    if filters.start:
        records = records.filter(at__gte=_local_midnight(filters.start))
    if filters.end:
        records = records.filter(at__lt=_local_midnight(filters.end + dt.timedelta(days=1)))
    return records.order_by("-at", "-id")


def openings_of(dossier: Dossier, viewer: User | AnonymousUser) -> list[AccessRecord]:
    """Who opened the citizen's dossier, newest first: everyone's reads but the viewer's own."""
    records = AccessRecord.objects.filter(dossier_code=dossier.code)
    if viewer.pk is not None:
        records = records.exclude(user_id=viewer.pk)
    return list(records.select_related("user", "unit").order_by("-at", "-id")[:SHOWN_TO_APPLICANT])
