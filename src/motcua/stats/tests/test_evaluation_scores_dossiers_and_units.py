"""The 9-indicator evaluation of dossiers walked through the real services, and of their unit over October.
Office hours 08:00–12:00, 13:00–17:00; 3 working days; steps: appraisal 12 h, approval 8 h, registry 4 h. The
procedure is offered fully online; publicity (6) and feedback (8) take their configured default, 2. The points
come from evaluation.toml: a changed value changes the score, a missing or wrong one is named."""

from __future__ import annotations

import datetime as dt
import tomllib
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import translation

from motcua.dossiers.models import Dossier
from motcua.stats import evaluation
from motcua.stats.evaluation import band_of, dossier_evaluation, unit_evaluation
from motcua.stats.periods import Period
from motcua.stats.tests.indicators_walk import act, at, receive, submit_online, supplement_round, user

OCTOBER = Period(dt.date(2026, 10, 1), dt.date(2026, 10, 31))


@pytest.fixture
def walked(world):
    """A: received Mon 5/10 09:00, due Thu 8/10; each step finished on its due day (appraisal due Tue 14:30
       done 11:00, approval due Wed 11:00 done 10:00, registry due Wed 15:00 closed by the result at 15:00):
       early overall.
    B: received Mon 5/10 10:00; one supplement (asked Mon 11:00, accepted Tue 6/10 10:00: due Fri 9/10, the
       appraisal's clock restarts, due Wed 7/10 15:00); result Mon 12/10 09:00: late, and its appraisal late.
    C: submitted online, received Mon 12/10 09:00, due Thu 15/10, in process."""
    a = receive(world, at("2026-10-05 09:00"))
    act("counter", a, "forward", at("2026-10-05 09:30"))
    act("leader", a, "assign", at("2026-10-05 10:00"), assignee="specialist")
    act("specialist", a, "forward", at("2026-10-06 11:00"))
    act("leader", a, "forward", at("2026-10-07 10:00"))
    act("leader", a, "issue_result", at("2026-10-07 15:00"))

    b = receive(world, at("2026-10-05 10:00"))
    act("counter", b, "forward", at("2026-10-05 10:30"))
    supplement_round(b, at("2026-10-05 11:00"), at("2026-10-06 10:00"))
    act("leader", b, "issue_result", at("2026-10-12 09:00"))

    c = submit_online(world, at("2026-10-11 20:00"))
    act("counter", c, "accept", at("2026-10-12 09:00"))
    act("counter", c, "forward", at("2026-10-12 09:30"))
    world.codes = {"A": a, "B": b, "C": c}
    return world


def _scores(evaluation):
    return [c.score for c in evaluation.criteria]


def test_an_early_dossier_without_contacts_is_excellent(walked):
    evaluation = dossier_evaluation(Dossier.objects.get(code=walked.codes["A"]), at("2026-10-13 12:00"))
    # 1 early 2; 2 every step on its due day 1; 3 no contact 2; 4, 5 one-stop 2; 6 default 2; 7 early 2;
    # 8 default 2; 9 offered online but received at the counter 1 → 16 > 15: excellent.
    assert _scores(evaluation) == [2, 1, 2, 2, 2, 2, 2, 2, 1]
    assert (evaluation.total, evaluation.band, evaluation.final) == (16, "excellent", True)
    assert [c.source for c in evaluation.criteria if c.source == "default"] == ["default", "default"]


def test_a_late_dossier_with_a_supplement_is_fair(walked):
    evaluation = dossier_evaluation(Dossier.objects.get(code=walked.codes["B"]), at("2026-10-13 12:00"))
    # 1 late 0; 2 its appraisal late 0; 3 one contact 1; 4, 5, 6 → 2 each; 7 late, no complaint 1; 8 2;
    # 9 counter 1 → 11: fair (9–12).
    assert _scores(evaluation) == [0, 0, 1, 2, 2, 2, 1, 2, 1]
    assert (evaluation.total, evaluation.band) == (11, "fair")


