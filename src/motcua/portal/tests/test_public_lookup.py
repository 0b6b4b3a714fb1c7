"""The public lookup page (the QR target): the status of a dossier for anyone holding its code and its lookup
key, nothing without the key, and nothing that names or reaches the applicant."""

from __future__ import annotations

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from motcua.conftest import CITIZEN_ID, VALID_FORM, act, post_json
from motcua.dossiers.models import Dossier

MONDAY_9 = "2026-03-02T09:00:00+07:00"
# Everything personal the dossier below holds; none of it may appear on the page.
PERSONAL = [
    "Nguyễn Thị Mai",
    "N*** T** Mai",
    CITIZEN_ID,
    "0912345678",
    "mai@example.vn",
    "Phố Huế",
    VALID_FORM["child_name"],
    "Trần Văn Bình",
    "001085000111",
]


@pytest.fixture(autouse=True)
def _monday_morning():
    with time_machine.travel(MONDAY_9, tick=False):
        yield


@pytest.fixture
def english() -> Client:
    return Client(headers={"Accept-Language": "en"})


def _received(world) -> str:
    representative = {"full_name": "Trần Văn Bình", "id_number": "001085000111"}
    body = world.intake_body("counter", representative=representative)
    response = post_json(world.client("counter"), "/api/v1/dossiers", body)
    assert response.status_code == 201, response.content
    return response.json()["code"]


def _result(client: Client, code: str, key: str | None = None):
    key = Dossier.objects.get(code=code).lookup_key if key is None else key
    return client.get(reverse("portal:lookup-code", args=[code]), {"key": key})


def _assert_nothing_personal(page: str) -> None:
    for secret in PERSONAL:
        assert secret not in page, secret


def test_the_result_shows_status_procedure_dates_and_national_status(english, world):
    code = _received(world)

    response = _result(english, code)

    assert response.status_code == 200
    page = response.content.decode()
    assert code in page
    assert "Received" in page
    assert "Đăng ký khai sinh" in page
    assert "Trung tâm Phục vụ hành chính công" in page
    assert "March 2, 2026" in page  # received
    assert "March 5, 2026" in page  # the appointment, three working days later
    assert "National status code" in page and "<dd>2</dd>" in page
    _assert_nothing_personal(page)


@pytest.mark.parametrize("username", [None, "citizen", "counter"])
def test_nothing_personal_is_shown_whoever_looks(world, username):
    code = _received(world)
    client = Client()
    if username:
        client.force_login(User.objects.get(username=username))
    page = _result(client, code).content.decode()
    _assert_nothing_personal(page)


def test_a_stopped_dossier_shows_when_it_finished(english, world):
    code = _received(world)
    assert act(world, "counter", code, "forward").status_code == 200
    assert (
        act(world, "leader", code, "stop", reason="Giấy chứng sinh của bà Mai bị tẩy xóa").status_code == 200
    )

    page = _result(english, code).content.decode()

    assert "Stopped" in page and "Finished on" in page
    assert "tẩy xóa" not in page
    _assert_nothing_personal(page)


def test_the_form_sends_a_typed_code_and_key_to_the_result_page(client, world):
    code = _received(world)
    key = Dossier.objects.get(code=code).lookup_key
    typed_key = f" {key[:4].lower()}-{key[4:]} "
    response = client.get(reverse("portal:lookup"), {"code": f"  {code.lower()} ", "key": typed_key})
    assert response.status_code == 302
    assert response.url == reverse("portal:lookup-code", args=[code]) + f"?key={key}"
    assert client.get(response.url).status_code == 200


def test_the_form_asks_for_the_lookup_key(english, world):
    code = _received(world)
    response = english.get(reverse("portal:lookup"), {"code": code})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter the lookup key printed on your receipt" in page
    assert 'aria-describedby="key_helptext key_error"' in page


