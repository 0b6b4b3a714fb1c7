"""Load the demo province: organisation, accounts and catalogue, from the JSON files beside this module.

Every row is found by its natural key (unit code, identity code, counter number, username, procedure local
code and version number, case code) and only written when it differs, so a second load changes nothing. Rows
that exist without being demo data are never overwritten: the demo is for development and training databases.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils import timezone

from motcua.catalog.models import Procedure
from motcua.catalog.services import problem_text, publish_version, save_programme
from motcua.core.errors import DomainError
from motcua.demo.catalogue import DemoDataError, local_code, programme_entries, version_specs
from motcua.exchange.models import AgencyMapping, ProcedureMapping
from motcua.org.models import AdministrativeUnit, Agency, CitizenProfile
from motcua.org.models import Counter as ServiceCounter
from motcua.org.services import create_citizen, create_staff

DATA_DIR = Path(__file__).resolve().parent
# Printed after every load and listed in docs/decisions/0003-demo-data.md: the accounts are public knowledge.
DEMO_PASSWORD = "demo12345"
CITIZEN_ROLE = "citizen"

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
Row = TypeVar("Row", bound=models.Model)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    unit: str


@dataclass
class DemoSummary:
    rows: dict[str, Counter[str]] = field(default_factory=dict)
    accounts: list[DemoAccount] = field(default_factory=list)

    def count(self, kind: str, status: str) -> None:
        self.rows.setdefault(kind, Counter())[status] += 1


def read_data(name: str) -> dict[str, Any]:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _sync(model: type[Row], lookup: dict[str, Any], values: dict[str, Any]) -> tuple[Row, str]:
    """The row with `lookup`, created or brought to `values`, writing only what differs."""
    row = model._default_manager.filter(**lookup).first()
    if row is not None and getattr(row, "is_demo", True) is False:
        raise DemoDataError(
            f"{model.__name__} {lookup} exists and is not demo data; the demo leaves it alone"
        )
    if row is None:
        row = model(**lookup, **values)
        status = CREATED
    else:
        changed = [name for name, value in values.items() if getattr(row, name) != value]
        for name in changed:
            setattr(row, name, values[name])
        status = UPDATED if changed else UNCHANGED
    if status != UNCHANGED:
        row.full_clean()
        row.save()
    return row, status


def _load_units(data: dict[str, Any], summary: DemoSummary) -> dict[str, AdministrativeUnit]:
    units: dict[str, AdministrativeUnit] = {}
    # Parents and successors come earlier in the file than the units that name them.
    for unit in data["units"]:
        units[unit["code"]], status = _sync(
            AdministrativeUnit,
            {"code": unit["code"]},
            {
                "name": unit["name"],
                "level": unit["level"],
                "parent": units[unit["parent"]] if "parent" in unit else None,
                "successor": units[unit["successor"]] if "successor" in unit else None,
                "valid_from": _day(unit.get("valid_from")),
                "valid_to": _day(unit.get("valid_to")),
                "is_demo": True,
            },
        )
        summary.count("administrative units", status)
    return units


def _load_agencies(
    data: dict[str, Any], units: dict[str, AdministrativeUnit], summary: DemoSummary
) -> dict[str, Agency]:
    agencies: dict[str, Agency] = {}
    for entry in data["agencies"]:
        agency, status = _sync(
            Agency,
            {"identity_code": entry["identity_code"]},
            {
                "name": entry["name"],
                "kind": entry["kind"],
                "parent": agencies[entry["parent"]] if "parent" in entry else None,
                "administrative_unit": units[entry["unit"]],
                "valid_from": _day(entry.get("valid_from")),
                "valid_to": _day(entry.get("valid_to")),
                "is_demo": True,
            },
        )
        agencies[agency.identity_code] = agency
        summary.count("agencies", status)
        for number, name in enumerate(data["counter_sets"].get(entry.get("counters"), []), 1):
            _row, status = _sync(
                ServiceCounter,
                {"agency": agency, "number": f"{number:02d}"},
                {"name": name, "is_active": True},
            )
            summary.count("counters", status)
    return agencies


def _account(username: str) -> tuple[str, str | None]:
    """How a demo account stands, and the password to give it: None leaves a working account's hash alone."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        return CREATED, DEMO_PASSWORD
    if user.check_password(DEMO_PASSWORD):
        return UNCHANGED, None
    return UPDATED, DEMO_PASSWORD


