"""My dossiers: drafts first, then the citizen's own dossiers with their status in plain words and what is
expected of them; one dossier's history without officers' names or internal notes; nobody else's dossier."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from motcua.conftest import PDF_BYTES, act, post_json
from motcua.dossiers.lifecycle import ACTIONS, Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.services.feedback import add_note
from motcua.portal.my_dossiers import (
    CITIZEN_STATUS,
    EXPECTED_TEXT,
    INTERNAL_ACTIONS,
    TIMELINE_TITLES,
    Expected,
)


def _client(username: str) -> Client:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(User.objects.get(username=username))
    return client


def online_dossier(world, username: str = "citizen", **overrides) -> str:
    body = world.intake_body(
        username, channel="online", receiving_unit=world.centre.identity_code, **overrides
    )
    response = post_json(world.client(username), "/api/v1/dossiers", body)
    assert response.status_code == 201, response.content
    return response.json()["code"]


def _detail(username: str, code: str) -> str:
    response = _client(username).get(reverse("portal:my-dossier", args=[code]))
    assert response.status_code == 200
    return response.content.decode()


def test_every_status_and_action_has_words_for_the_applicant_or_is_kept_internal():
    assert CITIZEN_STATUS.keys() == set(Status.values)
    assert ACTIONS.keys() <= TIMELINE_TITLES.keys() | INTERNAL_ACTIONS
    assert EXPECTED_TEXT.keys() == set(Expected)


def test_drafts_come_first_then_only_my_dossiers_newest_first(world):
    older = online_dossier(world)
    newer = online_dossier(world)
    theirs = online_dossier(world, "stranger")
    client = _client("citizen")
    client.get(reverse("portal:apply", args=[world.procedure.local_code]), {"case": "standard"})

    page = client.get(reverse("portal:my-dossiers")).content.decode()

    assert page.index("Applications not yet submitted") < page.index("Submitted dossiers")
    assert "Đăng ký khai sinh" in page and ">Continue<" in page
    assert page.index(newer) < page.index(older)
    assert theirs not in page
    assert "Sent; waiting for an officer to check it" in page
    assert "Nothing for now: the agency is working on it" in page


def test_an_officer_sees_none_of_the_dossiers_in_their_scope_among_their_own(world):
    code = online_dossier(world)
    page = _client("counter").get(reverse("portal:my-dossiers")).content.decode()
    assert code not in page
    assert _client("counter").get(reverse("portal:my-dossier", args=[code])).status_code == 404


def test_another_citizens_dossier_is_not_found(world):
    code = online_dossier(world)
    document = Dossier.objects.get(code=code).documents.get()
    stranger = _client("stranger")
    assert stranger.get(reverse("portal:my-dossier", args=[code])).status_code == 404
    assert stranger.get(reverse("portal:my-dossier-file", args=[code, document.file_id])).status_code == 404
    assert stranger.get(reverse("portal:my-dossier-withdraw", args=[code])).status_code == 404
    assert (
        stranger.post(reverse("portal:my-dossier-rate", args=[code]), {"score": "satisfied"}).status_code
        == 404
    )
    assert stranger.get(reverse("portal:my-dossier", args=["NO-SUCH-CODE"])).status_code == 404
    mine = _client("citizen").get(reverse("portal:my-dossier-file", args=[code, document.file_id]))
    assert mine.status_code == 200 and b"".join(mine.streaming_content) == PDF_BYTES


def test_the_history_is_in_plain_words_without_officers_or_internal_notes(world):
    code = online_dossier(world)
    assert act(world, "counter", code, "accept").status_code == 200
    assert act(world, "counter", code, "forward").status_code == 200
    assert act(world, "specialist", code, "forward", note="Hồ sơ đủ điều kiện").status_code == 200
    assert act(world, "leader", code, "send_back", note="Ghi chú nội bộ: kiểm tra lại").status_code == 200
    add_note(User.objects.get(username="specialist"), code, "Ghi chú riêng của cán bộ")

    page = _detail("citizen", code)

    assert "You submitted the dossier online." in page
    assert "The dossier was received." in page
    assert "The dossier moved on to the next step." in page and "Sở Tư pháp" in page
    assert "Appointment date:" in page
    for hidden in ("Ghi chú nội bộ", "Ghi chú riêng", "Hồ sơ đủ điều kiện", "specialist", "leader"):
        assert hidden not in page
    assert "Being processed" in page


def test_a_payment_request_says_the_amount_and_where_to_pay(world):
    code = online_dossier(world)
    act(world, "counter", code, "accept")
    assert act(world, "counter", code, "request_payment", amount=50000).status_code == 200

    page = _detail("citizen", code)

    assert "Waiting for your payment" in page
    assert "50,000 đ" in page
    assert "Trung tâm Phục vụ hành chính công" in page
    assert "Paying online is not available on this portal yet." in page


def _ready(world, code: str, **result) -> None:
    for username, action, fields in [
        ("counter", "accept", {}),
        ("counter", "forward", {}),
        ("leader", "issue_result", {"result_number": "12/KS", **result}),
    ]:
        assert act(world, username, code, action, **fields).status_code == 200, action


def test_a_result_at_the_counter_is_ready_for_pickup_there(world):
    code = online_dossier(world)
    _ready(world, code)
    page = _detail("citizen", code)
    assert "Result ready" in page
    assert "Your result is ready for pickup at Trung tâm Phục vụ hành chính công." in page


def test_an_electronic_result_is_downloaded_by_its_applicant_only(world):
    code = online_dossier(world, result_delivery="online")
    result = world.upload("leader", name="giay-khai-sinh.pdf")
    _ready(world, code, result_file=result)

    page = _detail("citizen", code)

    download = reverse("portal:my-dossier-file", args=[code, result])
    assert "Download the result" in page and download in page
    response = _client("citizen").get(download)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert _client("stranger").get(download).status_code == 404


def test_a_request_to_complete_an_online_submission_says_what_and_where(world):
    code = online_dossier(world)
    items = [{"description": "Tờ khai có chữ ký", "requirement": "Bản chính"}]
    assert (
        act(world, "counter", code, "request_fix", reason="Tờ khai chưa ký", items=items).status_code == 200
    )

    page = _detail("citizen", code)

    assert "asked you to complete your dossier" in page
    assert "Tờ khai chưa ký" in page and "Tờ khai có chữ ký — Bản chính" in page
    listing = _client("citizen").get(reverse("portal:my-dossiers")).content.decode()
    assert "Complete your dossier as the counter asked" in listing


def test_the_list_costs_the_same_queries_for_two_dossiers_in_process_as_for_four(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for_the_list() -> int:
        client = _client("citizen")
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("portal:my-dossiers")).status_code == 200
        return len(captured.captured_queries)

    def in_process() -> None:
        code = online_dossier(world)
        for username, action in [("counter", "accept"), ("counter", "forward")]:
            assert act(world, username, code, action).status_code == 200

    in_process()
    in_process()
    with_two = queries_for_the_list()
    in_process()
    in_process()
    assert queries_for_the_list() == with_two


def test_the_applicant_sees_the_lookup_key_to_share(world):
    code = online_dossier(world)
    assert Dossier.objects.get(code=code).lookup_key in _detail("citizen", code)
