"""The dossier page shows the dossier in full, the actions each role may take, notes, and the dossier's files
to those in scope only."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.conftest import PDF_BYTES, World, act, post_json
from motcua.dossiers.models import Dossier, DossierNote
from motcua.dossiers.policy import allowed_actions
from motcua.dossiers.tests.test_lifecycle_actions import at_first_step, ok, receive

PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
    b"\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def signed_in(username: str) -> Client:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(User.objects.get(username=username))
    return client


def page(client: Client, code: str) -> tuple[int, str]:
    response = client.get(f"/office/dossiers/{code}/")
    return response.status_code, response.content.decode()


def buttons(html: str) -> set[str]:
    """The actions whose form the page offers."""
    return set(re.findall(r'<details class="action[^"]*" id="action-([a-z_]+)"', html))


def action_form(html: str, action: str) -> str:
    start = html.index(f'id="action-{action}"')
    return html[start : html.index("</details>", start)]


def text(html: str) -> str:
    """The page's text with tags dropped and spaces collapsed, for asserting what a reader sees."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_page_shows_the_dossier_the_applicant_the_answers_the_documents_and_the_history(world):
    code = receive(world)
    status, html = page(signed_in("counter"), code)
    assert status == 200
    shown = text(html)
    assert code in shown and "Received" in shown and "national status 2" in shown
    assert "Đăng ký khai sinh" in shown and "Thông thường" in shown and "At the counter (1)" in shown
    assert "Nguyễn Thị Mai" in shown and "001090012345" in shown and "0912345678" in shown
    # The e-form answers under the schema's titles; a date in the local short format.
    assert "Họ tên trẻ Nguyễn Văn Bé" in shown and "child_sex nam" in shown
    assert "Giấy chứng sinh" in shown and "Electronic file" in shown and "1 copy" in shown
    assert "Appointment (due)" in shown and "left" in shown  # "2 days 7 hours left": the clock runs
    assert re.search(r"Received · \S+", shown)  # the timeline's first entry, by the counter officer
    assert f"/print/dossiers/{code}/receipt.pdf" in html and "/control-slip.pdf" in html
    assert "/refusal.pdf" not in html and "/apology.pdf" not in html


def test_steps_show_their_budget_and_the_time_left(world):
    code = at_first_step(world)
    html = page(signed_in("specialist"), code)[1]
    shown = text(html)
    assert "Thẩm định" in shown and "Sở Tư pháp" in shown and "1 day 4 hours" in shown  # 12 working hours
    assert 'aria-current="step"' in html
    assert "Received → In process" in shown  # the forward event, from one status to the next


def test_each_role_sees_the_actions_it_may_take_and_no_other(world):
    code = at_first_step(world)
    dossier = Dossier.objects.get(code=code)
    expected = {
        "counter": {"withdraw"},
        "specialist": {"forward", "send_back", "request_supplement", "request_payment"},
        "leader": {
            "assign",
            "forward",
            "send_back",
            "transfer",
            "request_supplement",
            "request_payment",
            "stop",
            "apologise",
            "issue_result",
        },
        "auditor": set(),
    }
    for username, actions in expected.items():
        html = page(signed_in(username), code)[1]
        assert buttons(html) == actions == set(allowed_actions(User.objects.get(username=username), dossier))
    assert "You have no action to take on this dossier now." in page(signed_in("auditor"), code)[1]


def test_destructive_actions_ask_for_a_confirmation(world):
    html = page(signed_in("leader"), at_first_step(world))[1]
    stop, forward = action_form(html, "stop"), action_form(html, "forward")
    assert 'name="confirm"' in stop and "btn-danger" in stop
    assert 'name="confirm"' not in forward
    assert re.search(r'name="version" value="2"', forward)


def test_a_dossier_out_of_scope_is_not_found(world):
    code = receive(world)
    assert page(signed_in("other_specialist"), code)[0] == 404
    assert page(signed_in("specialist"), "000.00.01.H26-000000-0000")[0] == 404


def test_only_signed_in_officers_enter(world):
    code = receive(world)
    assert Client().get(f"/office/dossiers/{code}/").status_code == 302
    assert page(signed_in("citizen"), code)[0] == 403


def test_officers_leave_notes_for_each_other(world):
    code = receive(world)
    client = signed_in("counter")
    response = client.post(f"/office/dossiers/{code}/notes/", {"text": "Hồ sơ gốc để ở tủ số 3"})
    assert response.status_code == 302 and response["Location"].endswith(f"/office/dossiers/{code}/#notes")
    html = page(signed_in("specialist"), code)[1]
    assert "Hồ sơ gốc để ở tủ số 3" in html and "Trung tâm Phục vụ hành chính công" in html


def test_an_empty_note_is_refused_on_its_field(world):
    code = receive(world)
    response = signed_in("counter").post(f"/office/dossiers/{code}/notes/", {"text": "  "})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Write the note." in html and 'aria-invalid="true"' in html and 'href="#note-text"' in html
    assert not DossierNote.objects.exists()


