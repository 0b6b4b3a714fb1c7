"""Write use cases of the catalogue: publishing procedure versions and service programmes.

The national-portal importer and the demo loader both describe a procedure as a `VersionSpec` and hand it to
`publish_version`, so they cannot drift apart. A published version is never edited: dossiers pin it, and its
documents and workflow steps are referenced by those dossiers. A change is a new version that starts the day
the old one ends.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.catalog.constants import FeeKind, OnlineLevel, ProcedureLevel, SupplementPolicy
from motcua.catalog.forms_schema import schema_problem, with_field_order
from motcua.catalog.models import (
    Case,
    Fee,
    Field,
    Procedure,
    ProcedureVersion,
    ProgrammeEntry,
    RequiredDocument,
    ServiceProgramme,
    WorkflowStep,
)
from motcua.core.errors import Conflict, DomainError, InvalidInput
from motcua.org.constants import Role
from motcua.org.models import Agency
from motcua.worktime.constants import DurationUnit
from motcua.worktime.services import calendar_for


def working_day_minutes() -> int:
    """A working day in the province's configured office hours: what the catalogue's working days are worth
    when converted to working hours, as the clock counts them (DOMAIN.md §4.1)."""
    return calendar_for().office_hours.minutes_per_day


@dataclass(frozen=True)
class FeeSpec:
    kind: str
    amount: int
    online_amount: int | None = None
    unit: str = ""
    description: str = ""
    exemptions: str = ""


@dataclass(frozen=True)
class DocumentSpec:
    name: str
    originals: int = 0
    copies: int = 0
    mandatory: bool = True
    template_url: str = ""
    national_doc_type_code: str = ""


@dataclass(frozen=True)
class StepSpec:
    name: str
    role: str
    budget_hours: int
    agency_code: str | None = None  # None: the procedure's competent agency


@dataclass(frozen=True)
class CaseSpec:
    """A case as published. Fields left None are local settings the national portal does not publish: a new
    version inherits them from the previous version's case with the same code."""

    code: str
    name: str
    time_value: int
    time_unit: str
    online_time_value: int | None = None
    online_time_unit: str = ""
    fees: tuple[FeeSpec, ...] = ()
    documents: tuple[DocumentSpec, ...] = ()
    same_day_cutoff: dt.time | None = None
    form_schema: dict[str, Any] | None = None
    steps: tuple[StepSpec, ...] | None = None


@dataclass(frozen=True)
class VersionSpec:
    """What a procedure version says. As with cases, None means "keep the local setting"."""

    national_code: str
    local_code: str
    name: str
    field_code: str
    field_name: str
    level: str
    competent_agency_code: str
    cases: tuple[CaseSpec, ...]
    online_level: str = OnlineLevel.NONE
    description: str = ""
    applicants: str = ""
    steps: str = ""
    conditions: str = ""
    legal_basis: tuple[dict[str, str], ...] = ()
    result_types: tuple[dict[str, str], ...] = ()
    publish_decision: str = ""
    receiving_unit_codes: tuple[str, ...] | None = None
    instant_service: bool | None = None
    supplement_policy: str | None = None


class Outcome(enum.StrEnum):
    CREATED = "created"
    NEW_VERSION = "new_version"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class Publication:
    version: ProcedureVersion
    outcome: Outcome


@dataclass(frozen=True)
class ProgrammeEntrySpec:
    local_code: str
    time_value: int
    time_unit: str


def problem_text(error: DomainError) -> str:
    """Why publishing failed, on one line, for the reports of commands that publish many procedures."""
    return "; ".join(f"{p.field}: {p.message}" for p in error.errors) or str(error)


def case_budget_hours(time_value: int, time_unit: str) -> int | None:
    """The working hours a case's internal steps may use in all, or None when the case has no deadline.

    Calendar days are capped like working days: the steps are office work whatever the legal clock counts.
    """
    if time_unit == DurationUnit.WORKING_HOURS:
        return time_value
    if time_unit in (DurationUnit.WORKING_DAYS, DurationUnit.DAYS):
        return time_value * working_day_minutes() // 60
    return None


