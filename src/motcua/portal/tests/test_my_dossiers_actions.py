"""What the citizen does on their dossier's page: send the supplement an officer asked for, withdraw with a
reason, rate the service once it is returned; always on the version the page showed."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from motcua.conftest import PDF_BYTES, act, post_json
from motcua.dossiers.models import Dossier, DossierDocument, DossierEvent, Rating
from motcua.portal.models import SupplementUpload

ITEM = "Bản sao giấy khai sinh của mẹ"


def _client(username: str = "citizen") -> Client:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(User.objects.get(username=username))
    return client


def _online_dossier(world) -> str:
    body = world.intake_body("citizen", channel="online", receiving_unit=world.centre.identity_code)
    response = post_json(world.client("citizen"), "/api/v1/dossiers", body)
    assert response.status_code == 201, response.content
    return response.json()["code"]


def _in_process(world) -> str:
    code = _online_dossier(world)
    for username, action in [("counter", "accept"), ("counter", "forward")]:
        assert act(world, username, code, action).status_code == 200
    return code


def _supplement_requested(world) -> str:
    code = _in_process(world)
    items = [
        {"description": ITEM, "requirement": "Bản sao có chứng thực"},
        {"description": "Ảnh chụp CCCD"},
    ]
    response = act(world, "specialist", code, "request_supplement", reason="Thiếu giấy tờ", items=items)
    assert response.status_code == 200
    return code


def _version(code: str) -> int:
    return Dossier.objects.get(code=code).version


def _upload(client: Client, code: str, item: int, content: bytes = PDF_BYTES):
    return client.post(
        reverse("portal:my-dossier-supplement-upload", args=[code, item]),
        {"file": SimpleUploadedFile(f"bo-sung-{item}.pdf", content)},
        headers={"Accept": "application/json"},
    )


def test_a_supplement_goes_from_the_officers_request_to_the_dossier(world):
    code = _supplement_requested(world)
    client = _client()

    page = client.get(reverse("portal:my-dossier", args=[code])).content.decode()
    assert "Waiting for documents from you" in page
    assert "Thiếu giấy tờ" in page and ITEM in page and "Send the supplement" in page
    assert "Bản sao có chứng thực" in page

    assert _upload(client, code, 0).status_code == 201
    bad = _upload(client, code, 1, content=b"plain text, not a scan")
    assert bad.status_code == 422 and "Only PDF, images" in bad.json()["error"]
    assert _upload(client, code, 1).status_code == 201
    response = client.post(
        reverse("portal:my-dossier-supplement", args=[code]),
        {"version": _version(code), "note": "Đã bổ sung"},
    )

    assert response.status_code == 302
    event = DossierEvent.objects.filter(dossier__code=code, action="submit_supplement").get()
    assert event.actor.username == "citizen" and event.note == "Đã bổ sung" and len(event.data["files"]) == 2
    sent = DossierDocument.objects.filter(dossier__code=code, supplement__isnull=False).order_by("id")
    assert [d.file.original_name for d in sent] == ["bo-sung-0.pdf", "bo-sung-1.pdf"]
    assert not SupplementUpload.objects.exists()
    page = client.get(reverse("portal:my-dossier", args=[code])).content.decode()
    assert "The officer is checking them" in page and "Send the supplement" not in page
    assert "Your documents are being checked" in page
    assert act(world, "specialist", code, "accept_supplement").status_code == 200
    assert (
        "The documents you sent were accepted."
        in client.get(reverse("portal:my-dossier", args=[code])).content.decode()
    )


def test_without_javascript_the_files_come_with_the_send_button(world):
    code = _supplement_requested(world)
    body = {
        "version": _version(code),
        "supplement.0": SimpleUploadedFile("a.pdf", PDF_BYTES),
        "supplement.1": SimpleUploadedFile("b.pdf", PDF_BYTES),
    }
    response = _client().post(reverse("portal:my-dossier-supplement", args=[code]), body)
    assert response.status_code == 302
    assert DossierEvent.objects.filter(dossier__code=code, action="submit_supplement").exists()


def test_a_supplement_without_all_its_files_is_refused_on_the_missing_item(world):
    code = _supplement_requested(world)
    client = _client()
    _upload(client, code, 0)

    response = client.post(
        reverse("portal:my-dossier-supplement", args=[code]), {"version": _version(code), "note": "Gửi trước"}
    )

    assert response.status_code == 422
    page = response.content.decode()
    assert "Upload a file for: Ảnh chụp CCCD." in page
    assert 'href="#field-supplement-1"' in page and 'id="field-supplement-1-error"' in page
    assert ">Gửi trước</textarea>" in page
    assert not DossierEvent.objects.filter(dossier__code=code, action="submit_supplement").exists()


def test_withdrawing_asks_for_confirmation_and_a_reason(world):
    code = _in_process(world)
    client = _client()
    detail = client.get(reverse("portal:my-dossier", args=[code])).content.decode()
    assert reverse("portal:my-dossier-withdraw", args=[code]) in detail

    confirm = client.get(reverse("portal:my-dossier-withdraw", args=[code]))
    assert confirm.status_code == 200 and "Why do you withdraw it?" in confirm.content.decode()
    url = reverse("portal:my-dossier-withdraw", args=[code])
    no_reason = client.post(url, {"version": _version(code), "reason": "  "})
    assert no_reason.status_code == 422 and "Say why you withdraw the dossier." in no_reason.content.decode()
    assert Dossier.objects.get(code=code).status == "in_process"

    assert client.post(url, {"version": _version(code), "reason": "Đã nộp nhầm thủ tục"}).status_code == 302

    dossier = Dossier.objects.get(code=code)
    assert dossier.status == "withdrawn"
    assert dossier.events.get(action="withdraw").note == "Đã nộp nhầm thủ tục"
    page = client.get(reverse("portal:my-dossier", args=[code])).content.decode()
    assert "Withdrawn at your request" in page and url not in page


def test_a_dossier_is_rated_once_and_only_after_its_result_is_returned(world):
    code = _in_process(world)
    client = _client()
    rate = reverse("portal:my-dossier-rate", args=[code])
    assert (
        "How satisfied are you?" not in client.get(reverse("portal:my-dossier", args=[code])).content.decode()
    )
    early = client.post(rate, {"score": "satisfied"})
    assert early.status_code == 409 and "once its result has been returned" in early.content.decode()

    assert act(world, "leader", code, "issue_result", result_number="12/KS").status_code == 200
    assert act(world, "counter", code, "return_result", recipient_name="Nguyễn Thị Mai").status_code == 200
    assert "How satisfied are you?" in client.get(reverse("portal:my-dossier", args=[code])).content.decode()
    unknown = client.post(rate, {"score": "so-so", "comment": "Ổn"})
    assert unknown.status_code == 422 and ">Ổn</textarea>" in unknown.content.decode()

    assert client.post(rate, {"score": "very_satisfied", "comment": "Nhanh, chu đáo"}).status_code == 302
    again = client.post(rate, {"score": "dissatisfied"})

    assert again.status_code == 409 and "already been rated" in again.content.decode()
    rating = Rating.objects.get(dossier__code=code)
    assert (rating.score, rating.comment, rating.channel) == ("very_satisfied", "Nhanh, chu đáo", "portal")
    page = client.get(reverse("portal:my-dossier", args=[code])).content.decode()
    assert "Your rating" in page and "Very satisfied" in page and "How satisfied are you?" not in page


def test_a_stale_page_shows_the_dossiers_current_state(world):
    code = _in_process(world)
    client = _client()
    seen = _version(code)
    assert (
        act(
            world, "specialist", code, "request_supplement", reason="Thiếu", items=[{"description": ITEM}]
        ).status_code
        == 200
    )

    response = client.post(
        reverse("portal:my-dossier-withdraw", args=[code]), {"version": seen, "reason": "Không cần nữa"}
    )

    assert response.status_code == 409
    page = response.content.decode()
    assert "The dossier changed while you were looking at it" in page
    assert "Waiting for documents from you" in page and ">Không cần nữa</textarea>" in page
    assert Dossier.objects.get(code=code).status == "supplement_requested"


def test_a_supplement_file_is_removed_and_no_upload_is_taken_when_none_is_awaited(world):
    code = _supplement_requested(world)
    client = _client()
    _upload(client, code, 0)
    remove = reverse("portal:my-dossier-supplement-remove", args=[code, 0])
    removed = client.post(remove, headers={"Accept": "application/json"})
    assert removed.status_code == 200 and "bo-sung-0.pdf" not in removed.json()["html"]
    assert not SupplementUpload.objects.exists()
    no_such_item = reverse("portal:my-dossier-supplement-remove", args=[code, 7])
    assert client.post(no_such_item, headers={"Accept": "application/json"}).status_code == 404

    other = _in_process(world)
    refused = _upload(client, other, 0)
    assert refused.status_code == 409 and "No supplement is awaited" in refused.json()["error"]
