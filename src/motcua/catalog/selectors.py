"""Read queries of the catalogue: the version in force, search, and what a dossier's intake needs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from motcua.catalog.models import (
    Case,
    Procedure,
    ProcedureVersion,
    ProgrammeEntry,
    RequiredDocument,
    WorkflowStep,
)
from motcua.core.memo import timed_cache
from motcua.core.text import fold_vietnamese
from motcua.org.models import Agency


def in_force_on(day: dt.date) -> Q:
    return Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))


def procedure_by_code(code: str) -> Procedure | None:
    """A procedure by its local code, or by its national code when only one local publication has it."""
    found = Procedure.objects.filter(local_code=code).first()
    if found is None:
        candidates = list(Procedure.objects.filter(national_code=code)[:2])
        found = candidates[0] if len(candidates) == 1 else None
    return found


def version_in_force(procedure: Procedure, day: dt.date | None = None) -> ProcedureVersion | None:
    day = day or timezone.localdate()
    return (
        ProcedureVersion.objects.filter(in_force_on(day), procedure=procedure)
        .select_related("procedure", "field", "competent_agency")
        .order_by("-valid_from", "-number")
        .first()
    )


def search_versions(
    q: str = "", field: str = "", level: str = "", online: str = "", day: dt.date | None = None
) -> QuerySet[ProcedureVersion]:
    """Versions in force, matching every word of `q` without regard to accents or case."""
    versions = ProcedureVersion.objects.filter(in_force_on(day or timezone.localdate())).select_related(
        "procedure", "field", "competent_agency"
    )
    for word in fold_vietnamese(q).split():
        versions = versions.filter(search_text__contains=word)
    if field:
        versions = versions.filter(field__code=field)
    if level:
        versions = versions.filter(level=level)
    if online:
        versions = versions.filter(online_level=online)
    return versions.order_by("procedure__national_code", "procedure__local_code")


def version_with_details(version_id: int) -> ProcedureVersion:
    cases = Case.objects.order_by("order", "code").prefetch_related(
        "fees",
        Prefetch("documents", queryset=RequiredDocument.objects.order_by("order", "id")),
        Prefetch("steps", queryset=WorkflowStep.objects.select_related("agency").order_by("order")),
    )
    return (
        ProcedureVersion.objects.select_related("procedure", "field", "competent_agency")
        .prefetch_related("receiving_units", Prefetch("cases", queryset=cases))
        .get(pk=version_id)
    )


@dataclass(frozen=True)
class IntakeOffer:
    """What intake needs of a procedure on a given day, kept per process (see core.memo): read-only."""

    version: ProcedureVersion
    cases: dict[str, Case]
    receiving_units: tuple[Agency, ...]

    @property
    def receiving_unit_ids(self) -> frozenset[int]:
        return frozenset(a.pk for a in self.receiving_units) | {self.version.competent_agency_id}


@timed_cache()
def intake_offer(code: str, day: dt.date) -> IntakeOffer | None:
    procedure = procedure_by_code(code)
    version = version_in_force(procedure, day) if procedure else None
    if version is None:
        return None
    cases = version.cases.order_by("order", "code").prefetch_related(
        Prefetch("documents", queryset=RequiredDocument.objects.order_by("order", "id")), "fees"
    )
    units = tuple(version.receiving_units.select_related("administrative_unit").order_by("identity_code"))
    return IntakeOffer(version, {c.code: c for c in cases}, units)


@dataclass(frozen=True)
class ProgrammeTime:
    weekdays: frozenset[int]
    valid_from: dt.date
    valid_to: dt.date | None
    value: int
    unit: str

    def applies_on(self, day: dt.date) -> bool:
        in_force = self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)
        return in_force and day.isoweekday() in self.weekdays


@timed_cache()
def programme_times(procedure_id: int) -> tuple[ProgrammeTime, ...]:
    """The shorter times themed service days give this procedure, shortest first."""
    entries = ProgrammeEntry.objects.filter(
        procedure_id=procedure_id, programme__is_active=True
    ).select_related("programme")
    return tuple(
        sorted(
            (
                ProgrammeTime(
                    frozenset(e.programme.weekdays),
                    e.programme.valid_from,
                    e.programme.valid_to,
                    e.time_value,
                    e.time_unit,
                )
                for e in entries
            ),
            key=lambda t: t.value,
        )
    )


@timed_cache()
def pinned_version(version_id: int) -> ProcedureVersion:
    """A procedure version by id, from the per-process copy: dossiers pin versions, which do not change."""
    return ProcedureVersion.objects.select_related("procedure", "field", "competent_agency").get(
        pk=version_id
    )


@timed_cache()
def pinned_case(case_id: int) -> Case:
    return Case.objects.get(pk=case_id)