def _dossier_with_files(world: World) -> tuple[str, int, int]:
    """A dossier received with a PDF and a photo; returns its code and the two files' ids."""
    pdf = world.upload("counter")
    png = world.upload("counter", PNG_BYTES, "anh.png")
    body = world.intake_body("counter")
    body["documents"] = [
        {"requirement": world.documents[0].pk, "file": pdf},
        {"requirement": world.documents[1].pk, "file": png, "submitted_as": "photocopy", "copies": 2},
    ]
    response = post_json(world.client("counter"), "/api/v1/dossiers", body)
    assert response.status_code == 201, response.content
    return response.json()["code"], pdf, png


def test_documents_are_previewed_inline_from_the_dossier(world):
    code, pdf, png = _dossier_with_files(world)
    client = signed_in("specialist")
    html = page(client, code)[1]
    assert f'<iframe class="preview-pdf" src="/office/dossiers/{code}/files/{pdf}/"' in html
    assert (
        f'src="/office/dossiers/{code}/files/{png}/"' in html and "Photocopy" in html and "2 copies" in html
    )

    response = client.get(f"/office/dossiers/{code}/files/{pdf}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert client.get(f"/office/dossiers/{code}/files/{png}/")["Content-Type"] == "image/png"


def test_the_file_view_refuses_a_file_of_another_dossier(world):
    code, pdf, _ = _dossier_with_files(world)
    other = receive(world)
    client = signed_in("specialist")
    assert client.get(f"/office/dossiers/{other}/files/{pdf}/").status_code == 404
    assert signed_in("other_specialist").get(f"/office/dossiers/{code}/files/{pdf}/").status_code == 404
    loose = world.upload("counter")  # uploaded, attached to nothing
    assert client.get(f"/office/dossiers/{code}/files/{loose}/").status_code == 404


def test_the_result_file_is_served_with_the_dossier(world):
    code = at_first_step(world)
    for _ in range(2):
        ok(act(world, "leader", code, "forward"))
    result = world.upload("leader")
    ok(act(world, "leader", code, "issue_result", result_number="123/QĐ", result_file=result))
    client = signed_in("clerk")
    html = page(client, code)[1]
    assert "123/QĐ" in html and f"/office/dossiers/{code}/files/{result}/" in html
    assert client.get(f"/office/dossiers/{code}/files/{result}/").status_code == 200


@pytest.mark.parametrize("action, form", [("apologise", "apology"), ("stop", "stop")])
def test_print_links_follow_the_history(world, action, form):
    code = at_first_step(world)
    fields = {"reason": "Chờ xác minh", "new_appointment": "2099-01-05T09:00:00+07:00"}
    ok(act(world, "leader", code, action, **fields))
    html = page(signed_in("leader"), code)[1]
    assert f"/print/dossiers/{code}/{form}.pdf" in html
    assert "Chờ xác minh" in text(html)


def test_a_paper_document_received_without_a_scan_is_listed(world):
    code = receive(world)
    dossier = Dossier.objects.get(code=code)
    document = dossier.documents.get()
    document.file = None
    document.submitted_as = "original"
    document.save()
    shown = text(page(signed_in("counter"), code)[1])
    assert "Received on paper, not scanned." in shown and "Original" in shown


def test_an_upload_that_is_not_a_document_is_refused_on_its_field(world):
    # The action forms store files through the same service as the API: content is checked, not the name.
    client = signed_in("leader")
    code = at_first_step(world)
    for _ in range(2):
        ok(act(world, "leader", code, "forward"))
    version = Dossier.objects.get(code=code).version
    response = client.post(
        f"/office/dossiers/{code}/actions/issue_result/",
        {"version": version, "result_file": SimpleUploadedFile("ketqua.pdf", b"not a pdf at all")},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Only PDF, images" in html and 'href="#action-issue_result-result_file"' in html
    assert Dossier.objects.get(code=code).status == "in_process"


def test_supplement_requests_are_listed_with_their_items(world):
    code = at_first_step(world)
    items = [{"description": "Bản sao CCCD của cha", "requirement": "Bản sao có chứng thực"}]
    ok(act(world, "specialist", code, "request_supplement", reason="Thiếu giấy tờ", items=items))
    shown = text(page(signed_in("counter"), code)[1])
    assert "Supplement requests" in shown and "Thiếu giấy tờ" in shown
    assert "Bản sao CCCD của cha (Bản sao có chứng thực)" in shown and "not submitted yet" in shown
    assert "Clock paused: waiting for the applicant" in shown
    assert "Submit the supplement" in shown  # the counter may hand in what the applicant brings


def test_form_answers_follow_the_authors_order_not_the_databases():
    from motcua.backoffice.views_dossier import form_answers

    # As PostgreSQL's jsonb hands a schema back: keys sorted by length, the written order kept in "x-order".
    schema = {
        "properties": {"tre": {"title": "Trẻ"}, "ngay_sinh": {"title": "Ngày sinh"}},
        "x-order": ["ngay_sinh", "tre"],
    }
    answers = form_answers(schema, {"tre": "Bình", "ngay_sinh": "2026-11-01", "cu": "x"})
    assert [a.label for a in answers] == ["Ngày sinh", "Trẻ", "cu"]


def test_the_officer_sees_the_lookup_key_to_tell_the_applicant(world):
    code = receive(world)
    status, html = page(signed_in("counter"), code)
    assert status == 200
    assert Dossier.objects.get(code=code).lookup_key in html
