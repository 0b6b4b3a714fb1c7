"""Read helpers of the public portal: what the home page offers to browse and what a procedure sheet shows.

The counts change slowly and every visitor of the home page asks for them, so each process keeps them for a
minute (core.memo); the texts are translated when a page is drawn, never in the cached values.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from motcua.catalog.constants import OnlineLevel
from motcua.catalog.models import Case, ProcedureVersion
from motcua.catalog.selectors import (
    procedure_by_code,
    search_versions,
    version_in_force,
    version_with_details,
)
from motcua.core.memo import timed_cache
from motcua.dossiers.models import Dossier

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