def test_the_form_asks_for_a_code_when_none_is_given(english, world):
    response = english.get(reverse("portal:lookup"), {"code": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter the dossier code" in page
    assert 'aria-invalid="true"' in page and 'aria-describedby="code_helptext code_error"' in page


@pytest.mark.parametrize("code", ["a/b", "<script>alert(1)</script>", "x" * 300, "000.00.01.H26 260302 0001"])
def test_a_malformed_code_is_explained_never_an_error(english, world, code):
    response = english.get(reverse("portal:lookup"), {"code": code})
    assert response.status_code == 400
    page = response.content.decode()
    assert "A dossier code is made of letters, digits, dots and hyphens" in page
    assert "<script>alert" not in page


@pytest.mark.parametrize("code", ["000.00.01.H26-260302-9999", "x", "000.00.01.H26", "%3Cb%3E", "%E2%98%85"])
def test_an_unknown_code_says_so_with_404(english, world, code):
    _received(world)  # 000.00.01.H26-260302-0001 exists; none of these is its code
    response = english.get(f"/lookup/{code}/", {"key": "ABCDEFGH"})
    assert response.status_code == 404
    page = response.content.decode()
    assert "No dossier has this code and lookup key" in page
    assert "<b>" not in page
    _assert_nothing_personal(page)


def test_the_lookup_page_is_public(client, world):
    assert client.get(reverse("portal:lookup")).status_code == 200


def test_walking_the_day_s_codes_without_the_key_reads_nothing(english, world):
    """Finding 8: today /lookup/CODE/ shows the procedure of any dossier to whoever walks a day's codes."""
    code = _received(world)
    other = _received(world)
    assert code[:-4] == other[:-4]  # sequential codes of the day

    for response in (
        english.get(reverse("portal:lookup-code", args=[code])),
        english.get(reverse("portal:lookup-code", args=[code]), {"key": "ABCDEFGH"}),
        _result(english, code, key=Dossier.objects.get(code=other).lookup_key),
    ):
        page = response.content.decode()
        assert response.status_code in (200, 404)
        assert "Đăng ký khai sinh" not in page and "Received" not in page
        assert "Trung tâm Phục vụ hành chính công" not in page
        _assert_nothing_personal(page)
    # A known code and an unknown one read the same: nothing tells which codes exist.
    known = english.get(reverse("portal:lookup-code", args=[code]), {"key": "ABCDEFGH"}).content.decode()
    unknown = english.get(f"/lookup/{code[:-4]}9999/", {"key": "ABCDEFGH"}).content.decode()

    def main(page: str) -> str:
        return page[page.index("<main") : page.index("</main>")]

    assert main(known).replace(code, "X") == main(unknown).replace(f"{code[:-4]}9999", "X")


def test_lookups_are_limited_per_client_address(english, world, settings):
    """Finding 8: today nothing limits how many codes one address may try."""
    settings.MOTCUA_LOOKUP_LIMIT = 3
    code = _received(world)
    for _ in range(3):
        assert english.get(f"/lookup/{code}/", {"key": "ABCDEFGH"}).status_code == 404

    refused = _result(english, code)  # even the right key, once over the limit

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Too many requests from your address" in refused.content.decode()
    other_address = Client(headers={"Accept-Language": "en"}, REMOTE_ADDR="10.1.2.3")
    assert _result(other_address, code).status_code == 200


def test_the_client_address_comes_from_the_trusted_proxy_header_only_when_configured(
    english, world, settings
):
    settings.MOTCUA_LOOKUP_LIMIT = 1
    code = _received(world)
    first = Client(headers={"X-Real-IP": "203.0.113.1"})
    second = Client(headers={"X-Real-IP": "203.0.113.2"})
    assert _result(first, code).status_code == 200
    assert _result(second, code).status_code == 429  # the header is ignored: both come from 127.0.0.1
    settings.MOTCUA_TRUSTED_PROXY_HEADER = "X-Real-IP"
    assert _result(second, code).status_code == 200
