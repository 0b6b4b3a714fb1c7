"""Auditors and administrators read the access log, on a page (filtered, paginated, exported as CSV that is
safe to open) and through `GET /api/v1/audit/access`; a citizen or an officer without those roles gets 403
(issue 10, "auditors read it": none of it existed before)."""

from __future__ import annotations

import csv
import io

import time_machine
from django.contrib.auth.models import User

from motcua.org.constants import Role
from motcua.org.services import create_staff, issue_api_token
from motcua.privacy.constants import AccessChannel, AccessKind
from motcua.privacy.models import AccessRecord
from motcua.privacy.services import Reader, record
from motcua.privacy.tests.scenes import counter_dossier, signed_in

API = "/api/v1/audit/access"


def reads(world, username: str, codes: list[str], *, unit=None) -> None:
    user = User.objects.get(username=username)
    who = Reader(user.pk, (unit or world.centre).pk, "counter_officer", "192.0.2.1")
    record(who, channel=AccessChannel.PAGE, kind=AccessKind.DOSSIER_PAGE, codes=codes)


def test_the_auditor_filters_by_dossier_user_and_days(world):
    first, second = counter_dossier(world), counter_dossier(world)
    with time_machine.travel("2026-03-02 03:00Z", tick=False):
        reads(world, "counter", [first])
    with time_machine.travel("2026-03-05 03:00Z", tick=False):
        reads(world, "counter", [second])
        reads(world, "counter_commune", [first], unit=world.commune_committee)
    auditor = signed_in("auditor")

    by_dossier = auditor.get("/office/audit/access/", {"dossier": first}).content.decode()
    assert by_dossier.count(f">{first}</a>") == 2 and f">{second}</a>" not in by_dossier

    by_user = auditor.get("/office/audit/access/", {"user": "counter_commune"}).content.decode()
    assert by_user.count(f">{first}</a>") == 1 and f">{second}</a>" not in by_user

    by_days = auditor.get("/office/audit/access/", {"from": "2026-03-01", "to": "2026-03-03"})
    html = by_days.content.decode()
    assert by_days.status_code == 200 and f">{first}</a>" in html and f">{second}</a>" not in html
    assert "Opened the dossier" in html and "192.0.2.1" in html and "Counter officer" in html


def test_a_bad_date_names_its_field(world):
    response = signed_in("auditor").get("/office/audit/access/", {"from": "03/02/2026"})
    assert response.status_code == 422
    assert 'id="audit-from-error"' in response.content.decode()
    api = world.client("auditor").get(API, {"to": "yesterday"})
    assert api.status_code == 422 and api.json()["errors"][0]["field"] == "to"


def test_the_page_is_paginated(world):
    code = counter_dossier(world)
    reads(world, "counter", [code])
    for _ in range(50):
        reads(world, "specialist", [code])
    auditor = signed_in("auditor")
    first = auditor.get("/office/audit/access/").content.decode()
    second = auditor.get("/office/audit/access/", {"page": 2}).content.decode()
    assert 'rel="next"' in first and "counter_officer" not in first
    assert second.count(f">{code}</a>") == 1


def test_an_administrator_reads_it_and_a_specialist_or_a_citizen_does_not(world):
    create_staff("unit_admin", world.department.identity_code, Role.ADMIN, password="pw-12345678")
    assert signed_in("unit_admin").get("/office/audit/access/").status_code == 200
    for username in ("specialist", "counter", "citizen"):
        assert signed_in(username).get("/office/audit/access/").status_code == 403
        assert signed_in(username).get("/office/audit/access.csv").status_code == 403
        assert world.client(username).get(API).status_code == 403
    assert world.client(None).get(API).status_code == 401


def test_the_menu_offers_the_log_to_auditors_only(world):
    assert "/office/audit/access/" in signed_in("auditor").get("/office/").content.decode()
    assert "/office/audit/access/" not in signed_in("specialist").get("/office/").content.decode()


def test_an_auditor_of_a_commune_sees_only_the_reads_of_their_scope(world):
    theirs = counter_dossier(world)
    reads(world, "counter", [theirs])
    create_staff("commune_auditor", world.other_commune.identity_code, Role.AUDITOR, password="pw-12345678")
    other = User.objects.get(username="other_specialist")
    record(
        Reader(other.pk, world.other_commune.pk, "specialist", ""),
        channel=AccessChannel.PAGE,
        kind=AccessKind.DOSSIER_PAGE,
        codes=["000.A1.02.H26-260301-0001"],
    )
    token = issue_api_token(User.objects.get(username="commune_auditor"))
    client = world.client("auditor")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"

    items = client.get(API).json()["items"]

    assert [i["user"] for i in items] == ["other_specialist"]
    assert {i["dossier"] for i in world.client("auditor").get(API).json()["items"]} >= {theirs}


def test_the_api_filters_and_pages(world):
    code, other = counter_dossier(world), counter_dossier(world)
    reads(world, "counter", [code, other])
    reads(world, "specialist", [code])
    client = world.client("auditor")

    body = client.get(API, {"dossier": code, "user": "specialist"}).json()
    assert [(i["user"], i["dossier"], i["kind"]) for i in body["items"]] == [
        ("specialist", code, "dossier_page")
    ]
    assert body["items"][0]["unit"] == world.centre.identity_code
    assert body["items"][0]["client_address"] == "192.0.2.1"
    paged = client.get(API, {"page_size": 2}).json()
    assert len(paged["items"]) == 2 and paged["has_next"] is True
    assert client.get(API, {"page_size": 2, "page": 2}).json()["has_next"] is False
    assert client.get(API, {"from": "2000-01-01", "to": "2000-01-31"}).json()["items"] == []


def test_the_csv_export_is_filtered_and_keeps_formulas_as_text(world):
    code = counter_dossier(world)
    hostile = User.objects.get(username="counter")
    hostile.first_name = '=HYPERLINK("http://evil.example","x")'
    hostile.save()
    reads(world, "counter", [code])
    reads(world, "specialist", [code])

    response = signed_in("auditor").get("/office/audit/access.csv", {"user": "counter"})

    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert len(rows) == 2
    assert rows[1][1] == "counter" and rows[1][6] == code
    assert rows[1][2].startswith("'=HYPERLINK")
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_the_openapi_documents_the_endpoint_and_its_refusal(world):
    schema = world.client("auditor").get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/audit/access"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"dossier", "user", "from", "to", "page"}
    assert "403" in operation["responses"]
    assert AccessRecord.objects.count() == 0
