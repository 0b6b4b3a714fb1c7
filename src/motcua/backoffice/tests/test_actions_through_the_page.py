"""Every processing action taken through its form on the dossier page: the form's fields become the payload
the service expects, and a problem comes back on the field it concerns with what was typed kept."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.backoffice.tests.test_dossier_page import signed_in, text
from motcua.conftest import PDF_BYTES, World, act
from motcua.dossiers.models import Dossier, DossierEvent, SupplementRequest
from motcua.dossiers.tests.test_lifecycle_actions import at_first_step, ok, receive, submit_online


def post(client: Client, code: str, action: str, fields: dict[str, Any], version: int | None = None):
    """Post the action's form as the page draws it: with the version the page was drawn at."""
    version = Dossier.objects.get(code=code).version if version is None else version
    return client.post(f"/office/dossiers/{code}/actions/{action}/", {"version": version, **fields})


def done(response, code: str) -> Dossier:
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] in (f"/office/dossiers/{code}/", "/office/")
    return Dossier.objects.get(code=code)


def last_event(code: str) -> DossierEvent:
    return DossierEvent.objects.filter(dossier__code=code).order_by("-id").first()


def at_last_step(world: World) -> str:
    code = at_first_step(world)
    for _ in range(2):
        ok(act(world, "leader", code, "forward"))
    return code


def test_accept_an_online_submission(world):
    code = submit_online(world)
    dossier = done(post(signed_in("counter"), code, "accept", {"note": "Đủ giấy tờ"}), code)
    assert dossier.status == "received" and dossier.due_at is not None
    assert last_event(code).note == "Đủ giấy tờ"


def test_the_success_message_names_the_action(world):
    code = submit_online(world)
    client = signed_in("counter")
    response = post(client, code, "accept", {})
    assert "Done: Receive." in text(client.get(response["Location"]).content.decode())


def test_request_a_fix_of_an_online_submission_with_its_items(world):
    code = submit_online(world)
    fields = {
        "reason": "Ảnh mờ",
        "items-count": "2",
        "items-0-description": "Giấy chứng sinh",
        "items-1-description": "",
    }
    dossier = done(post(signed_in("counter"), code, "request_fix", fields), code)
    assert dossier.needs_fix and dossier.status == "submitted"
    assert last_event(code).data["items"] == [{"description": "Giấy chứng sinh", "requirement": ""}]


def test_refuse_an_online_submission_once_confirmed(world):
    code = submit_online(world)
    client = signed_in("counter")
    response = post(client, code, "refuse", {"reason": "Không thuộc thẩm quyền"})
    assert response.status_code == 422 and "Tick the box to confirm" in response.content.decode()
    assert Dossier.objects.get(code=code).status == "submitted"
    dossier = done(post(client, code, "refuse", {"reason": "Không thuộc thẩm quyền", "confirm": "yes"}), code)
    assert dossier.status == "refused_at_receipt"


def test_assign_to_an_officer_of_the_current_unit(world):
    code = at_first_step(world)
    html = signed_in("leader").get(f"/office/dossiers/{code}/").content.decode()
    assert '<option value="specialist2">' in html and '<option value="other_specialist">' not in html
    dossier = done(post(signed_in("leader"), code, "assign", {"assignee": "specialist2"}), code)
    assert dossier.assignee.username == "specialist2"


def test_forward_from_the_counter_to_the_first_step(world):
    code = receive(world)
    dossier = done(post(signed_in("counter"), code, "forward", {}), code)
    assert dossier.status == "in_process" and dossier.current_step.name == "Thẩm định"


def test_send_back_needs_a_note(world):
    code = at_first_step(world)
    ok(act(world, "specialist", code, "forward"))
    client = signed_in("leader")
    response = post(client, code, "send_back", {"note": ""})
    assert response.status_code == 422
    assert "Fill in “Note”." in response.content.decode()
    dossier = done(post(client, code, "send_back", {"note": "Thiếu chữ ký"}), code)
    assert dossier.current_step.name == "Thẩm định" and last_event(code).note == "Thiếu chữ ký"


def test_transfer_to_another_unit(world):
    code = at_first_step(world)
    unit = world.other_commune.identity_code
    dossier = done(post(signed_in("leader"), code, "transfer", {"to_unit": unit}), code)
    assert dossier.current_unit_id == world.other_commune.pk
    assert last_event(code).data["to_unit"] == unit