def _verify_demo_email(profile: CitizenProfile, email: str) -> bool:
    """Give a demo citizen their address, verified: nobody receives mail at the example addresses, and the
    demo accounts must sign in at once. True when anything changed."""
    user = profile.user
    if user.email == email and profile.email_verified_at is not None:
        return False
    user.email = email
    user.save(update_fields=["email"])
    profile.email_verified_at = profile.email_verified_at or timezone.now()
    profile.save(update_fields=["email_verified_at"])
    return True


def _load_people(data: dict[str, Any], agencies: dict[str, Agency], summary: DemoSummary) -> None:
    for staff in data["staff"]:
        status, password = _account(staff["username"])
        create_staff(
            staff["username"], staff["agency"], staff["role"], password=password, full_name=staff["full_name"]
        )
        if staff.get("superuser"):
            # The administrator also opens Django's admin site, which needs these two flags.
            _sync(get_user_model(), {"username": staff["username"]}, {"is_staff": True, "is_superuser": True})
        summary.count("staff accounts", status)
        summary.accounts.append(DemoAccount(staff["username"], staff["role"], agencies[staff["agency"]].name))
    for citizen in data["citizens"]:
        status, password = _account(citizen["username"])
        profile = create_citizen(
            citizen["username"],
            citizen["id_number"],
            password=password,
            full_name=citizen["full_name"],
            email=citizen["email"],
        )
        if _verify_demo_email(profile, citizen["email"]) and status == UNCHANGED:
            status = UPDATED
        summary.count("citizen accounts", status)
        summary.accounts.append(DemoAccount(citizen["username"], CITIZEN_ROLE, ""))


def _load_catalogue(catalogue: dict[str, Any], summary: DemoSummary) -> None:
    first_day = dt.date.fromisoformat(catalogue["valid_from"])
    for spec in version_specs(catalogue):
        existing = Procedure.objects.filter(local_code=spec.local_code).first()
        if existing is not None and not existing.is_demo:
            raise DemoDataError(
                f"procedure {spec.local_code} exists and is not demo data; the demo leaves it alone"
            )
        # The first load dates the catalogue from the reform, so July 2025 dossiers find their versions; an
        # edited file publishes its changes as new versions from today, as an import would.
        valid_from = timezone.localdate() if existing else first_day
        try:
            publication = publish_version(spec, valid_from, is_demo=True)
        except DomainError as exc:
            raise DemoDataError(f"procedure {spec.national_code}: {problem_text(exc)}") from exc
        summary.count("procedures", publication.outcome)
    for programme in catalogue["programmes"]:
        save_programme(
            programme["name"],
            programme["weekdays"],
            dt.date.fromisoformat(programme["valid_from"]),
            programme_entries(catalogue, programme),
        )
        summary.count("service programmes", "saved")


def _load_national_mappings(
    mappings: dict[str, Any], catalogue: dict[str, Any], agencies: dict[str, Agency], summary: DemoSummary
) -> None:
    for national_code in mappings["procedures"]:
        procedure = Procedure.objects.get(local_code=local_code(catalogue, national_code))
        _row, status = _sync(ProcedureMapping, {"procedure": procedure}, {"national_code": national_code})
        summary.count("procedures on the national portal", status)
    for identity_code, agency in agencies.items():
        _row, status = _sync(AgencyMapping, {"agency": agency}, {"national_code": identity_code})
        summary.count("agencies on the national portal", status)


@transaction.atomic
def load_demo() -> DemoSummary:
    """Load or refresh the demo province in one transaction: all of it, or nothing."""
    organisation = read_data("organisation.json")
    summary = DemoSummary()
    units = _load_units(organisation, summary)
    agencies = _load_agencies(organisation, units, summary)
    try:
        _load_people(organisation, agencies, summary)
    except DomainError as exc:
        raise DemoDataError(f"demo accounts: {problem_text(exc)}") from exc
    catalogue = read_data("catalogue.json")
    _load_catalogue(catalogue, summary)
    _load_national_mappings(read_data("national_portal.json"), catalogue, agencies, summary)
    return summary


def demo_province_code() -> str:
    return read_data("organisation.json")["province"]
