"""Read queries for the organisation, and scope: which agencies a user may see and act for."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet

from motcua.core.memo import timed_cache
from motcua.org.constants import Role
from motcua.org.models import Agency, Delegation, StaffRole


@timed_cache()
def _agency_tree() -> tuple[dict[int, list[int]], dict[int, int | None]]:
    children: dict[int, list[int]] = defaultdict(list)
    parents: dict[int, int | None] = {}
    for agency_id, parent_id in Agency.objects.values_list("id", "parent_id"):
        parents[agency_id] = parent_id
        if parent_id is not None:
            children[parent_id].append(agency_id)
    return dict(children), parents


@timed_cache()
def _agencies_by_code() -> dict[str, Agency]:
    return {a.identity_code: a for a in Agency.objects.select_related("administrative_unit")}


@timed_cache()
def _agencies_by_id() -> dict[int, Agency]:
    return {a.pk: a for a in _agencies_by_code().values()}


def agency_by_id(agency_id: int) -> Agency:
    """The agency with this id, from the per-process copy (treat it as read-only); a new one is looked up."""
    agency = _agencies_by_id().get(agency_id)
    return (
        agency
        if agency is not None
        else Agency.objects.select_related("administrative_unit").get(pk=agency_id)
    )


def subtree_ids(agency_ids: Iterable[int]) -> frozenset[int]:
    children, _ = _agency_tree()
    seen: set[int] = set()
    stack = list(agency_ids)
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        stack.extend(children.get(current, ()))
    return frozenset(seen)


def ancestor_ids(agency_id: int) -> list[int]:
    """The agency itself, then its parent, up to the root."""
    _, parents = _agency_tree()
    chain: list[int] = []
    current: int | None = agency_id
    while current is not None and current not in chain:
        chain.append(current)
        current = parents.get(current)
    return chain


def roles_by_agency(user: User | AnonymousUser) -> dict[int, frozenset[str]]:
    if not user.is_authenticated:
        return {}
    cached = getattr(user, "_motcua_roles", None)
    if cached is None:
        grouped: dict[int, set[str]] = defaultdict(set)
        for agency_id, role in StaffRole.objects.filter(user_id=user.pk).values_list("agency_id", "role"):
            grouped[agency_id].add(role)
        cached = {k: frozenset(v) for k, v in grouped.items()}
        # Memoised on the user object, which lives as long as the request.
        setattr(user, "_motcua_roles", cached)  # noqa: B010 (mypy rejects a plain attribute on User)
    return cached


def scope_agency_ids(user: User | AnonymousUser) -> frozenset[int]:
    """Agencies whose dossiers the user may see: those they hold a role in and every agency below them."""
    return subtree_ids(roles_by_agency(user).keys())


def roles_in(user: User | AnonymousUser, agency_id: int) -> frozenset[str]:
    """Roles the user holds for `agency_id`: a role held in an agency also covers the agencies below it."""
    held = roles_by_agency(user)
    roles: set[str] = set()
    for ancestor in ancestor_ids(agency_id):
        roles |= held.get(ancestor, frozenset())
    return frozenset(roles)


def has_role(user: User | AnonymousUser, agency_id: int, roles: Iterable[str]) -> bool:
    mine = roles_in(user, agency_id)
    return any(r in mine for r in roles)


def _holds_anywhere(user: User | AnonymousUser, roles: frozenset[str]) -> bool:
    if not user.is_authenticated:
        return False
    return bool(user.is_superuser) or any(held & roles for held in roles_by_agency(user).values())


def may_watch_operations(user: User | AnonymousUser) -> bool:
    """Administrators and auditors (of some unit), and superusers, see how the platform runs: the outbox of
    messages to outside parties, what it delivered and what failed."""
    return _holds_anywhere(user, frozenset({Role.ADMIN, Role.AUDITOR}))


def may_steer_operations(user: User | AnonymousUser) -> bool:
    """Administrators (of some unit) and superusers act on it: retry what failed."""
    return _holds_anywhere(user, frozenset({Role.ADMIN}))


def agency_by_code(identity_code: str) -> Agency | None:
    """The agency with this identity code, from the per-process copy (treat it as read-only)."""
    return _agencies_by_code().get(identity_code)


def delegations_visible_to(user: User | AnonymousUser) -> QuerySet[Delegation]:
    """Delegations of the agencies in the user's scope, and those given to or by the user."""
    if not user.is_authenticated:
        return Delegation.objects.none()
    visible = Q(agency_id__in=scope_agency_ids(user)) | Q(delegate_id=user.pk) | Q(grantor_id=user.pk)
    return Delegation.objects.filter(visible).select_related("agency", "grantor", "delegate")
