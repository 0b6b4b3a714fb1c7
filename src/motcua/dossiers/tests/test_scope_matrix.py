"""Who may see and act on a dossier: its receiving unit, the unit that decides it, the agencies above them,
and the citizen who submitted it online. Everyone else gets a 404, as if the dossier did not exist."""

from __future__ import annotations

import pytest
import time_machine

from motcua.conftest import CITIZEN_ID, act, post_json
from motcua.dossiers.models import Dossier, DossierEvent

MONDAY_9 = "2026-03-02T09:00:00+07:00"
CENTRE = "000.00.01.H26"

# A dossier received at the centre (counter) whose competent authority is the department.
IN_SCOPE = ["counter", "specialist", "leader", "clerk", "city_leader", "auditor"]
OUT_OF_SCOPE = ["counter_commune", "other_specialist", "other_leader", "citizen", "stranger"]
ALL_USERS = IN_SCOPE + OUT_OF_SCOPE


@pytest.fixture(autouse=True)
def _monday_morning():
    with time_machine.travel(MONDAY_9, tick=False):
        yield


def _intake(world, username: str, **overrides) -> str:
    response = post_json(world.client(username), "/api/v1/dossiers", world.intake_body(username, **overrides))
    assert response.status_code == 201, response.content
    return response.json()["code"]


def _counter_dossier(world, forwarded: bool) -> str:
    code = _intake(world, "counter")
    if forwarded:
        assert act(world, "counter", code, "forward").status_code == 200
    return code


@pytest.fixture
def decided(world) -> str:
    """Received at the centre, then forwarded to the department's first workflow step."""
    return _counter_dossier(world, forwarded=True)


@pytest.fixture
def online(world) -> str:
    """Submitted online by the citizen, to be received at the centre."""
    return _intake(world, "citizen", channel="online", result_delivery="online", receiving_unit=CENTRE)


def _snapshot(code: str) -> tuple[int, int]:
    dossier = Dossier.objects.get(code=code)
    return dossier.version, DossierEvent.objects.filter(dossier=dossier).count()


def _post_action(world, username: str | None, code: str, action: str, body: dict):
    return post_json(world.client(username), f"/api/v1/dossiers/{code}/actions/{action}", body)


def _listed_codes(world, username: str) -> set[str]:
    response = world.client(username).get("/api/v1/dossiers", {"page_size": 100})
    assert response.status_code == 200, response.content
    return {item["code"] for item in response.json()["items"]}


def _allowed(world, username: str, code: str) -> list[str]:
    return world.client(username).get(f"/api/v1/dossiers/{code}").json()["allowed_actions"]


def _ids(cases) -> list[str]:
    return ["-".join(str(part) for part in case if isinstance(part, str)) for case in cases]


def _anonymised(response, code: str) -> tuple[int, str, str]:
    """Status, content type and body of a response, with the dossier code the caller asked for blanked out."""
    return response.status_code, response["Content-Type"], response.content.decode().replace(code, "CODE")


def _assert_not_found(response) -> None:
    assert response.status_code == 404, response.content
    assert response["Content-Type"].startswith("application/problem+json")


@pytest.mark.parametrize("forwarded", [False, True], ids=["at_centre", "at_department"])
@pytest.mark.parametrize("username", ALL_USERS)
def test_dossier_and_history_are_visible_only_in_scope(world, username, forwarded):
    code = _counter_dossier(world, forwarded)
    client = world.client(username)
    detail = client.get(f"/api/v1/dossiers/{code}")
    events = client.get(f"/api/v1/dossiers/{code}/events")
    if username in IN_SCOPE:
        assert detail.status_code == 200, detail.content
        assert detail.json()["code"] == code
        assert events.status_code == 200, events.content
        assert events.json()[0]["action"] == "receive"
    else:
        _assert_not_found(detail)
        _assert_not_found(events)
        # Exactly the answer given for a code that does not exist: nothing tells that this one does.
        missing = code[:-4] + "9999"
        for path, response in [("{}", detail), ("{}/events", events)]:
            unknown = client.get("/api/v1/dossiers/" + path.format(missing))
            assert _anonymised(response, code) == _anonymised(unknown, missing)


@pytest.mark.parametrize("username", ALL_USERS)
def test_list_holds_the_dossier_only_in_scope(world, decided, username):
    assert (decided in _listed_codes(world, username)) == (username in IN_SCOPE)


@pytest.mark.parametrize("path", ["", "/{code}", "/{code}/events"])
def test_anonymous_reads_need_authentication(world, decided, path):
    response = world.client(None).get("/api/v1/dossiers" + path.format(code=decided))
    assert response.status_code == 401, response.content
    assert response["Content-Type"].startswith("application/problem+json")


