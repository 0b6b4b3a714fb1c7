"""The dashboards' pages and the leader's JSON: who may open them, what they show, and how they refuse."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from motcua.conftest import World
from motcua.org.models import Agency
from motcua.stats.dashboards import public_dashboard
from motcua.stats.tests.test_dashboard_data import NOW, build_history, receive, user

DATA_URL = "/office/stats/dashboard/data.json"
PAGE_URL = "/office/stats/dashboard/"


@pytest.fixture
def history(world: World) -> dict[str, str]:
    return build_history(world)


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(user(username))
    return client


def cells(html: str, table_id: str) -> list[list[str]]:
    """The text of each body row of the table `table_id`, cell by cell."""
    table = re.search(rf'<table[^>]*id="{table_id}".*?<tbody>(.*?)</tbody>', html, re.S)
    assert table, table_id
    rows = re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S)
    return [
        [
            re.sub(r"<[^>]+>|\s+", " ", cell).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in rows
    ]


# --- public -------------------------------------------------------------------------------------------------


def test_the_public_dashboard_needs_no_sign_in_and_shows_this_month_as_the_figures_say(history, world):
    response = Client().get("/dashboard/", headers={"accept-language": "en"})

    assert response.status_code == 200
    html = response.content.decode()
    figures = public_dashboard(Agency.objects.values_list("pk", flat=True), timezone.localdate())
    current = figures.months[-1]
    first_row = cells(html, "table-trend")[0]
    assert first_row[0] == current.month.strftime("%m/%Y") + "*"
    flows = current.flows
    expected = [flows.received_counter, flows.received_online, flows.received_post, flows.received_total]
    assert first_row[1:5] == [str(n) for n in expected]
    assert len(cells(html, "table-trend")) == 13
    # The figures the charts draw travel with the page; Chart.js comes from node_modules.
    assert 'id="dashboard-data"' in html and "vendor/chartjs/chart.umd.min.js" in html
    # No applicant's name nor any dossier's code appears on the public page.
    assert "Nguyễn Thị Mai" not in html
    assert not any(code in html for code in history.values())


def test_a_province_without_dossiers_has_a_dashboard_of_zeros(db):
    response = Client().get("/dashboard/")

    assert response.status_code == 200
    assert all(row[1:5] == ["0", "0", "0", "0"] for row in cells(response.content.decode(), "table-trend"))


def test_an_agency_s_dashboard_counts_its_subtree_and_the_picker_leads_there(history, world):
    code = world.commune_committee.identity_code
    response = Client().get(f"/dashboard/{code}/")
    assert response.status_code == 200
    assert world.commune_committee.name in response.content.decode()

    assert Client().get("/dashboard/", {"unit": code}).url == f"/dashboard/{code}/"
    assert Client().get("/dashboard/", {"unit": ""}).url == "/dashboard/"
    assert Client().get("/dashboard/nowhere/").status_code == 404
    assert Client().get("/dashboard/", {"unit": "no/such unit"}).status_code == 404


def test_the_public_figures_are_kept_a_minute(history, world):
    code = world.commune_committee.identity_code
    url = f"/dashboard/{code}/"
    before = cells(Client().get(url).content.decode(), "table-channels")
    receive(
        world,
        timezone.now(),
        officer="counter_commune",
        receiving_unit=code,
        competent_authority=code,
    )
    assert cells(Client().get(url).content.decode(), "table-channels") == before

    cache.clear()
    after = cells(Client().get(url).content.decode(), "table-channels")
    assert int(after[0][1]) == int(before[0][1]) + 1


# --- the leader's dashboard ---------------------------------------------------------------------------------


def test_the_leader_s_page_is_for_officers_only(history):
    assert Client().get(PAGE_URL).status_code == 302
    assert signed_in("citizen").get(PAGE_URL).status_code == 403
    response = signed_in("leader").get(PAGE_URL, headers={"accept-language": "en"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Updated at" in html and f'data-url="{DATA_URL}?unit="' in html
    assert 'data-poll-seconds="20"' in html


def test_the_poll_interval_is_configurable(history, settings):
    settings.MOTCUA_DASHBOARD_POLL_SECONDS = 1
    assert 'data-poll-seconds="1"' in signed_in("leader").get(PAGE_URL).content.decode()


def test_the_leader_s_json_has_the_dashboard_s_shape_and_links_to_the_inbox(history, world):
    with time_machine.travel(NOW, tick=False):
        response = signed_in("leader").get(DATA_URL)

    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    data = response.json()
    assert set(data) >= {
        "generated_at",
        "updated_at",
        "totals",
        "workload",
        "workload_by_unit",
        "deadlines",
        "slowest",
        "inbox",
        "due_soon_until",
    }
    assert data["updated_at"] == "10:00:00"
    # As test_dashboard_data reckons it: D5 at the Sở's first step and overdue, D6 due soon.
    assert data["totals"] == {"in_progress": 1, "waiting": 0, "due_soon": 1, "overdue": 1}
    [deadline] = data["deadlines"]
    assert deadline["unit"] == world.department.identity_code
    assert deadline["procedure"] == world.procedure.local_code
    assert deadline["overdue_url"] == f"/office/?tab=overdue&procedure={world.procedure.local_code}"
    assert data["inbox"]["due_soon"] == "/office/?tab=due_soon"
    assert [(row["unit"], row["step"]) for row in data["workload"]] == [
        (world.department.identity_code, "Thẩm định")
    ]
    # At the counters, the city's leader sees dossiers that have no workflow step yet.
    with time_machine.travel(NOW, tick=False):
        city = signed_in("city_leader").get(DATA_URL, headers={"accept-language": "en"}).json()
    counter = [row for row in city["workload"] if row["unit"] == world.centre.identity_code]
    assert [(row["step"], row["in_progress"], row["waiting"]) for row in counter] == [
        ("Received, not yet forwarded", 1, 1)
    ]


def test_the_leader_s_json_keeps_to_the_user_s_scope(history, world):
    commune = signed_in("leader_bd")
    own = commune.get(DATA_URL, {"unit": world.commune_committee.identity_code})
    assert own.status_code == 200
    assert {row["unit"] for row in own.json()["deadlines"]} == {world.commune_committee.identity_code}

    outside = commune.get(DATA_URL, {"unit": world.department.identity_code})
    assert outside.status_code == 403
    assert outside["Content-Type"] == "application/problem+json"
    assert "các đơn vị mình công tác" in outside.json()["detail"]  # the default language

    unknown = commune.get(DATA_URL, {"unit": "000.ZZ.99.H26"})
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "unit"

    assert Client().get(DATA_URL).status_code == 401
    assert signed_in("citizen").get(DATA_URL).status_code == 403


def test_the_leader_s_page_refuses_a_unit_outside_the_scope_in_words(history, world):
    response = signed_in("leader_bd").get(PAGE_URL, {"unit": world.department.identity_code})
    assert response.status_code == 403
    assert 'role="alert"' in response.content.decode()


def test_the_navigation_leads_to_the_dashboards(history):
    office = signed_in("leader").get(PAGE_URL).content.decode()
    assert f'href="{PAGE_URL}"' in office
    portal = Client().get("/").content.decode()
    assert 'href="/dashboard/"' in portal
