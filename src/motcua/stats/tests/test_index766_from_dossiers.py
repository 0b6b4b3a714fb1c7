"""The Decision 766 indicators of dossiers walked through the real services: the receivers fill the rollups,
the index reads them. Office hours 08:00–12:00 and 13:00–17:00; no holiday in October 2026; 3 working days."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client

from motcua.dossiers.lifecycle import national_code
from motcua.dossiers.models import Dossier
from motcua.exchange.models import NationalSync
from motcua.stats.index766 import index766
from motcua.stats.periods import Period
from motcua.stats.recount import rebuild
from motcua.stats.tests.indicators_walk import act, at, rate, receive, submit_online, supplement_round, upload

OCTOBER = Period(dt.date(2026, 10, 1), dt.date(2026, 10, 31))


@pytest.fixture
def five_dossiers(world):
    """A: received Mon 5/10 09:00 (scanned), due Thu 8/10; result with its file Wed 7/10 10:00 (early, 1020
       working minutes: 420 + 480 + 120), returned, rated dissatisfied.
    B: received Mon 5/10 10:00, due Thu 8/10; result Fri 9/10 10:00 (late, 1920 minutes: 360 + 3 × 480 + 120).
    C: received Tue 6/10, asked for a supplement twice, open with the clock running: late by rule.
    D: received Mon 12/10, due Thu 15/10, still open.
    E: submitted online Sun 18/10, received Mon 19/10, due Thu 22/10, waiting for a supplement asked
       Tue 20/10: on time (asked before its due day)."""
    a = receive(world, at("2026-10-05 09:00"), scanned=True)
    act("counter", a, "forward", at("2026-10-05 09:30"))
    act("leader", a, "issue_result", at("2026-10-07 10:00"), result_file=upload("leader"))
    act("counter", a, "return_result", at("2026-10-07 15:00"))
    rate(a, "dissatisfied", at("2026-10-07 16:00"))

    b = receive(world, at("2026-10-05 10:00"))
    act("counter", b, "forward", at("2026-10-05 10:30"))
    act("leader", b, "issue_result", at("2026-10-09 10:00"))

    c = receive(world, at("2026-10-06 09:00"))
    act("counter", c, "forward", at("2026-10-06 09:30"))
    supplement_round(c, at("2026-10-06 10:00"), at("2026-10-07 10:00"))
    supplement_round(c, at("2026-10-08 10:00"), at("2026-10-09 10:00"))

    d = receive(world, at("2026-10-12 09:00"))
    act("counter", d, "forward", at("2026-10-12 09:30"))

    e = submit_online(world, at("2026-10-18 20:00"))
    act("counter", e, "accept", at("2026-10-19 09:00"))
    act(
        "counter",
        e,
        "request_supplement",
        at("2026-10-20 09:00"),
        reason="Thiếu",
        items=[{"description": "Ảnh"}],
    )
    return world


def _by_code(index):
    return {i.code: i for g in index.groups for i in g.indicators}


def _figures(index):
    return {
        code: (i.numerator, i.denominator, i.points)
        for code, i in _by_code(index).items()
        if i.source == "platform"
    }


def test_index_of_dossiers_judged_after_the_month(five_dossiers):
    index = index766([five_dossiers.department.pk], OCTOBER, today=dt.date(2026, 11, 2))
    found = _figures(index)
    # 2.1: A and E on time; B late, C over-supplemented, D open past 31/10 → 2 of 5 → 20 × 0.4 = 8.
    assert found["2.1"] == (2, 5, 8.0)
    # 2.2: (1020 + 1920) ÷ 2 = 1470 minutes = 3.06 working days.
    assert found["2.2"] == (2940, 2, None) and _by_code(index)["2.2"].value == 3.06
    # 3.3: 1 of 5 online → 6 × 0.2 ÷ 0.5 = 2.4.
    assert found["3.3"] == (1, 5, 2.4)
    # 4.1: A's result has its file, B's not → 6 × 1/2 = 3. 4.2: A scanned, E online → 4 × 2/5 = 1.6.
    assert found["4.1"] == (1, 2, 3.0)
    assert found["4.2"] == (2, 5, 1.6)
    # 5.4: late B, C, D; A dissatisfied → (5 − 3 − 1) ÷ 5 = 20 % → 6 × 0.2 ÷ 0.9 = 1.33.
    assert found["5.4"] == (1, 5, 1.33)
    # 1.4: none of them was accepted by the national portal → 0 of 6.
    assert found["1.4"] == (0, 5, 0.0)
    # 8 + 2.4 + 3 + 1.6 + 1.33 = 16.33 of 56 → 29.16: weak.
    assert (index.points, index.max_points, index.scaled, index.band) == (16.33, 56, 29.16, "weak")


def test_index_during_the_month_counts_a_dossier_not_yet_due_as_on_time(five_dossiers):
    # Judged on 14/10, D (due 15/10) is within its deadline: A, D, E → 3 of 5 → 12 points; 5.4 late B, C.
    found = _figures(index766([five_dossiers.department.pk], OCTOBER, today=dt.date(2026, 10, 14)))
    assert found["2.1"] == (3, 5, 12.0)
    assert found["5.4"] == (2, 5, 2.67)


def _accepted_by_the_portal(code: str, when: dt.datetime) -> None:
    """The sync record the portal's sender writes when the portal accepts the dossier's record."""
    dossier = Dossier.objects.get(code=code)
    NationalSync.objects.create(
        dossier=dossier,
        national_code=code,
        first_synced_at=when,
        last_synced_at=when,
        synced_status=str(national_code(dossier.status)),
    )


def test_indicator_1_4_counts_the_received_dossiers_the_portal_accepted(five_dossiers):
    received = Dossier.objects.filter(competent_authority=five_dossiers.department).order_by("received_at")
    a, _b, c, _d, e = received.values_list("code", flat=True)
    for code in (a, c, e):
        _accepted_by_the_portal(code, at("2026-10-20 12:00"))
    # Noise: synced but submitted online and not yet received (status 1); synced and received in November.
    _accepted_by_the_portal(submit_online(five_dossiers, at("2026-10-25 08:00")), at("2026-10-25 08:05"))
    _accepted_by_the_portal(receive(five_dossiers, at("2026-11-02 09:00")), at("2026-11-02 09:05"))
    today = dt.date(2026, 11, 3)
    # A, C, E of the five received in October → 60 % → 6 × 0.6 = 3.6 points (the general form of group 1).
    indicator = _by_code(index766([five_dossiers.department.pk], OCTOBER, today))["1.4"]
    assert (indicator.numerator, indicator.denominator, indicator.rate, indicator.points) == (3, 5, 60.0, 3.6)
    # Per unit: the receiving service centre answers for none of them.
    assert _figures(index766([five_dossiers.centre.pk], OCTOBER, today))["1.4"] == (0, 0, 0.0)
    # November: the one received then, synced → 1 of 1.
    november = Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert _figures(index766([five_dossiers.department.pk], november, today))["1.4"] == (1, 1, 6.0)


def test_how_many_supplements_keep_a_dossier_on_time_is_configured(five_dossiers, settings):
    # Allowed two supplement requests, C (asked twice, within its recounted deadline on 14/10) is on time like
    # A, D and E.
    settings.MOTCUA_766_MAX_SUPPLEMENTS_ON_TIME = 2
    rebuild()
    found = _figures(index766([five_dossiers.department.pk], OCTOBER, today=dt.date(2026, 10, 14)))
    assert found["2.1"] == (4, 5, 16.0)


def test_the_index_counts_the_competent_agency_and_survives_a_rebuild(five_dossiers):
    today = dt.date(2026, 11, 2)
    before = index766([five_dossiers.department.pk], OCTOBER, today)
    # The service centre only received the dossiers: the department answers for them.
    assert _figures(index766([five_dossiers.centre.pk], OCTOBER, today))["2.1"] == (0, 0, 0.0)
    rebuild()
    assert index766([five_dossiers.department.pk], OCTOBER, today) == before


def _get(world, username, path):
    with time_machine.travel(at("2026-11-02 10:00"), tick=False):
        return world.client(username).get(path, headers={"Accept-Language": "en"})


def test_the_api_gives_the_index_of_the_users_unit(five_dossiers):
    response = _get(five_dossiers, "leader", "/api/v1/stats/index766?period=2026-10")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["unit"], body["period"], body["judged_on"]) == (
        five_dossiers.department.identity_code,
        {"from": "2026-10-01", "to": "2026-10-31"},
        "2026-10-31",
    )
    assert (body["total"], body["max"], body["scaled"], body["band"], body["legal_max"]) == (
        16.33,
        56,
        29.16,
        "weak",
        100,
    )
    indicators = {i["code"]: i for g in body["groups"] for i in g["indicators"]}
    assert indicators["2.1"] | {"name": "", "formula": "", "note": ""} == {
        "code": "2.1",
        "name": "",
        "numerator": 2,
        "denominator": 5,
        "rate": 40.0,
        "points": 8.0,
        "max_points": 20.0,
        "value": None,
        "formula": "",
        "source": "platform",
        "note": "",
    }
    assert indicators["1.4"]["source"] == "platform"
    assert (indicators["1.4"]["numerator"], indicators["1.4"]["denominator"]) == (0, 5)
    assert indicators["1.3"]["source"] == "outside"
    assert "national procedure database" in indicators["1.3"]["note"]
    # A leader above the department sees it too.
    city = _get(
        five_dossiers,
        "city_leader",
        f"/api/v1/stats/index766?unit={five_dossiers.department.identity_code}&period=2026-Q4",
    )
    assert city.status_code == 200 and city.json()["period"] == {"from": "2026-10-01", "to": "2026-12-31"}


@pytest.mark.parametrize(
    ("username", "query", "status", "field"),
    [
        ("other_leader", "unit=000.00.21.H26", 403, None),
        ("citizen", "", 403, None),
        (None, "", 401, None),
        ("leader", "unit=nope", 422, "unit"),
        ("leader", "period=2026-13", 422, "period"),
        ("leader", "period=Q3-2026", 422, "period"),
    ],
)
def test_the_index_api_refuses_other_units_and_bad_parameters(five_dossiers, username, query, status, field):
    response = _get(five_dossiers, username, f"/api/v1/stats/index766?{query}")
    assert response.status_code == status, response.content
    if field:
        assert [e["field"] for e in response.json()["errors"]] == [field]
    assert "groups" not in response.json()


def _page(username, path):
    client = Client()
    client.force_login(User.objects.get(username=username))
    with time_machine.travel(at("2026-11-02 10:00"), tick=False):
        return client.get(path, headers={"Accept-Language": "en"})


def test_the_page_shows_score_band_formulas_and_outside_data(five_dossiers):
    response = _page("leader", "/office/stats/index766/?period=2026-10")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<option value="{five_dossiers.department.identity_code}" selected>' in html
    assert "<strong>29.16</strong> / 100" in html and '<span class="badge badge-danger">Weak</span>' in html
    assert "16.33 points of the 56" in html
    # 2.1 with its numerator, denominator, rate and points; 1.3 marked as needing outside data.
    row = re.search(r"<span class=\"code\">2\.1</span>.*?</tr>", html, re.S).group(0)
    assert re.findall(r'<td class="value">([^<]*)</td>', row) == ["2", "5", "40 %", "8 / 20"]
    assert "points = 20 × rate" in row
    outside = re.search(r"<span class=\"code\">1\.3</span>.*?</tr>", html, re.S).group(0)
    assert "Needs outside data" in outside and "national procedure database" in outside
    assert "3.06 working days" in html


def test_the_page_shows_problems_on_their_fields(five_dossiers):
    response = _page("leader", "/office/stats/index766/?period=2026-13")
    assert response.status_code == 422 and "Give the period as a year" in response.content.decode()
    response = _page("other_leader", "/office/stats/index766/?unit=000.00.21.H26&period=2026-10")
    assert response.status_code == 403 and "You hold no role in Sở Tư pháp" in response.content.decode()
    assert "index-score" not in response.content.decode()