def test_a_dossier_in_process_is_not_classified_yet(walked):
    evaluation = dossier_evaluation(Dossier.objects.get(code=walked.codes["C"]), at("2026-10-13 12:00"))
    scores = _scores(evaluation)
    # Not ended: no punctuality, no finished step, no attitude; online and not late: 9 scores 2.
    assert (scores[0], scores[1], scores[6], scores[8]) == (None, None, None, 2)
    assert (evaluation.total, evaluation.band, evaluation.final) == (None, None, False)


def test_the_unit_over_october(walked):
    evaluation = unit_evaluation([walked.department.pk], OCTOBER, walked.department.identity_code)
    found = {c.number: c for c in evaluation.criteria}
    # 1: A early, B late → (2 + 0) ÷ 2 = 1.
    assert (found[1].distribution, found[1].score) == ({2: 1, 1: 0, 0: 1}, 1.0)
    # 2: steps finished in October: A's three on their due day, B's appraisal late; C's is open → 3 ÷ 4.
    assert (found[2].distribution, found[2].score) == ({2: 0, 1: 3, 0: 1}, 0.75)
    # 3: the dossiers of those steps: A no contact, B one → (2 + 1) ÷ 2 = 1.5.
    assert (found[3].distribution, found[3].score) == ({2: 1, 1: 1, 0: 0}, 1.5)
    assert found[4].score == found[5].score == 2.0 and found[4].distribution == {2: 2, 1: 0, 0: 0}
    # 7: A early 2, B late without complaint 1 → 1.5.
    assert (found[7].distribution, found[7].score) == ({2: 1, 1: 1, 0: 0}, 1.5)
    # 9: the one procedure is offered online (100 % ≥ 20 %), 1 of 3 dossiers online (33 % ≥ 30 %), none
    # late online → 2.
    assert found[9].score == 2
    # 1 + 0.75 + 1.5 + 2 + 2 + 2 + 1.5 + 2 + 2 = 14.75: good (12–15).
    assert (evaluation.total, evaluation.band, evaluation.dossiers) == (14.75, "good", 2)


def test_a_unit_without_dossiers_cannot_be_classified(walked):
    evaluation = unit_evaluation([walked.other_commune.pk], OCTOBER)
    assert evaluation.criteria[0].score is None
    assert (evaluation.total, evaluation.band, evaluation.final) == (None, None, False)


def test_bands_of_the_total():
    assert [band_of(t) for t in (18, 15.01, 15, 12, 11.99, 9, 8.99, 6, 5.99, 0)] == [
        "excellent",
        "excellent",
        "good",
        "good",
        "fair",
        "fair",
        "average",
        "average",
        "weak",
        "weak",
    ]


def _get(world, username, path):
    with time_machine.travel(at("2026-10-13 12:00"), tick=False):
        return world.client(username).get(path)


def test_the_api_evaluates_a_dossier_the_user_may_see(walked):
    response = _get(walked, "leader", f"/api/v1/stats/evaluation/{walked.codes['A']}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["subject"], body["total"], body["band"], body["final"], body["max"]) == (
        walked.codes["A"],
        16,
        "excellent",
        True,
        18,
    )
    assert [c["score"] for c in body["criteria"]] == [2, 1, 2, 2, 2, 2, 2, 2, 1]
    # Another commune's officer does not learn that the dossier exists.
    assert _get(walked, "other_leader", f"/api/v1/stats/evaluation/{walked.codes['A']}").status_code == 404


def test_the_api_evaluates_a_unit_over_a_period(walked):
    response = _get(walked, "leader", "/api/v1/stats/evaluation?from=2026-10-01&to=2026-10-31")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["subject"], body["period"], body["total"], body["band"], body["dossiers"]) == (
        walked.department.identity_code,
        {"from": "2026-10-01", "to": "2026-10-31"},
        14.75,
        "good",
        2,
    )
    assert body["criteria"][0]["distribution"] == {"2": 1, "1": 0, "0": 1}


