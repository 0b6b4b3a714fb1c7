"""`motcua exchange import-catalogue` reads the national procedure records from the portal (`motcua sandbox`
as a real process) into our catalogue through the catalogue's importer: a new version, never an edit, and a
mapping for what it imports."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from motcua.catalog.models import ProcedureVersion
from motcua.exchange.dvcqg.catalogue import importer_record
from motcua.exchange.models import AgencyMapping, ProcedureMapping


@pytest.fixture
def portal(world, dvcqg_settings, settings):
    settings.MOTCUA_DVCQG_MADONVI = world.city.identity_code
    return dvcqg_settings


def _import(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("exchange", "import-catalogue", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_national_procedure_we_have_becomes_a_new_version_and_is_mapped(world, portal):
    out, _err = _import("--code", "1.001193", "--valid-from", "2026-12-01")

    assert (
        "1 asked: 0 created, 1 new version, 0 unchanged, 0 failed, 0 unavailable; 1 mapping(s) added." in out
    )
    old, new = ProcedureVersion.objects.filter(procedure=world.procedure).order_by("number")
    assert (old.pk, old.valid_to) == (world.version.pk, dt.date(2026, 11, 30))
    assert (new.number, new.valid_from, new.name) == (2, dt.date(2026, 12, 1), "Thủ tục đăng ký khai sinh")
    assert (new.competent_agency, new.online_level) == (world.commune_committee, "full")
    [case] = new.cases.all()
    assert [d.name for d in case.documents.order_by("order")] == [
        "Tờ khai đăng ký khai sinh",
        "Giấy chứng sinh",
    ]
    assert ProcedureMapping.objects.get(procedure=world.procedure).national_code == "1.001193"
    # The old version stays as it was, for the dossiers that pinned it; the same record again changes nothing.
    assert [c.code for c in old.cases.order_by("code")] == ["same_day", "standard"]
    out, _err = _import("--code", "1.001193", "--valid-from", "2026-12-02")
    assert "0 new version, 1 unchanged" in out and "0 mapping(s) added" in out


def test_a_procedure_the_portal_does_not_know_is_reported_and_the_others_imported(world, portal):
    errors = StringIO()
    with pytest.raises(CommandError, match=r"2 asked: 0 created, 1 new version.*1 unavailable"):
        call_command(
            "exchange",
            "import-catalogue",
            *("--code", "9.999999", "1.001193", "--valid-from", "2026-12-01"),
            stdout=StringIO(),
            stderr=errors,
        )

    assert "9.999999: not imported: DVCQG error -1" in errors.getvalue()
    assert ProcedureMapping.objects.count() == 1


def _import_all() -> tuple[str, str]:
    out, errors = StringIO(), StringIO()
    try:
        call_command(
            "exchange", "import-catalogue", "--all", "--valid-from", "2026-12-01", stdout=out, stderr=errors
        )
    except CommandError as failed:
        out.write(str(failed))
    return out.getvalue(), errors.getvalue()


def test_an_agency_the_portal_names_by_a_code_we_lack_is_found_through_the_agency_mapping(world, portal):
    out, errors = _import_all()

    # The police's procedure names an agency this deployment does not have: it alone fails, naming the code.
    assert "6 asked: 4 created, 1 new version, 0 unchanged, 1 failed" in out
    assert "1.004222" in errors and "000.00.41.G01" in errors
    assert not ProcedureMapping.objects.filter(national_code="1.004222").exists()

    AgencyMapping.objects.create(agency=world.department, national_code="000.00.41.G01")
    out, errors = _import_all()

    assert "6 asked: 1 created, 0 new version, 5 unchanged, 0 failed" in out and not errors
    assert (
        ProcedureVersion.objects.get(procedure__national_code="1.004222").competent_agency == world.department
    )
    assert ProcedureMapping.objects.filter(national_code="1.004222").exists()


def test_with_synchronisation_off_there_is_nothing_to_import_from(world, settings):
    settings.MOTCUA_DVCQG_URL = ""
    with pytest.raises(CommandError, match="MOTCUA_DVCQG_URL"):
        _import("--all")


def test_the_services_other_shape_is_read_as_the_portals_files(world):
    record = importer_record(
        {
            "MATTHC": "9.000001",
            "COQUANTHUCHIEN": [{"MACOQUAN": "000.99.99.H26", "TENCOQUAN": "Nowhere"}],
            "THANHPHANHOSO": [{"TENGIAYTO": "Tờ khai", "SOBANCHINH": "1"}],
            "TRINHTUTHUCHIEN": [{"TENBUOC": "Nộp hồ sơ"}],
            "CACHTHUCTHUCHIEN": [{"KENH": "Trực tuyến"}],
        }
    )

    assert record["COQUANTHUCHIEN"] == [{"MADONVI": "000.99.99.H26", "TENDONVI": "Nowhere"}]
    assert record["THANHPHANHOSO"] == [
        {"TRUONGHOP": "", "GIAYTO": [{"TENGIAYTO": "Tờ khai", "SOBANCHINH": "1"}]}
    ]
    assert record["TRINHTUTHUCHIEN"] == [{"TRUONGHOP": "", "TRINHTU": [{"TENTRINHTU": "Nộp hồ sơ"}]}]
    assert record["MUCDO"] == "3"


def test_an_agency_named_by_its_kind_is_our_procedures_current_competent_agency(world):
    # "000.00.00.X01", a commune's committee: no agency has the code and none is mapped to it.
    record = importer_record(
        {"MATTHC": "1.001193", "COQUANTHUCHIEN": [{"MACOQUAN": "000.00.00.X01", "TENCOQUAN": "UBND cấp xã"}]}
    )

    assert record["COQUANTHUCHIEN"] == [
        {"MADONVI": world.department.identity_code, "TENDONVI": "UBND cấp xã"}
    ]
