"""The back-office pages: an officer's current warnings by section with the count in the menu, and a leader's
overdue dossiers still owing an apology, limited to the units they lead."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.test import Client

from motcua.alerts.tests.scenes import AlertDesk, local, scan


@pytest.fixture
def desk(world) -> AlertDesk:
    return AlertDesk(world)


def page(desk: AlertDesk, username: str, path: str, when: str):
    client = Client()
    client.force_login(desk.user(username))
    with time_machine.travel(local(when), tick=False):
        return client.get(path, headers={"Accept-Language": "en"})


def codes(html: str) -> set[str]:
    return set(re.findall(r'href="/office/dossiers/([^/"]+)/', html))


def test_the_officer_sees_their_warnings_by_section_and_their_number_in_the_menu(desk):
    dossier = desk.at_the_department()
    scan("2026-03-04 10:00")  # the step overdue (since Tuesday 14:30), the appointment date due soon

    overdue = page(desk, "specialist", "/office/alerts/", "2026-03-04 10:05")
    due_soon = page(desk, "specialist", "/office/alerts/?show=due_soon", "2026-03-04 10:05")

    assert overdue.status_code == 200
    html = overdue.content.decode()
    assert codes(html) == {dossier.code}
    assert "Step “Thẩm định”" in html
    assert re.search(r"Overdue <span class=\"count\">\(1\)</span>", html)
    assert re.search(r"Due soon <span class=\"count\">\(1\)</span>", html)
    assert re.search(r'Alerts <span class="badge badge-danger">2<', html), "the menu counts both"
    due_soon_html = due_soon.content.decode()
    assert codes(due_soon_html) == {dossier.code} and "Appointment date" in due_soon_html


def test_escalated_warnings_are_their_own_section(desk):
    dossier = desk.at_the_department()
    scan("2026-03-06 09:00")

    response = page(desk, "leader", "/office/alerts/?show=escalated", "2026-03-06 09:05")

    html = response.content.decode()
    assert codes(html) == {dossier.code}
    assert "Unit leader" in html


def test_warnings_about_a_deadline_no_longer_in_force_are_not_listed(desk):
    dossier = desk.at_the_department()
    scan("2026-03-04 10:00")
    desk.act(
        "specialist",
        dossier,
        "request_supplement",
        "2026-03-04 11:00",
        reason="Thiếu giấy tờ",
        items=[{"description": "Giấy chứng sinh"}],
    )

    response = page(desk, "specialist", "/office/alerts/", "2026-03-04 11:05")

    html = response.content.decode()
    assert codes(html) == set()
    assert 'class="badge badge-danger"' not in html


def test_the_apologies_page_lists_only_the_late_dossiers_of_the_units_the_leader_leads(desk, world):
    here = desk.at_the_department()
    elsewhere = desk.at_the_department()
    desk.act("leader", elsewhere, "transfer", "2026-03-02 11:00", to_unit=world.other_commune.identity_code)
    apologised = desk.at_the_department()
    desk.act(
        "leader",
        apologised,
        "apologise",
        "2026-03-04 15:00",
        reason="Chờ xác minh",
        new_appointment="2026-03-13T09:00:00+07:00",
    )
    not_yet_due = desk.receive_with_email("2026-03-05 09:00")
    desk.act("counter", not_yet_due, "forward", "2026-03-05 09:30")
    scan("2026-03-05 10:00")

    mine = page(desk, "leader", "/office/alerts/apologies/", "2026-03-05 10:00")
    theirs = page(desk, "other_leader", "/office/alerts/apologies/", "2026-03-05 10:00")
    above_both = page(desk, "city_leader", "/office/alerts/apologies/", "2026-03-05 10:00")
    not_a_leader = page(desk, "specialist", "/office/alerts/apologies/", "2026-03-05 10:00")

    assert mine.status_code == 200
    assert codes(mine.content.decode()) == {here.code}
    assert f"/office/dossiers/{here.code}/#action-apologise" in mine.content.decode()
    assert codes(theirs.content.decode()) == {elsewhere.code}
    assert codes(above_both.content.decode()) == {here.code, elsewhere.code}
    assert not_a_leader.status_code == 403
    assert codes(not_a_leader.content.decode()) == set()


def test_the_pages_are_for_staff_only(desk, world):
    anonymous = Client().get("/office/alerts/")
    citizen = Client()
    citizen.force_login(desk.user("citizen"))

    assert anonymous.status_code == 302 and "/office/login/" in anonymous["Location"]
    assert citizen.get("/office/alerts/").status_code == 403
    assert citizen.get("/office/alerts/apologies/").status_code == 403