def budget_problem(case_code: str, time_value: int, time_unit: str, budgets: Iterable[int]) -> str | None:
    """Why steps with these budgets cannot be done within a case's time, or None when they can."""
    cap = case_budget_hours(time_value, time_unit)
    used = sum(budgets)
    if cap is not None and used > cap:
        return str(
            _("The steps of case %(case)s need %(used)d working hours; the case allows %(cap)d.")
            % {"case": case_code, "used": used, "cap": cap}
        )
    return None


def workflow_problem(case: Case) -> str | None:
    """Why the case's workflow cannot be done within the case's time, or None when it can."""
    return budget_problem(
        case.code, case.time_value, case.time_unit, (step.budget_hours for step in case.steps.all())
    )


def validity_problem(
    procedure_id: int, valid_from: dt.date, valid_to: dt.date | None, version_id: int | None = None
) -> str | None:
    """Why a version of the procedure cannot be in force over these dates, or None when it can.

    Intake takes the version in force on the day; two versions in force on one day would leave that to chance.
    """
    others = ProcedureVersion.objects.filter(procedure_id=procedure_id)
    if version_id is not None:
        others = others.exclude(pk=version_id)
    others = others.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from))
    if valid_to is not None:
        others = others.filter(valid_from__lte=valid_to)
    clash = others.order_by("valid_from").first()
    if clash is None:
        return None
    if clash.valid_to is None:
        return str(
            _("Version %(number)d is in force from %(start)s with no end date; the dates may not overlap.")
            % {"number": clash.number, "start": clash.valid_from.isoformat()}
        )
    return str(
        _("Version %(number)d is in force from %(start)s to %(end)s; the dates may not overlap.")
        % {"number": clash.number, "start": clash.valid_from.isoformat(), "end": clash.valid_to.isoformat()}
    )


def _require_choice(value: str | None, choices: list[str], field: str) -> None:
    if value not in choices:
        raise InvalidInput.field(
            field,
            "unknown_choice",
            _("Unknown value %(value)r; use one of: %(choices)s.")
            % {"value": value, "choices": ", ".join(choices)},
        )


def _agencies_by_code(codes: Sequence[str], field: str) -> dict[str, Agency]:
    found = {a.identity_code: a for a in Agency.objects.filter(identity_code__in=set(codes))}
    if missing := sorted(set(codes) - found.keys()):
        raise InvalidInput.field(
            field, "unknown_agency", _("No agency has the identity code %s.") % ", ".join(missing)
        )
    return found


@transaction.atomic
def add_case(version: ProcedureVersion, spec: CaseSpec, order: int) -> Case:
    """Add a case, with its fees, documents and workflow, to a version being published."""
    where = f"cases.{spec.code}"
    if version.cases.filter(code=spec.code).exists():
        raise Conflict(_("Case %s is already published; publish a new version to change it.") % spec.code)
    form_schema = spec.form_schema or {}
    if problem := schema_problem(form_schema):
        raise InvalidInput.field(f"{where}.form_schema", "invalid_schema", problem)
    _require_choice(spec.time_unit, DurationUnit.values, f"{where}.time_unit")
    if spec.online_time_unit:
        _require_choice(spec.online_time_unit, DurationUnit.values, f"{where}.online_time_unit")
    for fee in spec.fees:
        _require_choice(fee.kind, FeeKind.values, f"{where}.fees")
    steps = spec.steps or ()
    for step in steps:
        _require_choice(step.role, Role.values, f"{where}.steps")
    if (spec.online_time_value is None) != (not spec.online_time_unit):
        raise InvalidInput.field(
            f"{where}.online_time_unit",
            "incomplete",
            _("Give both the value and the unit of the online time."),
        )
    case = Case.objects.create(
        version=version,
        code=spec.code,
        name=spec.name,
        order=order,
        time_value=spec.time_value,
        time_unit=spec.time_unit,
        online_time_value=spec.online_time_value,
        online_time_unit=spec.online_time_unit,
        same_day_cutoff=spec.same_day_cutoff,
        form_schema=form_schema,
    )
    # One by one, not in bulk: each row is a change the audit chain records from its save (ADR 0015).
    for fee in spec.fees:
        Fee.objects.create(case=case, **dataclasses.asdict(fee))
    for n, doc in enumerate(spec.documents, 1):
        RequiredDocument.objects.create(case=case, order=n, **dataclasses.asdict(doc))
    agencies = _agencies_by_code([s.agency_code for s in steps if s.agency_code], f"{where}.steps")
    for n, step in enumerate(steps, 1):
        WorkflowStep.objects.create(
            case=case,
            order=n,
            name=step.name,
            role=step.role,
            budget_hours=step.budget_hours,
            agency=agencies[step.agency_code] if step.agency_code else None,
        )
    if problem := workflow_problem(case):
        raise InvalidInput.field(f"{where}.steps", "over_budget", problem)
    return case


