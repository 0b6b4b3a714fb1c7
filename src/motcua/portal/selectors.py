"""Read helpers of the portal: what the home page offers to browse and what a procedure sheet shows; and, for
a signed-in applicant, their drafts and their own dossiers (never those an officer merely has in scope).

The counts change slowly and every visitor of the home page asks for them, so each process keeps them for a
minute (core.memo); the texts are translated when a page is drawn, never in the cached values.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.constants import OnlineLevel
from motcua.catalog.models import Case, ProcedureVersion
from motcua.catalog.selectors import (
    procedure_by_code,
    search_versions,
    version_in_force,
    version_with_details,
)
from motcua.core.errors import NotFound
from motcua.core.memo import timed_cache
from motcua.dossiers.models import Dossier, Rating, SupplementRequest, UploadedFile
from motcua.dossiers.selectors import dossier_documents, dossier_for, visible_dossiers, with_reference_rows
from motcua.org.models import Agency
from motcua.portal.models import ApplicationDraft, DraftDocument, DraftState, SupplementUpload

AnyUser = User | AnonymousUser

# "Most used" means most dossiers over this window: long enough to smooth a week's peaks, short enough to
# follow the seasons (school enrolment in summer, for instance).
POPULAR_WINDOW = dt.timedelta(days=90)
POPULAR_TTL_SECONDS = 60.0
POPULAR_COUNT = 6


@dataclass(frozen=True)
class PopularProcedure:
    code: str
    name: str
    field_name: str
    dossiers: int


@dataclass(frozen=True)
class Facet:
    """One way to narrow the catalogue (a field, a level) and how many procedures in force it holds."""

    value: str
    name: str
    procedures: int


@timed_cache(POPULAR_TTL_SECONDS)
def most_used_procedures(limit: int = POPULAR_COUNT) -> tuple[PopularProcedure, ...]:
    """The procedures in force with the most dossiers created over the last 90 days, most first."""
    since = timezone.now() - POPULAR_WINDOW
    # Grouping by the version column needs no join; versions are few, so they are summed per procedure here.
    per_version = dict(
        Dossier.objects.filter(created_at__gte=since)
        .order_by()
        .values_list("procedure_version_id")
        .annotate(n=Count("id"))
    )
    procedure_of = dict(ProcedureVersion.objects.filter(pk__in=per_version).values_list("pk", "procedure_id"))
    per_procedure: Counter[int] = Counter()
    for version_id, dossiers in per_version.items():
        per_procedure[procedure_of[version_id]] += dossiers
    in_force = {v.procedure_id: v for v in search_versions().filter(procedure_id__in=per_procedure)}
    ranked = sorted(
        (procedure_id for procedure_id in per_procedure if procedure_id in in_force),
        key=lambda procedure_id: (-per_procedure[procedure_id], in_force[procedure_id].name),
    )
    return tuple(
        PopularProcedure(
            in_force[p].procedure.local_code, in_force[p].name, in_force[p].field.name, per_procedure[p]
        )
        for p in ranked[:limit]
    )


@timed_cache()
def field_facets(day: dt.date) -> tuple[Facet, ...]:
    """The fields (lĩnh vực) that have procedures in force on `day`, by name."""
    rows = (
        search_versions(day=day)
        .order_by()
        .values_list("field__code", "field__name")
        .annotate(n=Count("id"))
        .order_by("field__name")
    )
    return tuple(Facet(code, name, n) for code, name, n in rows)


@timed_cache()
def level_facets(day: dt.date) -> tuple[Facet, ...]:
    """The implementing levels that have procedures in force on `day`; `name` is left to the page to
    translate from the level's code."""
    rows = search_versions(day=day).order_by().values_list("level").annotate(n=Count("id")).order_by("level")
    return tuple(Facet(level, level, n) for level, n in rows)


def catalogue_page(q: str, field: str, level: str) -> QuerySet[ProcedureVersion]:
    """The procedures in force matching the search, each with its cases (for the processing times)."""
    return search_versions(q=q, field=field, level=level).prefetch_related(
        Prefetch("cases", queryset=Case.objects.order_by("order", "code"))
    )


def procedure_sheet(code: str) -> ProcedureVersion | None:
    """The version in force today of the procedure with this local (or unambiguous national) code, with its
    cases, fees, documents and receiving units; None when no procedure in force has the code."""
    procedure = procedure_by_code(code)
    version = version_in_force(procedure) if procedure else None
    return version_with_details(version.pk) if version else None


def accepts_online(version: ProcedureVersion) -> bool:
    """Whether a dossier may be submitted online; intake refuses the online channel to "no online service"."""
    return version.online_level != OnlineLevel.NONE


# --- the applicant's drafts and dossiers --------------------------------------------------------------------


def open_drafts(user: AnyUser) -> QuerySet[ApplicationDraft]:
    if not user.is_authenticated:
        return ApplicationDraft.objects.none()
    return ApplicationDraft.objects.filter(owner_id=user.pk, state=DraftState.OPEN).select_related(
        "procedure"
    )


def draft_for(user: AnyUser, pk: int) -> ApplicationDraft:
    """The user's own draft, open or submitted; anyone else's is not found."""
    draft = (
        ApplicationDraft.objects.filter(pk=pk, owner_id=user.pk)
        .select_related("procedure", "dossier")
        .first()
        if user.is_authenticated
        else None
    )
    if draft is None:
        raise NotFound(_("You have no application %d.") % pk)
    return draft


def draft_documents(draft: ApplicationDraft) -> dict[int, DraftDocument]:
    """The draft's uploads by required document."""
    return {d.requirement_id: d for d in draft.documents.select_related("file")}


def draft_file(user: AnyUser, pk: int, requirement_id: int) -> UploadedFile:
    document = draft_documents(draft_for(user, pk)).get(requirement_id)
    if document is None:
        raise NotFound(_("No file has been uploaded for this document."))
    return document.file


def my_dossiers(user: AnyUser) -> QuerySet[Dossier]:
    """The dossiers the user applied for, newest first; never those an officer merely has in scope."""
    return (
        visible_dossiers(user)
        .filter(applicant_user_id=user.pk)
        .select_related("rating")
        .order_by("-created_at", "-id")
    )


def my_dossier(user: AnyUser, code: str) -> Dossier:
    dossier = dossier_for(user, code)
    if dossier.applicant_user_id != user.pk:
        raise NotFound(_("No dossier %s is visible to you.") % code)
    return dossier


def dossier_rating(dossier: Dossier) -> Rating | None:
    return Rating.objects.filter(dossier_id=dossier.pk).first()


def result_unit(dossier: Dossier) -> Agency:
    """Where the result is handed over: the counter that received the dossier (the one-stop principle)."""
    return with_reference_rows(dossier).receiving_unit


def latest_supplement(dossier: Dossier) -> SupplementRequest | None:
    return dossier.supplements.order_by("-requested_at", "-id").first()


def supplement_uploads(request: SupplementRequest) -> dict[int, SupplementUpload]:
    return {u.item: u for u in SupplementUpload.objects.filter(supplement=request).select_related("file")}


def dossier_file(user: AnyUser, code: str, file_id: int) -> UploadedFile:
    """A file of the user's own dossier: one of its documents, or its electronic result."""
    dossier = my_dossier(user, code)
    if dossier.result_file_id == file_id and dossier.result_file is not None:
        return dossier.result_file
    document = next((d for d in dossier_documents(dossier) if d.file_id == file_id and d.file), None)
    if document is None or document.file is None:
        raise NotFound(_("This dossier has no such file."))
    return document.file
