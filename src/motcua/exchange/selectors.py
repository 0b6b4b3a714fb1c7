"""Reads of the exchange for the staff pages: who oversees it, what came in from the national portal that
could not be taken in, and the files a portal dossier's applicant attached there."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from motcua.dossiers.models import Dossier
from motcua.exchange.dvcqg.config import portal_config
from motcua.exchange.models import FetchCursor, InboundDocument, InboundProblem
from motcua.org.constants import Role
from motcua.org.selectors import roles_by_agency

# The exchange serves the whole province, not one unit: any administrator or auditor oversees it.
OVERSEEING_ROLES = frozenset({Role.ADMIN, Role.AUDITOR})


def may_oversee_exchange(user: User | AnonymousUser) -> bool:
    if not user.is_authenticated:
        return False
    held = roles_by_agency(user).values()
    return bool(user.is_superuser) or any(roles & OVERSEEING_ROLES for roles in held)


def inbound_problems(*, resolved: bool = False) -> QuerySet[InboundProblem]:
    """The portal's dossiers not taken in (or, with `resolved`, those taken in later), latest seen first."""
    return InboundProblem.objects.filter(resolved_at__isnull=not resolved).order_by("-last_seen_at", "-pk")


def fetch_cursor() -> FetchCursor | None:
    """How far the configured fetch service has been read; None when synchronisation is off or never ran."""
    config = portal_config()
    if config is None:
        return None
    return FetchCursor.objects.filter(service=config.fetch_service).first()


def portal_documents(dossier: Dossier) -> list[InboundDocument]:
    """The files the applicant attached on the national portal, as links, in the portal's order."""
    return list(InboundDocument.objects.filter(dossier=dossier).order_by("pk"))