def _case_spec(case: Case) -> CaseSpec:
    return CaseSpec(
        code=case.code,
        name=case.name,
        time_value=case.time_value,
        time_unit=case.time_unit,
        online_time_value=case.online_time_value,
        online_time_unit=case.online_time_unit,
        fees=tuple(
            FeeSpec(f.kind, f.amount, f.online_amount, f.unit, f.description, f.exemptions)
            for f in case.fees.order_by("id")
        ),
        documents=tuple(
            DocumentSpec(d.name, d.originals, d.copies, d.mandatory, d.template_url, d.national_doc_type_code)
            for d in case.documents.order_by("order", "id")
        ),
        same_day_cutoff=case.same_day_cutoff,
        form_schema=case.form_schema,
        steps=tuple(
            StepSpec(s.name, s.role, s.budget_hours, s.agency.identity_code if s.agency else None)
            for s in case.steps.select_related("agency").order_by("order")
        ),
    )


def _version_spec(version: ProcedureVersion) -> VersionSpec:
    """What a stored version says, in the form a publisher writes it, so that the two can be compared."""
    return VersionSpec(
        national_code=version.procedure.national_code,
        local_code=version.procedure.local_code,
        name=version.name,
        field_code=version.field.code,
        field_name=version.field.name,
        level=version.level,
        competent_agency_code=version.competent_agency.identity_code,
        cases=tuple(_case_spec(case) for case in version.cases.order_by("order", "code")),
        online_level=version.online_level,
        description=version.description,
        applicants=version.applicants,
        steps=version.steps,
        conditions=version.conditions,
        legal_basis=tuple(version.legal_basis),
        result_types=tuple(version.result_types),
        publish_decision=version.publish_decision,
        receiving_unit_codes=tuple(sorted(version.receiving_units.values_list("identity_code", flat=True))),
        instant_service=version.instant_service,
        supplement_policy=version.supplement_policy,
    )


def _inherit_local_settings(spec: VersionSpec, previous: VersionSpec | None) -> VersionSpec:
    """Fill what the publisher left None from the previous version, else with the defaults."""
    previous_cases = {case.code: case for case in previous.cases} if previous else {}

    def inherit(value: Any, previous_value: Any, default: Any) -> Any:
        if value is not None:
            return value
        return previous_value if previous_value is not None else default

    cases = []
    for case in spec.cases:
        before = previous_cases.get(case.code)
        cases.append(
            dataclasses.replace(
                case,
                same_day_cutoff=inherit(case.same_day_cutoff, before and before.same_day_cutoff, None),
                form_schema=with_field_order(inherit(case.form_schema, before and before.form_schema, {})),
                steps=inherit(case.steps, before and before.steps, ()),
            )
        )
    receiving = inherit(spec.receiving_unit_codes, previous and previous.receiving_unit_codes, ())
    return dataclasses.replace(
        spec,
        cases=tuple(cases),
        receiving_unit_codes=tuple(sorted(set(receiving))),
        instant_service=inherit(spec.instant_service, previous and previous.instant_service, False),
        supplement_policy=inherit(
            spec.supplement_policy, previous and previous.supplement_policy, SupplementPolicy.RECOUNT
        ),
    )


def _field(code: str, name: str) -> Field:
    """The field with this code, renamed if the publisher names it differently (fields are not versioned)."""
    field, created = Field.objects.get_or_create(code=code, defaults={"name": name})
    if not created and name and field.name != name:
        field.name = name
        field.save(update_fields=["name"])
    return field


