import datetime as dt

import pytest
import time_machine

from motcua.catalog.models import Fee, ProcedureVersion


@pytest.mark.parametrize(
    "q", ["dang ky khai sinh", "Đăng ký khai sinh", "khai sinh", "KHAI SINH", "1.001193"]
)
def test_search_is_accent_insensitive(world, client, q):
    page = client.get("/api/v1/procedures", {"q": q}).json()
    assert [p["national_code"] for p in page["items"]] == ["1.001193"]


def test_search_filters_and_pages(world, client):
    assert client.get("/api/v1/procedures", {"q": "kết hôn"}).json()["count"] == 0
    assert client.get("/api/v1/procedures", {"field": "HT", "online": "full"}).json()["count"] == 1
    assert client.get("/api/v1/procedures", {"level": "commune"}).json()["count"] == 0
    assert client.get("/api/v1/procedures", {"page": 0}).status_code == 422
    assert client.get("/api/v1/procedures", {"page": "x"}).status_code == 422


def test_detail_carries_the_contract(world, client):
    Fee.objects.create(case=world.case, kind="charge", amount=8000, unit="bản sao")
    detail = client.get(f"/api/v1/procedures/{world.procedure.local_code}").json()
    assert detail["competent_agency"] == "000.00.21.H26"
    assert set(detail["receiving_units"]) == {"000.00.01.H26", "000.A1.01.H26"}
    standard = next(c for c in detail["cases"] if c["code"] == "standard")
    assert standard["processing_time"]["value"] == 3 and standard["processing_time"]["unit"] == "working_days"
    assert [d["mandatory"] for d in standard["documents"]] == [True, False]
    assert all(isinstance(d["id"], int) for d in standard["documents"])
    assert standard["form_schema"]["required"] == ["child_name", "child_birth_date", "child_sex"]
    assert standard["fees"][0]["amount"] == 8000
    assert [s["budget_hours"] for s in standard["workflow"]] == [12, 8, 4]
    # The national code finds it too, when only one local publication carries it.
    assert client.get("/api/v1/procedures/1.001193").json()["code"] == world.procedure.local_code


def test_a_new_version_takes_over_on_its_date(world, client):
    world.version.valid_to = dt.date(2026, 6, 30)
    world.version.save()
    ProcedureVersion.objects.create(
        procedure=world.procedure,
        number=2,
        valid_from=dt.date(2026, 7, 1),
        name="Đăng ký khai sinh (sửa đổi)",
        field=world.version.field,
        level=world.version.level,
        competent_agency=world.department,
    )
    with time_machine.travel("2026-06-30T10:00:00+07:00"):
        assert client.get("/api/v1/procedures/1.001193").json()["version"] == 1
    with time_machine.travel("2026-07-01T10:00:00+07:00"):
        assert client.get("/api/v1/procedures/1.001193").json()["version"] == 2


def test_unknown_procedure_is_404(world, client):
    response = client.get("/api/v1/procedures/9.999999")
    assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"