def test_anonymous_action_needs_authentication_and_changes_nothing(world, decided):
    before = _snapshot(decided)
    response = _post_action(world, None, decided, "forward", {"version": before[0]})
    assert response.status_code == 401, response.content
    assert _snapshot(decided) == before


# Actions with every field they need, so that only the caller's scope can be the reason for refusing them.
ACTIONS = [
    ("forward", {}),
    ("assign", {"assignee": "specialist"}),
    ("stop", {"reason": "Không đủ điều kiện"}),
    ("withdraw", {}),
    ("accept", {}),  # not possible in the dossier's status: still a 404, never a 409, for an outsider
    ("request_supplement", {"reason": "Thiếu giấy tờ", "items": [{"description": "Bản sao CCCD"}]}),
]


@pytest.mark.parametrize("stale", [False, True], ids=["current_version", "stale_version"])
@pytest.mark.parametrize(("action", "fields"), ACTIONS, ids=_ids(ACTIONS))
@pytest.mark.parametrize("username", OUT_OF_SCOPE)
def test_outsider_action_is_404_and_changes_nothing(world, decided, username, action, fields, stale):
    before = _snapshot(decided)
    body = {"version": before[0] + (5 if stale else 0), **fields}
    response = _post_action(world, username, decided, action, body)
    _assert_not_found(response)
    assert _snapshot(decided) == before


# In scope, but their role does not allow the action in the dossier's present status (in process, step 1).
WRONG_ROLE = [
    ("specialist", "assign", {"assignee": "specialist2"}),
    ("specialist", "issue_result", {"result_number": "1/KS"}),
    ("clerk", "stop", {"reason": "Không đủ điều kiện"}),
    ("clerk", "forward", {}),
    ("auditor", "assign", {"assignee": "specialist"}),
    ("auditor", "forward", {}),
    ("counter", "stop", {"reason": "Không đủ điều kiện"}),
    ("counter", "assign", {"assignee": "specialist"}),
]


@pytest.mark.parametrize(("username", "action", "fields"), WRONG_ROLE, ids=_ids(WRONG_ROLE))
def test_in_scope_user_without_the_role_gets_403(world, decided, username, action, fields):
    assert action not in _allowed(world, username, decided)
    before = _snapshot(decided)
    response = _post_action(world, username, decided, action, {"version": before[0], **fields})
    assert response.status_code == 403, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    assert _snapshot(decided) == before


def test_leader_of_the_parent_agency_sees_and_acts_on_units_below(world, decided):
    assert "assign" in _allowed(world, "city_leader", decided)
    response = act(world, "city_leader", decided, "assign", assignee="specialist2")
    assert response.status_code == 200, response.content
    assert response.json()["assignee"] == "specialist2"
    # The parent's leader does not reach sideways: the other commune's leader still cannot see it.
    _assert_not_found(world.client("other_leader").get(f"/api/v1/dossiers/{decided}"))


@pytest.mark.parametrize(
    ("username", "visible"),
    [
        ("citizen", True),
        ("counter", True),  # the centre it was submitted to
        ("city_leader", True),
        ("stranger", False),
        ("counter_commune", False),
        ("other_specialist", False),
    ],
)
def test_online_dossier_is_visible_to_its_submitter_and_its_centre(world, online, username, visible):
    client = world.client(username)
    detail = client.get(f"/api/v1/dossiers/{online}")
    if visible:
        assert detail.status_code == 200, detail.content
        assert detail.json()["status"] == "submitted"
        assert client.get(f"/api/v1/dossiers/{online}/events").json()[0]["action"] == "submit"
    else:
        _assert_not_found(detail)
        _assert_not_found(client.get(f"/api/v1/dossiers/{online}/events"))
    assert (online in _listed_codes(world, username)) == visible


def test_citizen_sees_only_what_they_submitted_online(world, online, decided):
    # The counter dossier carries the citizen's own ID number, but it was not submitted from their account.
    both = Dossier.objects.filter(code__in=[decided, online])
    assert {d.applicant_id_number for d in both} == {CITIZEN_ID}
    assert _listed_codes(world, "citizen") == {online}
    assert _listed_codes(world, "stranger") == set()


def test_stranger_cannot_act_on_a_citizens_dossier(world, online):
    before = _snapshot(online)
    for action in ("withdraw", "refuse", "accept"):
        _assert_not_found(_post_action(world, "stranger", online, action, {"version": 1, "reason": "x"}))
    assert _snapshot(online) == before


def test_citizen_cannot_take_an_officers_action_on_their_own_dossier(world, online):
    assert "accept" not in _allowed(world, "citizen", online)
    before = _snapshot(online)
    response = _post_action(world, "citizen", online, "accept", {"version": before[0]})
    assert response.status_code == 403, response.content
    assert _snapshot(online) == before
