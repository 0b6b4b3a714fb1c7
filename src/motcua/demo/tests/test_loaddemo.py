import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import models

from motcua.catalog.forms_schema import schema_problem
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
from motcua.catalog.selectors import search_versions
from motcua.catalog.services import workflow_problem
from motcua.demo import loader
from motcua.exchange.models import AgencyMapping, ProcedureMapping
from motcua.org.constants import Role, UnitLevel
from motcua.org.models import AdministrativeUnit, Agency, CitizenProfile, Counter, StaffRole
from motcua.sandbox.dvcqg import portal_data

COUNTED: list[type[models.Model]] = [
    AdministrativeUnit,
    Agency,
    Counter,
    get_user_model(),
    StaffRole,
    CitizenProfile,
    Field,
    Procedure,
    ProcedureVersion,
    Case,
    Fee,
    RequiredDocument,
    WorkflowStep,
    ServiceProgramme,
    ProgrammeEntry,
    ProcedureMapping,
    AgencyMapping,
]


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _loaddemo() -> str:
    out = StringIO()
    call_command("loaddemo", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(db) -> str:
    return _loaddemo()


def _counts() -> dict[str, int]:
    return {model.__name__: model._default_manager.count() for model in COUNTED}


def test_a_second_load_duplicates_nothing(demo):
    before = _counts()

    output = _loaddemo()

    assert _counts() == before
    assert "created" not in output and "updated" not in output


def test_the_catalogue_has_the_25_seed_procedures_all_marked_demo(demo):
    assert Procedure.objects.count() == 25
    assert not Procedure.objects.filter(is_demo=False).exists()
    assert ProcedureVersion.objects.filter(valid_from=dt.date(2025, 7, 1), valid_to=None).count() == 25
    assert ProcedureVersion.objects.filter(instant_service=True).count() == 2
    assert not ProcedureVersion.objects.exclude(supplement_policy="recount").exists()
    assert not AdministrativeUnit.objects.filter(is_demo=False).exists()
    assert not Agency.objects.filter(is_demo=False).exists()


def test_every_e_form_is_a_valid_schema(demo):
    for case in Case.objects.all():
        assert case.form_schema.get("type") == "object", case
        assert schema_problem(case.form_schema) is None, case


def test_every_workflow_fits_its_case_time(demo):
    for case in Case.objects.prefetch_related("steps"):
        assert case.steps.exists(), case
        assert workflow_problem(case) is None, case


def test_the_procedures_the_stand_in_portal_knows_and_every_agency_are_mapped(demo):
    mapped = dict(ProcedureMapping.objects.values_list("procedure__national_code", "national_code"))
    assert len(mapped) == 6
    assert all(ours == theirs for ours, theirs in mapped.items())
    assert set(mapped) <= set(portal_data().procedures)
    assert AgencyMapping.objects.count() == Agency.objects.count()


def test_there_is_staff_in_every_role_and_a_superuser(demo):
    assert set(StaffRole.objects.values_list("role", flat=True)) == set(Role.values)
    admin = get_user_model().objects.get(username="quantri")
    assert admin.is_staff and admin.is_superuser
    assert admin.check_password(loader.DEMO_PASSWORD)
    assert CitizenProfile.objects.count() == 2


def test_the_account_table_is_printed(demo):
    for line in ["motiepnhan", "lanhdao.bd", "congdan", loader.DEMO_PASSWORD]:
        assert line in demo


def test_old_wards_lead_to_the_new_ward(demo):
    old = AdministrativeUnit.objects.select_related("parent", "successor").get(code="00013")
    assert old.parent is not None and old.parent.level == UnitLevel.DISTRICT
    assert old.valid_to == dt.date(2025, 6, 30)
    assert old.successor is not None and old.successor.name == "Phường Ba Đình"
    assert AdministrativeUnit.objects.filter(level=UnitLevel.COMMUNE, valid_to=None).count() >= 12


@pytest.mark.parametrize("query", ["dang ky khai sinh", "Đăng ký khai sinh", "khai sinh"])
def test_accent_insensitive_search_finds_birth_registration(demo, query):
    codes = [v.procedure.national_code for v in search_versions(query)]

    assert "1.001193" in codes


def test_green_friday_gives_shorter_times(demo):
    programme = ServiceProgramme.objects.get(name="Ngày thứ Sáu xanh")

    assert programme.weekdays == [5]
    assert programme.entries.count() == 2


def test_an_edited_catalogue_is_published_as_new_versions_from_today(demo, monkeypatch):
    read_data = loader.read_data

    def renamed(name):
        data = read_data(name)
        if name == "catalogue.json":
            data["procedures"][0]["name"] = "Đăng ký khai sinh (sửa đổi)"
        return data

    monkeypatch.setattr(loader, "read_data", renamed)
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC), tick=False):
        output = _loaddemo()

    assert "procedures: 25 (1 new_version, 24 unchanged)" in output
    old, new = ProcedureVersion.objects.filter(procedure__national_code="1.001193").order_by("number")
    assert (old.valid_to, new.valid_from) == (dt.date(2026, 3, 1), dt.date(2026, 3, 2))


def test_real_data_is_never_overwritten(db):
    province = AdministrativeUnit.objects.create(code="01", name="Hà Nội (thật)", level=UnitLevel.PROVINCE)

    with pytest.raises(CommandError, match="not demo data"):
        _loaddemo()

    province.refresh_from_db()
    assert province.name == "Hà Nội (thật)"
    assert not Agency.objects.exists()
