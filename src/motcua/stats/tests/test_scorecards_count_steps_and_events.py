"""Monthly scorecards of dossiers walked through the real services. Office hours 08:00–12:00, 13:00–17:00; the
workflow: appraisal (specialist, 12 working hours), approval (leader, 8), registry (clerk, 4)."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
import time_machine
from django.test import Client
from openpyxl import load_workbook

from motcua.stats.models import OfficerMonthTally
from motcua.stats.recount import rebuild
from motcua.stats.scorecards import Scorecard, month_scorecards
from motcua.stats.tests.indicators_walk import act, at, rate, receive, supplement_round, user

NOW = at("2026-11-04 12:00")
OCTOBER, NOVEMBER = dt.date(2026, 10, 1), dt.date(2026, 11, 1)


@pytest.fixture
def walked(world):
    """A: appraisal assigned to the specialist, Mon 5/10 09:30 → due Tue 14:30, finished Tue 11:00 (on time);
       approval Tue 11:00 → due Wed 11:00, the leader finishes Wed 10:00 (on time); registry Wed 10:00 → due
       Wed 15:00, closed by the leader issuing the result Thu 09:00 (late). Rated very satisfied on 2/11.
    B: appraisal assigned to the specialist, who asks for a supplement Mon 26/10; accepted Tue 27/10 10:00,
       the step's clock restarts → due Wed 28/10 15:00; the leader apologises Thu 29/10; the specialist
       finishes it Tue 3/11 09:00 (late, and open past due at the end of October). Approval opens then, due
       Wed 4/11 09:00, unassigned: past its due moment at noon on 4/11, overdue only from 5/11 (ADR 0009).
    C: appraisal from Mon 26/10 09:45, due Tue 27/10 14:45, never assigned nor finished."""
    a = receive(world, at("2026-10-05 09:00"))
    act("counter", a, "forward", at("2026-10-05 09:30"))
    act("leader", a, "assign", at("2026-10-05 10:00"), assignee="specialist")
    act("specialist", a, "forward", at("2026-10-06 11:00"))
    act("leader", a, "forward", at("2026-10-07 10:00"))
    act("leader", a, "issue_result", at("2026-10-08 09:00"))
    act("counter", a, "return_result", at("2026-10-08 10:00"))
    rate(a, "very_satisfied", at("2026-11-02 09:00"))

    b = receive(world, at("2026-10-26 09:00"))
    act("counter", b, "forward", at("2026-10-26 09:30"))
    act("leader", b, "assign", at("2026-10-26 09:40"), assignee="specialist")
    supplement_round(b, at("2026-10-26 10:00"), at("2026-10-27 10:00"))
    act(
        "leader",
        b,
        "apologise",
        at("2026-10-29 10:00"),
        reason="Chờ xác minh",
        new_appointment="2026-11-06T10:00:00+07:00",
    )
    act("specialist", b, "forward", at("2026-11-03 09:00"))

    c = receive(world, at("2026-10-26 09:30"))
    act("counter", c, "forward", at("2026-10-26 09:45"))
    return world


def _officers(cards):
    return {line.username: line.card for line in cards.officers}


def test_october_scorecards_of_officers_and_their_unit(walked):
    cards = month_scorecards([walked.department.pk, walked.centre.pk], OCTOBER, NOW)
    officers = _officers(cards)
    assert set(officers) == {"specialist", "leader"}
    # The specialist finished A's appraisal on time, held B's past due at the end of October, asked once.
    assert officers["specialist"] == Scorecard(
        steps_finished=1, steps_on_time=1, open_overdue=1, supplement_requests=1
    )
    assert officers["specialist"].on_time_rate == 100.0 and officers["specialist"].overdue == 1
    # The leader finished A's approval on time and its registry step late (by issuing), and apologised.
    assert officers["leader"] == Scorecard(steps_finished=2, steps_on_time=1, steps_late=1, apologies=1)
    assert officers["leader"].on_time_rate == 50.0
    # The department adds C's unassigned appraisal, open past due at the end of October.
    (unit,) = cards.units
    assert unit.code == walked.department.identity_code
    assert unit.card == Scorecard(
        steps_finished=3, steps_on_time=2, steps_late=1, open_overdue=2, apologies=1, supplement_requests=1
    )
    assert unit.card.overdue == 3 and cards.total == unit.card
    assert cards.judged_at == at("2026-11-01 00:00")


def test_november_so_far_counts_steps_overdue_now_and_the_ratings_of_results_issued(walked):
    cards = month_scorecards([walked.department.pk], NOVEMBER, NOW)
    officers = _officers(cards)
    assert officers["specialist"] == Scorecard(steps_finished=1, steps_late=1)
    # A, whose result the leader issued, was rated in November.
    assert officers["leader"] == Scorecard(rated_very_satisfied=1)
    assert officers["leader"].satisfaction_rate == 100.0
    # Open now past its due day, nobody assigned: C's appraisal. B's approval is due today (4/11 09:00): past
    # the hour, yet within its deadline until the day is over.
    assert cards.units[0].card == Scorecard(
        steps_finished=1, steps_late=1, open_overdue=1, rated_very_satisfied=1
    )
    assert cards.judged_at == NOW
    next_morning = month_scorecards([walked.department.pk], NOVEMBER, at("2026-11-05 08:00"))
    assert next_morning.units[0].card.open_overdue == 2


def test_scorecards_stay_within_the_units_asked_for(walked):
    cards = month_scorecards([walked.centre.pk], OCTOBER, NOW)
    assert (cards.officers, cards.units, cards.total) == ([], [], Scorecard())


def test_rebuild_recounts_the_same_tallies(walked):
    columns = [f.attname for f in OfficerMonthTally._meta.concrete_fields if f.attname != "id"]

    def rows():
        return sorted(OfficerMonthTally.objects.values_list(*columns))

    kept = rows()
    assert kept
    OfficerMonthTally.objects.all().delete()
    rebuild()
    assert rows() == kept


def _get(world, username, path):
    with time_machine.travel(NOW, tick=False):
        return world.client(username).get(path)


def test_the_api_gives_officers_and_units_scorecards(walked):
    response = _get(walked, "leader", "/api/v1/stats/scorecards?month=2026-10")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["unit"], body["month"], body["judged_at"]) == (
        walked.department.identity_code,
        "2026-10",
        "2026-11-01T00:00:00+07:00",
    )
    specialist = next(line for line in body["officers"] if line["officer"] == "specialist")
    assert (specialist["unit"], specialist["steps_finished"], specialist["overdue"]) == (
        walked.department.identity_code,
        1,
        1,
    )
    assert [(u["unit"], u["overdue"], u["on_time_rate"]) for u in body["units"]] == [
        (walked.department.identity_code, 3, 66.7)
    ]
    assert body["total"]["apologies"] == 1


@pytest.mark.parametrize(
    ("username", "query", "status", "field"),
    [
        ("other_leader", "unit=000.00.21.H26", 403, None),
        ("leader", "month=2026-12", 422, "month"),
        ("leader", "month=10-2026", 422, "month"),
        ("leader", "unit=x", 422, "unit"),
    ],
)
def test_the_scorecards_api_refuses_other_units_and_bad_months(walked, username, query, status, field):
    response = _get(walked, username, f"/api/v1/stats/scorecards?{query}")
    assert response.status_code == status, response.content
    if field:
        assert [e["field"] for e in response.json()["errors"]] == [field]


def _page(username, path):
    client = Client()
    client.force_login(user(username))
    with time_machine.travel(NOW, tick=False):
        return client.get(path, headers={"Accept-Language": "en"})


def test_the_page_lists_officers_and_units_and_downloads_a_workbook(walked):
    response = _page("leader", "/office/stats/scorecards/?month=2026-10")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Officers, 10/2026" in html
    unit_row = re.search(r'<th scope="row">Sở Tư pháp <span.*?</tr>', html, re.S).group(0)
    # finished 3, on time 2, late 1, 66.7 %, open past due 2, overdue 3, 1 apology, 1 supplement, no rating
    assert re.findall(r'<td class="value">([^<]*)</td>', unit_row) == [
        "3", "2", "1", "66.7", "2", "3", "1", "1", "0", "—"
    ]  # fmt: skip
    download = _page("leader", "/office/stats/scorecards.xlsx?month=2026-10&unit=000.00.21.H26")
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="bang-diem-000.00.21.H26-2026-10.xlsx"'
    workbook = load_workbook(io.BytesIO(download.content))
    officers, units = workbook.worksheets
    rows = list(units.iter_rows(min_row=3, values_only=True))
    assert rows[0][:3] == ("Sở Tư pháp", "000.00.21.H26", 3) and rows[-1][0] == "Total"
    assert sorted(row[1] for row in officers.iter_rows(min_row=3, values_only=True)) == [
        "leader",
        "specialist",
    ]


def test_the_workbook_of_a_unit_outside_the_scope_is_refused(walked):
    response = _page("other_leader", "/office/stats/scorecards.xlsx?month=2026-10&unit=000.00.21.H26")
    assert response.status_code == 403 and response["Content-Type"].startswith("text/html")


def test_an_officer_named_like_a_formula_is_text_in_the_workbook(walked):
    """Finding 4: today an officer named `=HYPERLINK(...)` becomes a live formula in the scorecards."""
    from django.contrib.auth.models import User

    User.objects.filter(username="specialist").update(
        first_name='=HYPERLINK("http://evil.example/x",', last_name='"x")'
    )
    download = _page("leader", "/office/stats/scorecards.xlsx?month=2026-10&unit=000.00.21.H26")

    officers = load_workbook(io.BytesIO(download.content)).worksheets[0]
    names = {row[1].value: row[0] for row in officers.iter_rows(min_row=3)}
    assert names["specialist"].value.startswith("=HYPERLINK(")
    assert names["specialist"].data_type == "s" and names["specialist"].quotePrefix
    assert all(c.data_type != "f" for row in officers.iter_rows() for c in row)
