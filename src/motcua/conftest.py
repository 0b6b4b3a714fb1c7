"""Shared fixtures: a small province with a service centre, a department, a commune, their staff, and one
procedure with two cases, a workflow and an e-form. Built through the real services where one exists."""

from __future__ import annotations

import datetime as dt
import signal
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from motcua.catalog.constants import OnlineLevel, ProcedureLevel
from motcua.catalog.models import Case, Field, Procedure, ProcedureVersion, RequiredDocument, WorkflowStep
from motcua.core.appendonly import TEST_FLUSH_MARKER
from motcua.core.memo import clear_reference_caches
from motcua.dossiers.services.intake import Applicant
from motcua.org.constants import AgencyKind, Role, UnitLevel
from motcua.org.models import AdministrativeUnit, Agency
from motcua.org.services import create_citizen, create_staff, issue_api_token
from motcua.sandbox.testing import Sandbox, running_sandbox
from motcua.worktime.constants import DurationUnit

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
BIRTH_FORM = {
    "type": "object",
    "required": ["child_name", "child_birth_date", "child_sex"],
    "properties": {
        "child_name": {"type": "string", "title": "Họ tên trẻ", "minLength": 2, "maxLength": 100},
        "child_birth_date": {"type": "string", "format": "date"},
        "child_sex": {"type": "string", "enum": ["nam", "nu"]},
        "father_name": {"type": "string"},
    },
    "additionalProperties": False,
}
VALID_FORM = {"child_name": "Nguyễn Văn Bé", "child_birth_date": "2026-11-01", "child_sex": "nam"}
CITIZEN_ID = "001090012345"
# The applicant of the dossiers the printing and indicator walks file.
APPLICANT = Applicant(
    kind="person",
    full_name="Nguyễn Thị Mai",
    id_number=CITIZEN_ID,
    date_of_birth=dt.date(1990, 5, 4),
    phone="0912345678",
    email="mai@example.vn",
    address="1 Phố Huế, Hà Nội",
)


@pytest.fixture(scope="session", autouse=True)
def _append_only_tables_may_be_flushed(django_db_setup, django_db_blocker):
    # The event and change tables refuse DELETE and TRUNCATE (core.appendonly, ADR 0015), but the flush
    # between transactional tests empties every table: the marker table lets it, in the test database only.
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {TEST_FLUSH_MARKER} (id integer)")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The real hasher is slow by design; tests make a dozen accounts each and check no password strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_caches():
    # The reference caches and Django's cache (officers' inbox counts) start empty in every test.
    clear_reference_caches()
    cache.clear()
    yield
    clear_reference_caches()
    cache.clear()


@pytest.fixture(scope="session")
def sandbox_server() -> Iterator[Sandbox]:
    """One `motcua sandbox` process (the stand-in national portal) for the whole test session, started at
    first use; tests take it through `sandbox`, which empties it first."""
    with running_sandbox() as running:
        yield running


@pytest.fixture
def sandbox(sandbox_server: Sandbox) -> Sandbox:
    """The sandbox as a real process, holding nothing, up, with no session alive."""
    sandbox_server.reset()
    return sandbox_server


@pytest.fixture
def dvcqg_settings(sandbox: Sandbox, settings) -> Sandbox:
    """The platform synchronises with the sandbox's national portal (MOTCUA_DVCQG_* pointed at it)."""
    settings.MOTCUA_DVCQG_URL = sandbox.url
    settings.MOTCUA_DVCQG_USER = sandbox.user
    settings.MOTCUA_DVCQG_PASSWORD = sandbox.password
    settings.MOTCUA_DVCQG_DSTCODE = sandbox.dstcode
    settings.MOTCUA_DVCQG_AUTH_PATH = sandbox.portal.auth_path
    settings.MOTCUA_DVCQG_SERVICE_PATH = sandbox.portal.service_path
    return sandbox


@dataclass
class World:
    province: AdministrativeUnit
    commune: AdministrativeUnit
    city: Agency
    centre: Agency
    department: Agency
    commune_committee: Agency
    other_commune: Agency
    procedure: Procedure
    version: ProcedureVersion
    case: Case
    documents: list[RequiredDocument]
    tokens: dict[str, str]

    def client(self, username: str | None) -> Client:
        if username is None:
            return Client()
        return Client(headers={"Authorization": f"Bearer {self.tokens[username]}"})

    def upload(self, username: str, content: bytes = PDF_BYTES, name: str = "scan.pdf") -> int:
        response = self.client(username).post("/api/v1/files", {"file": SimpleUploadedFile(name, content)})
        assert response.status_code == 201, response.content
        return int(response.json()["id"])

    def intake_body(self, username: str, **overrides: Any) -> dict[str, Any]:
        body: dict[str, Any] = {
            "procedure": self.procedure.local_code,
            "case": "standard",
            "channel": "counter",
            "applicant": {
                "kind": "person",
                "full_name": "Nguyễn Thị Mai",
                "id_number": CITIZEN_ID,
                "date_of_birth": "1990-05-04",
                "phone": "0912345678",
                "email": "mai@example.vn",
                "address": "1 Phố Huế, Hà Nội",
            },
            "form": VALID_FORM,
            "documents": [{"requirement": self.documents[0].pk, "file": self.upload(username)}],
            "result_delivery": "counter",
        }
        body.update(overrides)
        return body


