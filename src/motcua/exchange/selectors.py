"""Reads of the exchange for the staff pages: what came in from the national portal that could not be taken in
(for those org's `may_watch_operations` lets see it), and the files a portal dossier's applicant attached
there."""

from __future__ import annotations

from django.db.models import QuerySet

from motcua.dossiers.models import Dossier
from motcua.exchange.dvcqg.config import portal_config
from motcua.exchange.models import FetchCursor, InboundDocument, InboundProblem


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
