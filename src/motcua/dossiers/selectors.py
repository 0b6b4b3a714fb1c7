"""Read queries of dossiers, always scoped to what the user may see."""

from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.selectors import pinned_case, pinned_version
from motcua.core.errors import NotFound
from motcua.core.identifiers import normalised_lookup_key
from motcua.core.text import fold_vietnamese
from motcua.dossiers.lifecycle import CLOCK_RUNNING_STATUSES
from motcua.dossiers.models import Dossier, DossierDocument, DossierEvent
from motcua.dossiers.punctuality import overdue_filter, past_due_filter
from motcua.org.selectors import agency_by_id, scope_agency_ids

AnyUser = User | AnonymousUser


def visible_dossiers(user: AnyUser) -> QuerySet[Dossier]:
    """Citizens see their own dossiers; staff see those received by, decided by or now at a unit in scope."""
    if not user.is_authenticated:
        return Dossier.objects.none()
    visible = Q(applicant_user_id=user.pk)
    scope = scope_agency_ids(user)
    if scope:
        ids = sorted(scope)
        visible |= (
            Q(receiving_unit_id__in=ids) | Q(current_unit_id__in=ids) | Q(competent_authority_id__in=ids)
        )
    return Dossier.objects.filter(visible)


# What a dossier's answer shows beyond the reference rows, loaded in one query with the dossier. Joining the
# catalogue and agency rows too made the query costly to plan (12 tables); they come from the caches instead.
DETAIL_RELATIONS = ("current_step__assignee", "assignee")


DOCUMENTS = Prefetch("documents", queryset=DossierDocument.objects.select_related("file"))


def dossier_documents(dossier: Dossier) -> list[DossierDocument]:
    """The dossier's documents with their files, oldest first: as prefetched when they were, else read now."""
    prefetched = getattr(dossier, "_prefetched_objects_cache", {}).get("documents")
    documents = list(prefetched) if prefetched is not None else list(dossier.documents.select_related("file"))
    return sorted(documents, key=lambda d: (d.added_at, d.pk))


def with_reference_rows(dossier: Dossier) -> Dossier:
    """Attach the dossier's procedure version, case and agencies from the per-process caches (read-only)."""
    dossier.procedure_version = pinned_version(dossier.procedure_version_id)
    dossier.case = pinned_case(dossier.case_id)
    dossier.receiving_unit = agency_by_id(dossier.receiving_unit_id)
    dossier.competent_authority = agency_by_id(dossier.competent_authority_id)
    dossier.current_unit = agency_by_id(dossier.current_unit_id)
    # Lists leave the step out; loading it here would cost a query per row.
    if Dossier.current_step.is_cached(dossier) and dossier.current_step is not None:
        dossier.current_step.agency = agency_by_id(dossier.current_step.agency_id)
    return dossier


def dossier_for(user: AnyUser, code: str) -> Dossier:
    """The dossier with `code` if the user may see it; otherwise NotFound, never revealing that it exists."""
    try:
        dossier = (
            visible_dossiers(user)
            .select_related(*DETAIL_RELATIONS)
            .prefetch_related(DOCUMENTS)
            .get(code=code)
        )
        return with_reference_rows(dossier)
    except Dossier.DoesNotExist:
        raise NotFound(_("No dossier %s is visible to you.") % code) from None


@dataclass(frozen=True)
class DossierFilters:
    status: str = ""
    procedure: str = ""
    unit: str = ""
    overdue: bool | None = None
    due_before: dt.datetime | None = None
    assigned_to_me: bool = False
    q: str = ""


def filtered_dossiers(user: AnyUser, filters: DossierFilters) -> QuerySet[Dossier]:
    dossiers = visible_dossiers(user)
    if filters.status:
        dossiers = dossiers.filter(status__in=filters.status.split(","))
    if filters.procedure:
        dossiers = dossiers.filter(
            Q(procedure_version__procedure__local_code=filters.procedure)
            | Q(procedure_version__procedure__national_code=filters.procedure)
        )
    if filters.unit:
        unit = Q(current_unit__identity_code=filters.unit) | Q(receiving_unit__identity_code=filters.unit)
        dossiers = dossiers.filter(unit)
    if filters.overdue is not None:
        late = Q(status__in=CLOCK_RUNNING_STATUSES) & overdue_filter(timezone.now())
        dossiers = dossiers.filter(late) if filters.overdue else dossiers.exclude(late)
    if filters.due_before is not None:
        dossiers = dossiers.filter(past_due_filter(filters.due_before))
    if filters.assigned_to_me:
        dossiers = dossiers.filter(assignee_id=user.pk)
    if filters.q:
        q = filters.q.strip()
        dossiers = dossiers.filter(
            Q(code__startswith=q.upper()) | Q(search_text__contains=fold_vietnamese(q))
        )
    return dossiers.order_by("-created_at", "-id")


def dossier_events(dossier: Dossier) -> QuerySet[DossierEvent]:
    return dossier.events.select_related("actor", "actor_unit").order_by("at", "id")


def dossier_by_lookup(code: str, key: str) -> Dossier:
    """The dossier that has this code and this lookup key; NotFound, with the same words, when either is
    wrong, so that an answer never tells whether a code exists (ADR 0014)."""
    dossier = Dossier.objects.select_related("procedure_version__procedure").filter(code=code).first()
    given = normalised_lookup_key(key)
    if dossier is None or not given or not hmac.compare_digest(dossier.lookup_key, given):
        raise NotFound(_("No dossier has this code and lookup key."))
    return dossier
