"""Every lifecycle action from its allowed statuses, and every action refused from every other status."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from motcua.catalog.constants import SupplementPolicy
from motcua.conftest import act, post_json
from motcua.dossiers.lifecycle import ACTIONS, NATIONAL_STATUS_CODE, Status
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.org.services import grant_delegation

MONDAY_9 = "2026-03-02T09:00:00+07:00"


def receive(world, **overrides) -> str:
    response = post_json(
        world.client("counter"), "/api/v1/dossiers", world.intake_body("counter", **overrides)
    )
    assert response.status_code == 201, response.content
    return response.json()["code"]


def submit_online(world) -> str:
    body = world.intake_body("citizen", channel="online", result_delivery="online")
    response = post_json(world.client("citizen"), "/api/v1/dossiers", body)
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "submitted" and response.json()["due_at"] is None
    assert response.json()["national_channel"] == 2
    return response.json()["code"]


def ok(response) -> dict:
    assert response.status_code == 200, response.content
    return response.json()


def last_event(code: str) -> DossierEvent:
    return DossierEvent.objects.filter(dossier__code=code).order_by("-id").first()


def at_first_step(world) -> str:
    code = receive(world)
    ok(act(world, "counter", code, "forward"))
    return code


@pytest.mark.parametrize("action", ACTIONS)
def test_action_is_refused_from_every_other_status(world, action):
    code = receive(world)
    for status in set(Status.values) - ACTIONS[action].sources:
        assert_refused(world, code, action, status)


def assert_refused(world, code: str, action: str, status: str) -> None:
    Dossier.objects.filter(code=code).update(status=status)
    before = DossierEvent.objects.count()
    response = act(
        world,
        "leader",
        code,
        action,
        reason="r",
        items=[{"description": "x"}],
        assignee="specialist",
        to_unit=world.other_commune.identity_code,
        amount=1000,
        note="n",
        new_appointment="2030-01-01T09:00:00+07:00",
    )
    assert response.status_code == 409, (status, response.content)
    assert response["Content-Type"] == "application/problem+json"
    assert Dossier.objects.get(code=code).version == 1
    assert DossierEvent.objects.count() == before


def test_every_status_has_its_national_code():
    assert sorted(NATIONAL_STATUS_CODE.values()) == list(range(1, 11))
    assert set(NATIONAL_STATUS_CODE) == set(Status.values)


@time_machine.travel("2026-03-02T18:30:00+07:00", tick=False)
def test_online_submission_is_accepted_and_clock_starts_at_next_opening(world):
    code = submit_online(world)
    dossier = ok(act(world, "counter", code, "accept"))
    assert dossier["status"] == "received" and dossier["national_status"] == 2
    assert dossier["counting_from"] == "2026-03-03T08:00:00+07:00"
    assert dossier["due_at"] == "2026-03-05T17:00:00+07:00"
    assert last_event(code).action == "accept"


@time_machine.travel(MONDAY_9, tick=False)
def test_request_fix_keeps_the_dossier_submitted_and_flags_it(world):
    code = submit_online(world)
    dossier = ok(
        act(world, "counter", code, "request_fix", reason="Ảnh mờ", items=[{"description": "Chụp lại"}])
    )
    assert dossier["status"] == "submitted" and dossier["needs_fix"] is True
    assert last_event(code).data["items"] == [{"description": "Chụp lại", "requirement": ""}]


@time_machine.travel(MONDAY_9, tick=False)
def test_refuse_at_receipt_records_the_reason(world):
    code = submit_online(world)
    dossier = ok(act(world, "counter", code, "refuse", reason="Không thuộc thẩm quyền"))
    assert dossier["status"] == "refused_at_receipt" and dossier["national_status"] == 3
    assert last_event(code).data["reason"] == "Không thuộc thẩm quyền"
    assert dossier["allowed_actions"] == []


@time_machine.travel(MONDAY_9, tick=False)
def test_forward_walks_the_workflow_and_step_clock(world):
    code = at_first_step(world)
    dossier = ok(act(world, "leader", code, "assign", assignee="specialist"))
    assert dossier["assignee"] == "specialist"
    step = dossier["current_step"]
    assert (step["name"], step["role"], step["unit"]) == ("Thẩm định", "specialist", "000.00.21.H26")
    assert step["due_at"] == "2026-03-03T14:00:00+07:00"  # 12 working hours from Monday 09:00
    assert ok(act(world, "specialist", code, "forward"))["current_step"]["name"] == "Phê duyệt"
    assert ok(act(world, "leader", code, "forward"))["current_step"]["name"] == "Vào sổ"
    last = act(world, "clerk", code, "forward")
    assert last.status_code == 409  # the last step issues the result instead


@time_machine.travel(MONDAY_9, tick=False)
def test_send_back_returns_to_the_previous_step_and_not_before_the_first(world):
    code = at_first_step(world)
    assert act(world, "specialist", code, "send_back", note="x").status_code == 409
    ok(act(world, "specialist", code, "forward"))
    dossier = ok(act(world, "leader", code, "send_back", note="Thiếu căn cứ"))
    assert dossier["current_step"]["name"] == "Thẩm định"
    assert act(world, "leader", code, "send_back").status_code == 422  # a note is required


@time_machine.travel(MONDAY_9, tick=False)
def test_transfer_regardless_of_boundary_hands_over_competence(world):
    code = receive(world)
    dossier = ok(act(world, "counter", code, "transfer", to_unit=world.other_commune.identity_code))
    assert dossier["status"] == "in_process"
    assert dossier["competent_authority"] == world.other_commune.identity_code
    assert dossier["current_unit"] == world.other_commune.identity_code
    # The officers of the unit it was handed to act on it now.
    assert (
        "forward" in ok(world.client("other_specialist").get(f"/api/v1/dossiers/{code}"))["allowed_actions"]
    )
    # The department never held it, so for its officers it does not exist.
    assert world.client("specialist").get(f"/api/v1/dossiers/{code}").status_code == 404


@time_machine.travel(MONDAY_9, tick=False)
def test_inter_agency_transfer_mid_process_and_back(world):
    code = at_first_step(world)
    dossier = ok(act(world, "leader", code, "transfer", to_unit=world.other_commune.identity_code))
    assert dossier["competent_authority"] == world.department.identity_code
    dossier = ok(act(world, "other_specialist", code, "send_back", note="Đã xác minh"))
    assert dossier["current_unit"] == world.department.identity_code
    assert dossier["current_step"]["name"] == "Thẩm định"


@pytest.mark.parametrize("policy", [SupplementPolicy.RECOUNT, SupplementPolicy.PAUSE])
def test_supplement_round_trip_recomputes_the_deadline(world, policy):
    world.version.supplement_policy = policy
    world.version.save()
    with time_machine.travel(MONDAY_9, tick=False):
        code = at_first_step(world)  # due Thursday 09:00
    with time_machine.travel("2026-03-03T09:00:00+07:00", tick=False):
        items = [{"description": "Bản sao giấy đăng ký kết hôn", "requirement": "bản sao có chứng thực"}]
        dossier = ok(
            act(world, "specialist", code, "request_supplement", reason="Thiếu giấy tờ", items=items)
        )
        assert dossier["status"] == "supplement_requested" and dossier["national_status"] == 5
        assert act(world, "specialist", code, "accept_supplement").status_code == 409  # nothing submitted yet
    with time_machine.travel("2026-03-04T10:00:00+07:00", tick=False):
        file_id = world.upload("counter")
        documents = [{"requirement": None, "file": file_id}]
        ok(act(world, "counter", code, "submit_supplement", documents=documents))
        assert act(world, "counter", code, "submit_supplement").status_code == 409
        dossier = ok(act(world, "specialist", code, "accept_supplement"))
    assert dossier["status"] == "in_process"
    assert dossier["current_step"]["name"] == "Thẩm định"
    expected = {
        # Counted again from the start: 3 working days from Wednesday 10:00.
        SupplementPolicy.RECOUNT: "2026-03-09T10:00:00+07:00",
        # The 9 working hours spent waiting (Tuesday 09:00 to Wednesday 10:00) added to Thursday 09:00.
        SupplementPolicy.PAUSE: "2026-03-06T10:00:00+07:00",
    }
    assert dossier["due_at"] == expected[policy]
    assert Dossier.objects.get(code=code).supplement_count == 1


@time_machine.travel(MONDAY_9, tick=False)
def test_citizen_submits_supplement_online(world):
    code = submit_online(world)
    ok(act(world, "counter", code, "accept"))
    ok(act(world, "counter", code, "forward"))
    ok(act(world, "specialist", code, "request_supplement", reason="r", items=[{"description": "Ảnh"}]))
    citizen_view = ok(world.client("citizen").get(f"/api/v1/dossiers/{code}"))
    assert citizen_view["allowed_actions"] == ["submit_supplement", "withdraw"]
    file_id = world.upload("citizen")
    dossier = ok(act(world, "citizen", code, "submit_supplement", documents=[{"file": file_id}]))
    assert [d["file"] for d in dossier["documents"]][-1] == file_id
    assert act(world, "stranger", code, "submit_supplement").status_code == 404


@time_machine.travel(MONDAY_9, tick=False)
def test_payment_pauses_and_resumes_where_it_was(world):
    code = at_first_step(world)
    dossier = ok(act(world, "specialist", code, "request_payment", amount=50_000))
    assert dossier["status"] == "awaiting_payment" and dossier["fee_due"] == 50_000
    dossier = ok(act(world, "counter", code, "record_payment", receipt_number="BL-001"))
    assert dossier["status"] == "in_process" and dossier["fee_paid"] == 50_000
    assert dossier["current_step"]["name"] == "Thẩm định"


@time_machine.travel(MONDAY_9, tick=False)
def test_stop_requires_a_reason_and_ends_processing(world):
    code = at_first_step(world)
    assert act(world, "specialist", code, "stop", reason="x").status_code == 403
    dossier = ok(act(world, "leader", code, "stop", reason="Không đủ điều kiện theo luật"))
    assert dossier["status"] == "stopped" and dossier["national_status"] == 8
    assert dossier["finished_at"] is not None and dossier["allowed_actions"] == []


@time_machine.travel(MONDAY_9, tick=False)
def test_issue_result_needs_a_signer_and_delegation_is_checked_and_audited(world):
    code = at_first_step(world)
    assert act(world, "specialist", code, "issue_result").status_code == 403
    leader = world.department.staff_roles.get(role="unit_leader").user
    specialist = world.department.staff_roles.get(user__username="specialist").user
    today = dt.date(2026, 3, 2)
    delegation = grant_delegation(
        leader,
        specialist,
        world.department,
        [world.procedure.national_code],
        today,
        today + dt.timedelta(days=90),
    )
    dossier = ok(act(world, "specialist", code, "issue_result", result_number="15/QĐ"))
    assert dossier["status"] == "result_ready" and dossier["national_status"] == 9
    assert last_event(code).data["signed_as"] == "on_behalf"
    assert delegation.audit.filter(action="signed", detail__dossier=code).exists()


@time_machine.travel(MONDAY_9, tick=False)
def test_result_by_post_needs_a_waybill(world):
    code = receive(world, result_delivery="post")
    ok(act(world, "counter", code, "forward"))
    ok(act(world, "leader", code, "issue_result"))
    assert act(world, "counter", code, "return_result").status_code == 422
    dossier = ok(act(world, "counter", code, "return_result", waybill_number="EB123456789VN"))
    assert dossier["status"] == "returned" and dossier["returned_at"] is not None


@time_machine.travel(MONDAY_9, tick=False)
def test_applicant_withdraws_online_dossier(world):
    code = submit_online(world)
    ok(act(world, "counter", code, "accept"))
    dossier = ok(act(world, "citizen", code, "withdraw", note="Không còn nhu cầu"))
    assert dossier["status"] == "withdrawn" and dossier["national_status"] == 7


@time_machine.travel(MONDAY_9, tick=False)
def test_apology_sets_a_new_date_but_lateness_keeps_the_original(world):
    code = at_first_step(world)
    assert (
        act(
            world, "leader", code, "apologise", reason="r", new_appointment="2026-03-04T09:00:00+07:00"
        ).status_code
        == 422
    )
    dossier = ok(
        act(
            world,
            "leader",
            code,
            "apologise",
            reason="Chờ xác minh",
            new_appointment="2026-03-10T09:00:00+07:00",
        )
    )
    assert dossier["due_at"] == "2026-03-05T09:00:00+07:00"
    assert dossier["new_appointment_at"] == "2026-03-10T09:00:00+07:00"
    assert "apologise" not in dossier["allowed_actions"]
    again = act(world, "leader", code, "apologise", reason="r", new_appointment="2026-03-12T09:00:00+07:00")
    assert again.status_code == 409


@time_machine.travel(MONDAY_9, tick=False)
def test_allowed_actions_follow_role_and_status(world):
    code = receive(world)
    assert ok(world.client("counter").get(f"/api/v1/dossiers/{code}"))["allowed_actions"] == [
        "forward",
        "transfer",
        "request_supplement",
        "request_payment",
        "withdraw",
    ]
    assert ok(world.client("auditor").get(f"/api/v1/dossiers/{code}"))["allowed_actions"] == []
