"""GET /lookup/{code}?key=: anyone holding the appointment slip (the code and its lookup key) sees where the
dossier is, and nothing personal; without the key, nothing at all."""

from __future__ import annotations

import json
import re

import pytest
import time_machine

from motcua.conftest import CITIZEN_ID, VALID_FORM, act, post_json
from motcua.dossiers.models import Dossier

MONDAY_9 = "2026-03-02T09:00:00+07:00"
REPRESENTATIVE = {"full_name": "Trần Văn Bình", "id_number": "001085000111", "phone": "0987000111"}
STOP_REASON = "Giấy chứng sinh của bà Mai bị tẩy xóa"
# Everything personal that goes into the dossiers below; none of it may ever come out of the lookup.
PERSONAL = [
    "Nguyễn Thị Mai", "Nguyễn", "Thị", CITIZEN_ID, "1990-05-04", "0912345678", "mai@example.vn", "Phố Huế",
    VALID_FORM["child_name"], VALID_FORM["child_birth_date"], *REPRESENTATIVE.values(), "0101234567",
    "Công ty", STOP_REASON,
]  # fmt: skip
PERSONAL_KEYS = {
    "id_number",
    "tax_code",
    "phone",
    "email",
    "address",
    "date_of_birth",
    "form",
    "representative",
}


@pytest.fixture(autouse=True)
def _monday_morning():
    with time_machine.travel(MONDAY_9, tick=False):
        yield


def _intake(world, username: str = "counter", **overrides) -> dict:
    response = post_json(world.client(username), "/api/v1/dossiers", world.intake_body(username, **overrides))
    assert response.status_code == 201, response.content
    return response.json()


def lookup(world, code: str, username: str | None = None, key: str | None = None):
    if key is None:
        found = Dossier.objects.filter(code=code).first()
        key = found.lookup_key if found else "ABCDEFGH"
    return world.client(username).get(f"/api/v1/lookup/{code}", {"key": key})


def assert_nothing_personal(response) -> None:
    parsed = response.json()
    # Both as sent and decoded, so that neither \u escapes nor a raw UTF-8 body can hide a value.
    for text in (response.content.decode(), json.dumps(parsed, ensure_ascii=False)):
        for secret in PERSONAL:
            assert secret not in text, secret
    assert not PERSONAL_KEYS & set(parsed)


def test_anyone_sees_status_procedure_and_dates_of_a_received_dossier(world):
    created = _intake(world, representative=REPRESENTATIVE)
    response = lookup(world, created["code"])
    assert response.status_code == 200, response.content
    shown = response.json()
    assert shown["code"] == created["code"]
    assert (shown["status"], shown["national_status"]) == ("received", 2)
    assert shown["procedure"] == world.procedure.local_code
    assert shown["procedure_name"] == "Đăng ký khai sinh"
    assert shown["received_at"] == created["received_at"] == "2026-03-02T09:00:00+07:00"
    assert shown["due_at"] == created["due_at"] == "2026-03-05T09:00:00+07:00"
    assert shown["finished_at"] is None
    assert_nothing_personal(response)


def test_applicant_name_is_masked_but_recognisable(world):
    shown = lookup(world, _intake(world)["code"]).json()["applicant"]
    assert re.fullmatch(r"N\*+ T\*+ Mai", shown), shown


@pytest.mark.parametrize("username", ["other_specialist", "stranger", "counter"])
def test_being_logged_in_shows_no_more(world, username):
    code = _intake(world, representative=REPRESENTATIVE)["code"]
    anonymous = lookup(world, code)
    as_user = lookup(world, code, username)
    assert as_user.status_code == 200
    assert as_user.json() == anonymous.json()
    assert_nothing_personal(as_user)


def test_organisation_shows_no_tax_code(world):
    applicant = {"kind": "organisation", "full_name": "Công ty TNHH Mai Hoa", "tax_code": "0101234567"}
    code = _intake(world, applicant=applicant)["code"]
    response = lookup(world, code)
    assert response.status_code == 200
    assert response.json()["applicant"] == "C*** t* T*** M** Hoa"
    assert_nothing_personal(response)


def test_online_submission_shows_submitted_with_no_dates_yet(world):
    created = _intake(world, "citizen", channel="online", result_delivery="online")
    response = lookup(world, created["code"])
    shown = response.json()
    assert (shown["status"], shown["national_status"]) == ("submitted", 1)
    assert shown["received_at"] is None and shown["due_at"] is None
    assert_nothing_personal(response)


def test_stopped_dossier_shows_when_it_finished_but_not_why(world):
    code = _intake(world)["code"]
    assert act(world, "counter", code, "forward").status_code == 200
    stopped = act(world, "leader", code, "stop", reason=STOP_REASON)
    assert stopped.status_code == 200, stopped.content
    response = lookup(world, code)
    shown = response.json()
    assert (shown["status"], shown["national_status"]) == ("stopped", 8)
    assert shown["finished_at"] == stopped.json()["finished_at"] is not None
    assert_nothing_personal(response)


def test_apology_shows_the_new_appointment(world):
    code = _intake(world)["code"]
    assert act(world, "counter", code, "forward").status_code == 200
    new_date = "2026-03-12T09:00:00+07:00"
    assert (
        act(world, "leader", code, "apologise", reason="Quá tải", new_appointment=new_date).status_code == 200
    )
    shown = lookup(world, code).json()
    assert shown["new_appointment_at"] == new_date
    assert shown["due_at"] == "2026-03-05T09:00:00+07:00"  # the original due date still decides lateness


@pytest.mark.parametrize(
    "code", ["000.00.01.H26-260302-9999", "000.00.01.h26-260302-0001", "x", "000.00.01.H26"]
)
def test_unknown_code_is_404(world, code):
    _intake(world)  # 000.00.01.H26-260302-0001 exists; none of these is its code
    response = lookup(world, code)
    assert response.status_code == 404, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["status"] == 404


def test_a_one_word_name_is_masked_too(world):
    """Finding 8: today a one-word applicant name is shown whole by the lookup."""
    applicant = {"kind": "organisation", "full_name": "Vinamilk", "tax_code": "0101234567"}
    code = _intake(world, applicant=applicant)["code"]
    shown = lookup(world, code).json()["applicant"]
    assert shown == "V*******"


def test_without_the_right_key_the_lookup_reads_nothing(world):
    """Finding 8: today GET /api/v1/lookup/{code} gives any dossier's procedure to whoever walks the codes."""
    code = _intake(world)["code"]
    other = _intake(world)["code"]

    missing = world.client(None).get(f"/api/v1/lookup/{code}")
    assert missing.status_code == 422
    assert [e["field"] for e in missing.json()["errors"]] == ["key"]
    wrong = lookup(world, code, key=Dossier.objects.get(code=other).lookup_key)
    unknown = lookup(world, code[:-4] + "9999", key="ABCDEFGH")
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json() == unknown.json()
    for response in (missing, wrong, unknown):
        assert "Đăng ký khai sinh" not in response.content.decode()
    assert lookup(world, code, key=Dossier.objects.get(code=code).lookup_key.lower()).status_code == 200


def test_the_api_lookup_is_limited_per_client_address(world, settings):
    """Finding 8: today nothing limits the walk."""
    settings.MOTCUA_LOOKUP_LIMIT = 2
    code = _intake(world)["code"]
    assert lookup(world, code).status_code == 200
    assert lookup(world, code, key="ABCDEFGH").status_code == 404
    refused = lookup(world, code)
    assert refused.status_code == 429
    assert refused["Content-Type"].startswith("application/problem+json")
    assert int(refused["Retry-After"]) > 0
