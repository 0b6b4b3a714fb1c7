"""GET /api/v1/stats/report: Biểu 06 / 06a as JSON, with the numbers of a hand-built March, the user's scope,
and a problem naming the parameter for each bad one."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.org.constants import Role
from motcua.org.services import create_staff, issue_api_token
from motcua.stats.tests.indicators_walk import user
from motcua.stats.tests.report_dataset import (
    BA_DINH,
    CERTIFICATION,
    CIVIL_STATUS,
    DEPARTMENT,
    NGOC_HA,
    TOTAL,
    ZERO,
    build_province,
)

URL = "/api/v1/stats/report"
MARCH = {"from": "2026-03-01", "to": "2026-03-31"}
COUNT_KEYS = set(ZERO)


@pytest.fixture
def province(world):
    return build_province(world)


def get(province, username: str, **query: str):
    if username not in province.world.tokens:
        province.world.tokens[username] = issue_api_token(user(username))
    return province.world.client(username).get(URL, query, headers={"Accept-Language": "en"})


def counts(row: dict) -> dict:
    return {key: row[key] for key in COUNT_KEYS}


def test_rows_by_field_carry_the_field_code_name_and_every_count(province):
    response = get(province, "city_leader", **MARCH)

    assert response.status_code == 200
    body = response.json()
    assert body["form"] == "06/VPCP/KSTT"
    assert body["by"] == "field"
    assert body["unit"] == "000.00.00.H26" and body["unit_name"] == "UBND Thành phố Hà Nội"
    assert body["period"] == {"from": "2026-03-01", "to": "2026-03-31"}
    assert body["generated_at"].endswith("+07:00")
    # By field code, each row exactly the keys of Counts.as_dict() plus its key and name.
    assert [(r["key"], r["name"]) for r in body["rows"]] == [("CT", "Chứng thực"), ("HT", "Hộ tịch")]
    assert all(set(row) == COUNT_KEYS | {"key", "name"} for row in body["rows"])
    assert [counts(r) for r in body["rows"]] == [CERTIFICATION, CIVIL_STATUS]
    assert body["total"] == TOTAL


def test_rows_by_unit_follow_the_organisation_chart(province):
    body = get(province, "city_leader", **MARCH, by="unit").json()

    assert body["form"] == "06a/VPCP/KSTT"
    assert [(r["key"], r["name"]) for r in body["rows"]] == [
        ("000.00.21.H26", "Sở Tư pháp"),
        ("000.A1.01.H26", "UBND Phường Ba Đình"),
        ("000.A1.02.H26", "UBND Phường Ngọc Hà"),
    ]
    assert [counts(r) for r in body["rows"]] == [DEPARTMENT, BA_DINH, NGOC_HA]
    assert body["total"] == TOTAL


def test_a_unit_reports_on_itself_and_the_agencies_below_it_only(province):
    body = get(province, "city_leader", **MARCH, unit="000.00.21.H26", by="unit").json()
    assert [r["key"] for r in body["rows"]] == ["000.00.21.H26"]
    assert body["total"] == DEPARTMENT


def test_a_period_before_any_dossier_is_an_empty_report(province):
    body = get(province, "city_leader", **{"from": "2025-01-01", "to": "2025-12-31"}).json()
    assert body["rows"] == [] and body["total"] == ZERO


def test_a_commune_leader_sees_the_commune_only(province):
    own = get(province, "commune_leader", **MARCH)
    assert own.status_code == 200
    body = own.json()
    assert body["unit"] == "000.A1.01.H26"
    assert [(r["key"], counts(r)) for r in body["rows"]] == [("HT", BA_DINH)]
    assert body["total"] == BA_DINH

    for unit in ("000.00.00.H26", "000.A1.02.H26", "000.00.21.H26"):
        refused = get(province, "commune_leader", **MARCH, unit=unit)
        assert refused.status_code == 403, unit
        assert refused["Content-Type"] == "application/problem+json"
        assert "You hold no role in" in refused.json()["detail"]
        assert [(e["field"], e["code"]) for e in refused.json()["errors"]] == [("unit", "out_of_scope")]
        assert "rows" not in refused.json()


def test_several_branches_of_roles_are_reported_together_without_a_unit(province):
    create_staff("commune_leader", "000.A1.02.H26", Role.UNIT_LEADER)
    body = get(province, "commune_leader", **MARCH, by="unit").json()
    assert body["unit"] is None
    assert body["unit_name"] == "UBND Phường Ba Đình; UBND Phường Ngọc Hà"
    assert [r["key"] for r in body["rows"]] == ["000.A1.01.H26", "000.A1.02.H26"]


@pytest.mark.parametrize(
    ("query", "field", "code"),
    [
        ({"to": "2026-03-31"}, "from", "missing"),
        ({"from": "2026-03-01"}, "to", "missing"),
        ({"from": "1/3/2026", "to": "2026-03-31"}, "from", "date_from_datetime_parsing"),
        ({"from": "2026-03-01", "to": "2026-02-30"}, "to", "date_from_datetime_parsing"),
        ({**MARCH, "by": "procedure"}, "by", "literal_error"),
        ({"from": "2026-03-31", "to": "2026-03-01"}, "to", "before_start"),
        ({"from": "2021-01-01", "to": "2026-01-01"}, "to", "too_long"),
        ({"from": "1899-12-01", "to": "1900-01-31"}, "from", "out_of_range"),
        ({**MARCH, "unit": "000.99.99.H26"}, "unit", "unknown"),
        ({**MARCH, "unit": "x" * 36}, "unit", "string_too_long"),
    ],
)
def test_each_bad_parameter_is_named_in_the_problem(province, query, field, code):
    response = get(province, "city_leader", **query)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [(field, code)]


def test_five_whole_years_are_one_report(province):
    response = get(province, "city_leader", **{"from": "2021-03-01", "to": "2026-02-28"})
    assert response.status_code == 200
    assert response.json()["total"]["carried_over"] == 0


def test_callers_must_be_signed_in(province):
    response = Client().get(URL, MARCH)
    assert response.status_code == 401


def test_a_citizen_has_no_report(province):
    response = get(province, "citizen", **MARCH)
    assert response.status_code == 403


def test_the_report_is_documented_in_the_openapi_schema(province):
    schema = province.world.client("city_leader").get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/stats/report"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"from", "to", "unit", "by"}
    row = schema["components"]["schemas"]["ReportRowOut"]
    assert set(row["properties"]) == COUNT_KEYS | {"key", "name"}