@pytest.mark.parametrize(
    ("username", "query", "status", "field"),
    [
        ("other_leader", "unit=000.00.21.H26", 403, None),
        ("leader", "from=2026-10-32", 422, "from"),
        ("leader", "from=2026-10-10&to=2026-10-01", 422, "to"),
        ("citizen", "", 403, None),
    ],
)
def test_the_evaluation_api_refuses_other_units_and_bad_days(walked, username, query, status, field):
    response = _get(walked, username, f"/api/v1/stats/evaluation?{query}")
    assert response.status_code == status, response.content
    if field:
        assert [e["field"] for e in response.json()["errors"]] == [field]


def _page(username, path):
    client = Client()
    client.force_login(user(username))
    with time_machine.travel(at("2026-10-13 12:00"), tick=False):
        return client.get(path, headers={"Accept-Language": "en"})


def test_the_page_evaluates_the_unit_and_a_dossier(walked):
    response = _page(
        "leader", f"/office/stats/evaluation/?from=2026-10-01&to=2026-10-31&dossier={walked.codes['B']}"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f"Dossier {walked.codes['B']}" in html and "Sở Tư pháp, from 01/10/2026 to 31/10/2026" in html
    assert "14.75 / 18" in html and '<span class="badge badge-ok">Good</span>' in html
    assert "11 / 18" in html and '<span class="badge badge-warn">Fair</span>' in html
    assert html.count("Configured score") == 4  # indicators 6 and 8, in both tables


def test_the_page_does_not_reveal_a_dossier_outside_the_scope(walked):
    response = _page("other_leader", f"/office/stats/evaluation/?dossier={walked.codes['A']}")
    assert response.status_code == 404
    assert f"No dossier {walked.codes['A']} is visible to you." in response.content.decode()


# --- the points come from evaluation.toml ------------------------------------------------------------------


def _shipped() -> dict[str, Any]:
    with evaluation.CONFIG_FILE.open("rb") as source:
        return tomllib.load(source)


def test_the_points_of_a_class_follow_the_file(walked, monkeypatch):
    late = Dossier.objects.get(code=walked.codes["B"])
    before = dossier_evaluation(late, at("2026-10-13 12:00"))
    data = _shipped()
    data["punctuality"]["late"] = 1
    data["attitude"]["late"] = 0
    changed = evaluation.parse_config(data)
    monkeypatch.setattr(evaluation, "config", lambda: changed)
    with translation.override("en"):
        after = dossier_evaluation(late, at("2026-10-13 12:00"))
    # 1 and 2 (its late appraisal) now score 1 instead of 0; 7 scores 0 instead of 1: the total gains 1.
    assert [before.criteria[i].score for i in (0, 1, 6)] == [0, 0, 1]
    assert [after.criteria[i].score for i in (0, 1, 6)] == [1, 1, 0]
    assert after.total == before.total + 1
    # The basis states the points in force.
    assert after.criteria[0].basis.endswith("early 2, on time 1, late 1.")
    unit = unit_evaluation([walked.department.pk], OCTOBER)
    # The unit: A early, B late; a late dossier is now worth 1 on indicator 1 and 0 on indicator 7.
    assert unit.criteria[0].distribution == {2: 1, 1: 1, 0: 0}
    assert unit.criteria[6].distribution == {2: 1, 1: 0, 0: 1}


@pytest.mark.parametrize(
    ("table", "key", "value", "named"),
    [
        ("punctuality", "late", None, "punctuality.late"),
        ("attitude", "on_time", 3, "attitude.on_time"),
        ("attitude", "early", "2", "attitude.early"),
        ("punctuality", "very_late", 0, "very_late"),
    ],
)
def test_a_missing_or_wrong_value_is_named(table, key, value, named):
    data = _shipped()
    if value is None:
        del data[table][key]
    else:
        data[table][key] = value
    with pytest.raises(ValueError, match=named):
        evaluation.parse_config(data)


def test_a_missing_table_is_named():
    data = _shipped()
    del data["attitude"]
    with pytest.raises(ValueError, match=r"\[attitude\] is missing"):
        evaluation.parse_config(data)