@transaction.atomic
def publish_version(spec: VersionSpec, valid_from: dt.date, *, is_demo: bool = False) -> Publication:
    """Publish what `spec` says about a procedure, from `valid_from`.

    The same content as the latest version changes nothing. Different content becomes a new version from
    `valid_from`, and the previous version ends the day before; versions are never edited in place.
    """
    if not spec.cases:
        raise InvalidInput.field("cases", "required", _("A procedure needs at least one case."))
    procedure, _created = Procedure.objects.get_or_create(
        local_code=spec.local_code, defaults={"national_code": spec.national_code, "is_demo": is_demo}
    )
    # Two publishers of one procedure would both see the same latest version and number theirs alike.
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    if procedure.national_code != spec.national_code:
        raise InvalidInput.field(
            "national_code",
            "mismatch",
            _("%(local)s is published under the national code %(code)s.")
            % {"local": procedure.local_code, "code": procedure.national_code},
        )
    field = _field(spec.field_code, spec.field_name)
    previous = (
        procedure.versions.select_related("procedure", "field", "competent_agency")
        .order_by("-number")
        .first()
    )
    previous_spec = _version_spec(previous) if previous else None
    spec = _inherit_local_settings(spec, previous_spec)
    if previous is not None and previous_spec == spec:
        return Publication(previous, Outcome.UNCHANGED)
    if previous is not None and valid_from <= previous.valid_from:
        raise InvalidInput.field(
            "valid_from",
            "not_after_previous",
            _("A new version must start after %(day)s, when version %(number)d started.")
            % {"day": previous.valid_from.isoformat(), "number": previous.number},
        )
    _require_choice(spec.level, ProcedureLevel.values, "level")
    _require_choice(spec.online_level, OnlineLevel.values, "online_level")
    _require_choice(spec.supplement_policy, SupplementPolicy.values, "supplement_policy")
    competent = _agencies_by_code([spec.competent_agency_code], "competent_agency_code")
    receiving = _agencies_by_code(spec.receiving_unit_codes or (), "receiving_unit_codes")
    version = ProcedureVersion.objects.create(
        procedure=procedure,
        number=previous.number + 1 if previous else 1,
        valid_from=valid_from,
        name=spec.name,
        field=field,
        level=spec.level,
        competent_agency=competent[spec.competent_agency_code],
        online_level=spec.online_level,
        description=spec.description,
        applicants=spec.applicants,
        steps=spec.steps,
        conditions=spec.conditions,
        legal_basis=list(spec.legal_basis),
        result_types=list(spec.result_types),
        publish_decision=spec.publish_decision,
        instant_service=bool(spec.instant_service),
        supplement_policy=spec.supplement_policy or SupplementPolicy.RECOUNT,
    )
    version.receiving_units.set(receiving.values())
    for order, case in enumerate(spec.cases, 1):
        add_case(version, case, order)
    if previous is None:
        return Publication(version, Outcome.CREATED)
    last_day = valid_from - dt.timedelta(days=1)
    if previous.valid_to is None or previous.valid_to > last_day:
        previous.valid_to = last_day
        previous.save(update_fields=["valid_to"])
    return Publication(version, Outcome.NEW_VERSION)


@transaction.atomic
def save_programme(
    name: str, weekdays: Sequence[int], valid_from: dt.date, entries: Sequence[ProgrammeEntrySpec]
) -> ServiceProgramme:
    """Create or update the service programme called `name` so that it lists exactly `entries`."""
    programme = ServiceProgramme.objects.filter(name=name).first() or ServiceProgramme(name=name)
    programme.weekdays = list(weekdays)
    programme.valid_from = valid_from
    programme.full_clean()
    programme.save()
    procedures = {
        p.local_code: p for p in Procedure.objects.filter(local_code__in=[e.local_code for e in entries])
    }
    if missing := sorted({e.local_code for e in entries} - procedures.keys()):
        raise InvalidInput.field(
            "entries", "unknown_procedure", _("Unknown procedure %s.") % ", ".join(missing)
        )
    for entry in entries:
        _require_choice(entry.time_unit, DurationUnit.values, "entries")
        ProgrammeEntry.objects.update_or_create(
            programme=programme,
            procedure=procedures[entry.local_code],
            defaults={"time_value": entry.time_value, "time_unit": entry.time_unit},
        )
    programme.entries.exclude(procedure__local_code__in=procedures.keys()).delete()
    return programme
