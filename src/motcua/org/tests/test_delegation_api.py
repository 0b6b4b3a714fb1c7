import time_machine

from motcua.conftest import act, post_json

TODAY = "2026-03-02T09:00:00+07:00"


def grant_body(world, **overrides):
    body = {
        "agency": world.department.identity_code,
        "delegate": "specialist",
        "procedure_codes": [world.procedure.national_code],
        "valid_from": "2026-03-01",
        "valid_to": "2026-12-31",
        "decision_number": "12/QĐ-UBND",
    }
    return body | overrides


@time_machine.travel(TODAY, tick=False)
def test_leader_grants_the_delegate_signs_and_revocation_ends_it(world):
    response = post_json(world.client("leader"), "/api/v1/delegations", grant_body(world))
    assert response.status_code == 201, response.content
    delegation = response.json()
    assert (delegation["grantor"], delegation["delegate"]) == ("leader", "specialist")
    assert [d["id"] for d in world.client("specialist").get("/api/v1/delegations").json()] == [
        delegation["id"]
    ]
    assert world.client("other_leader").get("/api/v1/delegations").json() == []

    code = post_json(world.client("counter"), "/api/v1/dossiers", world.intake_body("counter")).json()["code"]
    assert act(world, "counter", code, "forward").status_code == 200
    detail = world.client("specialist").get(f"/api/v1/dossiers/{code}").json()
    assert "issue_result" in detail["allowed_actions"]

    revoked = post_json(
        world.client("leader"), f"/api/v1/delegations/{delegation['id']}/revoke", {"reason": "Nghỉ phép"}
    )
    assert revoked.status_code == 200 and revoked.json()["revoked_at"] is not None
    assert act(world, "specialist", code, "issue_result").status_code == 403


@time_machine.travel(TODAY, tick=False)
def test_only_leaders_grant_and_the_law_caps_the_period(world):
    refused = post_json(
        world.client("specialist"), "/api/v1/delegations", grant_body(world, delegate="clerk")
    )
    assert refused.status_code == 403
    too_long = post_json(
        world.client("leader"), "/api/v1/delegations", grant_body(world, valid_to="2029-03-01")
    )
    assert too_long.status_code == 422 and too_long.json()["errors"][0]["field"] == "valid_to"
    unknown = post_json(world.client("leader"), "/api/v1/delegations", grant_body(world, delegate="nobody"))
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "delegate"
    assert (
        post_json(world.client("other_leader"), "/api/v1/delegations/999/revoke", {"reason": "x"}).status_code
        == 404
    )


@time_machine.travel(TODAY, tick=False)
def test_the_longest_delegation_is_configured(world, settings):
    settings.MOTCUA_MAX_DELEGATION_MONTHS = 6
    too_long = post_json(world.client("leader"), "/api/v1/delegations", grant_body(world))
    assert too_long.status_code == 422 and too_long.json()["errors"][0]["field"] == "valid_to"
    short = post_json(world.client("leader"), "/api/v1/delegations", grant_body(world, valid_to="2026-08-31"))
    assert short.status_code == 201, short.content