def _agency(
    code: str, name: str, kind: str, unit: AdministrativeUnit, parent: Agency | None = None
) -> Agency:
    return Agency.objects.create(
        identity_code=code, name=name, kind=kind, administrative_unit=unit, parent=parent
    )


@pytest.fixture
def world(db) -> World:
    province = AdministrativeUnit.objects.create(code="01", name="Hà Nội", level=UnitLevel.PROVINCE)
    commune = AdministrativeUnit.objects.create(
        code="00004", name="Phường Ba Đình", level=UnitLevel.COMMUNE, parent=province
    )
    other = AdministrativeUnit.objects.create(
        code="00008", name="Phường Ngọc Hà", level=UnitLevel.COMMUNE, parent=province
    )
    city = _agency("000.00.00.H26", "UBND Thành phố Hà Nội", AgencyKind.PEOPLES_COMMITTEE, province)
    centre = _agency(
        "000.00.01.H26", "Trung tâm Phục vụ hành chính công", AgencyKind.SERVICE_CENTRE, province, city
    )
    department = _agency("000.00.21.H26", "Sở Tư pháp", AgencyKind.DEPARTMENT, province, city)
    committee = _agency("000.A1.01.H26", "UBND Phường Ba Đình", AgencyKind.PEOPLES_COMMITTEE, commune, city)
    other_committee = _agency(
        "000.A1.02.H26", "UBND Phường Ngọc Hà", AgencyKind.PEOPLES_COMMITTEE, other, city
    )

    field = Field.objects.create(code="HT", name="Hộ tịch")
    procedure = Procedure.objects.create(national_code="1.001193", local_code="1.001193.000.00.00.H26")
    version = ProcedureVersion.objects.create(
        procedure=procedure,
        valid_from=dt.date(2025, 7, 1),
        name="Đăng ký khai sinh",
        field=field,
        level=ProcedureLevel.PROVINCE,
        competent_agency=department,
        online_level=OnlineLevel.FULL,
    )
    version.receiving_units.set([centre, committee])
    case = Case.objects.create(
        version=version,
        code="standard",
        name="Thông thường",
        time_value=3,
        time_unit=DurationUnit.WORKING_DAYS,
        form_schema=BIRTH_FORM,
    )
    Case.objects.create(
        version=version, code="same_day", name="Trong ngày", time_value=1, form_schema=BIRTH_FORM
    )
    documents = [
        RequiredDocument.objects.create(
            case=case, order=1, name="Giấy chứng sinh", originals=1, mandatory=True
        ),
        RequiredDocument.objects.create(case=case, order=2, name="Giấy tờ khác", copies=1, mandatory=False),
    ]
    for order, (name, role, hours) in enumerate(
        [("Thẩm định", Role.SPECIALIST, 12), ("Phê duyệt", Role.UNIT_LEADER, 8), ("Vào sổ", Role.CLERK, 4)], 1
    ):
        WorkflowStep.objects.create(case=case, order=order, name=name, role=role, budget_hours=hours)

    staff = {
        "counter": (centre, Role.COUNTER_OFFICER),
        "counter_commune": (committee, Role.COUNTER_OFFICER),
        "specialist": (department, Role.SPECIALIST),
        "specialist2": (department, Role.SPECIALIST),
        "leader": (department, Role.UNIT_LEADER),
        "clerk": (department, Role.CLERK),
        "other_specialist": (other_committee, Role.SPECIALIST),
        "other_leader": (other_committee, Role.UNIT_LEADER),
        "city_leader": (city, Role.UNIT_LEADER),
        "auditor": (city, Role.AUDITOR),
    }
    tokens = {}
    for username, (agency, role) in staff.items():
        user = create_staff(username, agency.identity_code, role, password="pw-12345678").user
        tokens[username] = issue_api_token(user)
    for username, id_number in [("citizen", CITIZEN_ID), ("stranger", "001092054321")]:
        profile = create_citizen(username, id_number, password="pw-12345678")
        tokens[username] = issue_api_token(profile.user)
    return World(
        province,
        commune,
        city,
        centre,
        department,
        committee,
        other_committee,
        procedure,
        version,
        case,
        documents,
        tokens,
    )


def post_json(client: Client, path: str, body: Any, **headers: str):
    return client.post(path, body, content_type="application/json", headers=headers)


def act(world: World, username: str, code: str, action: str, **fields: Any):
    """Take `action` as `username` on the dossier's current version; return the response."""
    client = world.client(username)
    version = client.get(f"/api/v1/dossiers/{code}").json().get("version", 1)
    return post_json(client, f"/api/v1/dossiers/{code}/actions/{action}", {"version": version, **fields})


@pytest.fixture
def _signals_restored():
    """For a test that runs `motcua worker`: the worker installs its own handlers for a graceful stop, and the
    rest of the test run keeps pytest's."""
    saved = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield
    for number, handler in saved.items():
        signal.signal(number, handler)