def test_request_a_supplement_with_itemised_rows(world):
    code = at_first_step(world)
    fields = {
        "reason": "Thiếu giấy tờ",
        "items-count": "3",
        "items-0-description": "Bản sao CCCD của cha",
        "items-0-requirement": "Bản sao có chứng thực",
        "items-1-description": "",
        "items-1-requirement": "",
        "items-2-description": "Giấy xác nhận cư trú",
    }
    dossier = done(post(signed_in("specialist"), code, "request_supplement", fields), code)
    assert dossier.status == "supplement_requested"
    assert SupplementRequest.objects.get(dossier=dossier).items == [
        {"description": "Bản sao CCCD của cha", "requirement": "Bản sao có chứng thực"},
        {"description": "Giấy xác nhận cư trú", "requirement": ""},
    ]


def test_a_supplement_request_needs_at_least_one_item(world):
    code = at_first_step(world)
    response = post(
        signed_in("specialist"), code, "request_supplement", {"reason": "Thiếu", "items-count": "2"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Fill in “Documents to add or correct”." in html and ">Thiếu</textarea>" in html


def test_an_item_without_its_document_is_refused_on_its_row(world):
    code = at_first_step(world)
    fields = {"reason": "Thiếu", "items-count": "1", "items-0-requirement": "Bản chính"}
    response = post(signed_in("specialist"), code, "request_supplement", fields)
    assert response.status_code == 422
    html = response.content.decode()
    assert 'href="#action-request_supplement-items-0-description"' in html and "Describe the item." in html
    assert 'name="items-0-requirement" value="Bản chính"' in html


def test_add_a_row_without_the_script_redraws_the_form_with_one_more(world):
    code = at_first_step(world)
    fields = {"reason": "Thiếu", "items-count": "2", "items-0-description": "Một", "add_row": "items"}
    response = post(signed_in("specialist"), code, "request_supplement", fields)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="items-count" value="3"' in html and 'value="Một"' in html
    assert Dossier.objects.get(code=code).status == "in_process"


def test_submit_and_accept_a_supplement_at_the_counter(world):
    code = at_first_step(world)
    ok(act(world, "specialist", code, "request_supplement", reason="Thiếu", items=[{"description": "CCCD"}]))
    fields = {
        "documents-count": "2",
        "documents-0-requirement": str(world.documents[1].pk),
        "documents-0-file": SimpleUploadedFile("cccd.pdf", PDF_BYTES),
        "documents-1-requirement": "",
    }
    dossier = done(post(signed_in("counter"), code, "submit_supplement", fields), code)
    assert dossier.supplement_submitted_at is not None
    document = dossier.documents.get(supplement__isnull=False)
    assert document.requirement_id == world.documents[1].pk and document.file.original_name == "cccd.pdf"
    dossier = done(post(signed_in("specialist"), code, "accept_supplement", {}), code)
    assert dossier.status == "in_process"


def test_request_and_record_a_payment(world):
    code = at_first_step(world)
    client = signed_in("specialist")
    response = post(client, code, "request_payment", {"amount": "năm mươi nghìn"})
    assert (
        response.status_code == 422
        and "Give the amount as a whole number of đồng." in response.content.decode()
    )
    dossier = done(post(client, code, "request_payment", {"amount": "50.000"}), code)
    assert dossier.status == "awaiting_payment" and dossier.fee_due == 50_000
    dossier = done(post(signed_in("counter"), code, "record_payment", {"receipt_number": "BL-0012"}), code)
    assert dossier.status == "in_process" and dossier.fee_paid == 50_000
    assert last_event(code).data["receipt_number"] == "BL-0012"


def test_stop_with_a_reason_once_confirmed(world):
    code = at_first_step(world)
    dossier = done(
        post(signed_in("leader"), code, "stop", {"reason": "Người nộp mất", "confirm": "yes"}), code
    )
    assert dossier.status == "stopped" and last_event(code).data["reason"] == "Người nộp mất"


def test_apologise_with_a_new_date(world):
    code = at_first_step(world)
    fields = {"reason": "Chờ xác minh", "new_appointment": "2099-01-05T09:00"}
    dossier = done(post(signed_in("leader"), code, "apologise", fields), code)
    assert dossier.apology_count == 1 and dossier.new_appointment_at.year == 2099


def test_apologise_without_a_reason_keeps_what_was_typed(world):
    code = at_first_step(world)
    fields = {"reason": "", "new_appointment": "2099-01-05T09:00", "note": "gọi điện trước"}
    response = post(signed_in("leader"), code, "apologise", fields)
    assert response.status_code == 422
    html = response.content.decode()
    assert '<details class="action" id="action-apologise" open>' in html
    assert 'id="action-apologise-reason"' in html and 'aria-invalid="true"' in html
    assert 'value="2099-01-05T09:00"' in html and ">gọi điện trước</textarea>" in html
    assert 'href="#action-apologise-reason"' in html
    assert Dossier.objects.get(code=code).apology_count == 0


def test_a_date_the_service_refuses_comes_back_on_its_field(world):
    code = at_first_step(world)
    response = post(
        signed_in("leader"), code, "apologise", {"reason": "Chậm", "new_appointment": "2000-01-01T09:00"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "The new date must be later than now and than the original due date." in html
    assert 'href="#action-apologise-new_appointment"' in html


def test_issue_the_result_with_its_signed_file(world):
    code = at_last_step(world)
    fields = {"result_number": "15/QĐ-STP", "result_file": SimpleUploadedFile("ketqua.pdf", PDF_BYTES)}
    dossier = done(post(signed_in("leader"), code, "issue_result", fields), code)
    assert dossier.status == "result_ready" and dossier.result_number == "15/QĐ-STP"
    assert (
        dossier.result_file.original_name == "ketqua.pdf" and dossier.result_file.owner.username == "leader"
    )


def test_an_upload_kept_after_an_error_is_not_asked_for_again(world):
    code = at_last_step(world)
    client = signed_in("leader")
    upload = SimpleUploadedFile("ketqua.pdf", PDF_BYTES)
    # A stale version: the page comes back fresh, the uploaded file is kept and offered again by id.
    response = post(client, code, "issue_result", {"result_file": upload}, version=1)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Received: ketqua.pdf" in html
    stored = int(html.split('name="result_file-stored" value="')[1].split('"')[0])
    dossier = done(post(client, code, "issue_result", {"result_file-stored": stored}), code)
    assert dossier.result_file_id == stored


@pytest.mark.parametrize("delivery", ["counter", "post"])
def test_return_the_result(world, delivery):
    code = at_last_step(world)
    Dossier.objects.filter(code=code).update(result_delivery=delivery)
    ok(act(world, "leader", code, "issue_result", result_number="1/QĐ"))
    client = signed_in("counter")
    html = client.get(f"/office/dossiers/{code}/").content.decode()
    if delivery == "counter":
        assert 'name="recipient_name" value="Nguyễn Thị Mai"' in html and "waybill_number" not in html
        fields = {"recipient_name": "Trần Văn Nam", "recipient_id_number": "001090099999"}
    else:
        assert "recipient_name" not in html and 'name="waybill_number"' in html
        assert post(client, code, "return_result", {}).status_code == 422
        fields = {"waybill_number": "EMS123456789VN"}
    dossier = done(post(client, code, "return_result", fields), code)
    assert dossier.status == "returned"
    assert {k: v for k, v in dossier.return_details.items() if v} == fields


def test_withdraw_at_the_counter(world):
    code = receive(world)
    dossier = done(post(signed_in("counter"), code, "withdraw", {"confirm": "yes"}), code)
    assert dossier.status == "withdrawn"


def test_a_stale_version_shows_the_fresh_dossier(world):
    code = at_first_step(world)
    client = signed_in("leader")
    seen = Dossier.objects.get(code=code).version
    ok(act(world, "specialist", code, "request_payment", amount=1000))  # someone else acts meanwhile
    response = post(client, code, "stop", {"reason": "Dừng", "confirm": "yes"}, version=seen)
    assert response.status_code == 409
    shown = text(response.content.decode())
    assert "The dossier changed while you were looking." in shown
    assert "Waiting for payment" in shown
    assert Dossier.objects.get(code=code).status == "awaiting_payment"


def test_an_action_the_user_may_not_take_changes_nothing(world):
    code = at_first_step(world)
    response = post(signed_in("auditor"), code, "stop", {"reason": "x", "confirm": "yes"})
    assert response.status_code == 403
    assert "Your roles do not allow" in response.content.decode()
    assert Dossier.objects.get(code=code).status == "in_process"


def test_an_unknown_action_or_a_dossier_out_of_scope_is_not_found(world):
    code = at_first_step(world)
    assert post(signed_in("leader"), code, "teleport", {}).status_code == 404
    assert post(signed_in("other_leader"), code, "stop", {"reason": "x", "confirm": "yes"}).status_code == 404


def test_actions_are_posted_only(world):
    code = at_first_step(world)
    assert signed_in("leader").get(f"/office/dossiers/{code}/actions/forward/").status_code == 405
