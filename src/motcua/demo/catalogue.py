"""The demo catalogue (catalogue.json) read into the specs that `catalog.services` publishes.

The file names what procedures share (receiving units, workflows, form sections, whole forms) once, so each
procedure shows only what is particular to it; this module resolves those names and nothing else.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from motcua.catalog.constants import SupplementPolicy
from motcua.catalog.services import CaseSpec, DocumentSpec, FeeSpec, ProgrammeEntrySpec, StepSpec, VersionSpec

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


class DemoDataError(ValueError):
    """The demo data contradicts itself; loading stops so the mistake is fixed in the file."""


def local_code(catalogue: dict[str, Any], national_code: str) -> str:
    return f"{national_code}.{catalogue['publisher']}"


def form_schema(form: dict[str, Any], sections: dict[str, Any]) -> dict[str, Any]:
    """A flat JSON Schema: the named sections' fields first, then the form's own."""
    properties: dict[str, Any] = {}
    required: list[str] = []
    for name in form.get("sections", []):
        properties |= sections[name]["properties"]
        required += sections[name]["required"]
    properties |= form["properties"]
    required += form.get("required", [])
    if unknown := sorted(set(required) - properties.keys()):
        # Legal JSON Schema, but a form that demands a field it never shows can never be submitted.
        raise DemoDataError(f"form {form['title']!r} requires fields it does not have: {', '.join(unknown)}")
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "title": form["title"],
        "type": "object",
        "properties": properties,
        "required": required,
    }


def _case(catalogue: dict[str, Any], case: dict[str, Any]) -> CaseSpec:
    form = case["form"]
    if isinstance(form, str):
        form = catalogue["forms"][form]
    online_time = case.get("online_time") or (None, "")
    return CaseSpec(
        code=case["code"],
        name=case["name"],
        time_value=case["time"][0],
        time_unit=case["time"][1],
        online_time_value=online_time[0],
        online_time_unit=online_time[1],
        same_day_cutoff=dt.time.fromisoformat(case["cutoff"]) if case.get("cutoff") else None,
        fees=tuple(FeeSpec(**fee) for fee in case.get("fees", [])),
        documents=tuple(DocumentSpec(**doc) for doc in case["documents"]),
        form_schema=form_schema(form, catalogue["form_sections"]),
        steps=tuple(
            StepSpec(step["name"], step["role"], step["hours"], step.get("agency"))
            for step in catalogue["workflows"][case["workflow"]]
        ),
    )


def version_specs(catalogue: dict[str, Any]) -> list[VersionSpec]:
    fields = catalogue["fields"]
    return [
        VersionSpec(
            national_code=procedure["code"],
            local_code=local_code(catalogue, procedure["code"]),
            name=procedure["name"],
            field_code=procedure["field"],
            field_name=fields[procedure["field"]],
            level=procedure["level"],
            competent_agency_code=procedure["competent"],
            cases=tuple(_case(catalogue, case) for case in procedure["cases"]),
            online_level=procedure["online_level"],
            applicants=procedure.get("applicants", ""),
            steps=procedure.get("steps", ""),
            conditions=procedure.get("conditions", ""),
            legal_basis=tuple(procedure.get("legal_basis", [])),
            result_types=tuple(procedure.get("results", [])),
            receiving_unit_codes=tuple(catalogue["receiving"][procedure["receiving"]]),
            instant_service=procedure.get("instant_service", False),
            # The platform's default (DOMAIN.md §2.4): after a supplement the deadline is counted afresh.
            supplement_policy=SupplementPolicy.RECOUNT,
        )
        for procedure in catalogue["procedures"]
    ]


def programme_entries(catalogue: dict[str, Any], programme: dict[str, Any]) -> list[ProgrammeEntrySpec]:
    return [
        ProgrammeEntrySpec(local_code(catalogue, entry["code"]), entry["time"][0], entry["time"][1])
        for entry in programme["entries"]
    ]
