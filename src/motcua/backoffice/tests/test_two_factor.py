"""Two-factor sign-in for staff (issue 10, "Two-factor sign-in for staff"): enrolment with a QR code and
recovery codes, the code after the password on the staff sign-in and the admin, a required user kept out of
everything until enrolled, recovery codes used once, reset by the user (password re-entered) or an admin, and
the API token endpoint asking for the code. None of this existed before issue 10."""

from __future__ import annotations

import re
import time

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.org import twofactor

PASSWORD = "pw-12345678"  # the world fixture's
EN = {"Accept-Language": "en"}
REQUIRED = frozenset({"admin", "unit_leader", "auditor"})


@pytest.fixture
def required_roles(settings):
    settings.MOTCUA_2FA_REQUIRED_ROLES = REQUIRED


def code_for(user: User, step_offset: int = 0) -> str:
    device = TOTPDevice.objects.get(user=user)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0 - step_offset * device.step):06d}"


class _next_step:
    """TOTP refuses a code of a time step already used (the one enrolment took): move to the next step."""

    def __enter__(self):
        self._travel = time_machine.travel(time.time() + 30, tick=True)
        self._travel.start()

    def __exit__(self, *exc):
        self._travel.stop()


def sign_in(client: Client, username: str, password: str = PASSWORD, next_page: str = ""):
    data = {"username": username, "password": password, "next": next_page}
    return client.post("/office/login/", data, headers=EN)


def enrol(client: Client, user: User) -> list[str]:
    page = client.get("/office/two-factor/enrol/", headers=EN)
    assert page.status_code == 200 and "<svg" in page.content.decode()
    response = client.post("/office/two-factor/enrol/", {"code": code_for(user)}, headers=EN)
    assert response.status_code == 200, response.content
    return re.findall(r"<li><code>([a-z2-7]+)</code></li>", response.content.decode())


def test_a_required_user_cannot_reach_the_inbox_before_enrolling(world, required_roles):
    client = Client()
    response = sign_in(client, "leader")
    assert response["Location"] == "/office/"
    blocked = client.get("/office/")
    assert blocked.status_code == 302 and blocked["Location"].startswith("/office/two-factor/enrol/")
    assert client.get("/office/tracking-book/")["Location"].startswith("/office/two-factor/enrol/")
    api = client.get("/api/v1/dossiers")
    assert api.status_code == 401 and api.json()["type"] == "urn:motcua:problem:second-factor-required"

    leader = User.objects.get(username="leader")
    codes = enrol(client, leader)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/office/").status_code == 200


def test_an_enrolled_user_needs_the_code_after_the_password(world, required_roles):
    leader = User.objects.get(username="leader")
    first = Client()
    sign_in(first, "leader")
    enrol(first, leader)

    client = Client()
    sign_in(client, "leader", next_page="/office/tracking-book/")
    gate = client.get("/office/tracking-book/")
    assert gate["Location"].startswith("/office/two-factor/verify/")
    wrong = client.post("/office/two-factor/verify/", {"code": "000000"}, headers=EN)
    assert wrong.status_code == 200 and "This code is not right" in wrong.content.decode()
    assert client.get("/office/").status_code == 302
    with _next_step():
        right = client.post(
            "/office/two-factor/verify/", {"code": code_for(leader), "next": "/office/tracking-book/"}
        )
    assert right.status_code == 302 and right["Location"] == "/office/tracking-book/"
    assert client.get("/office/").status_code == 200


def test_a_recovery_code_works_once(world, required_roles):
    leader = User.objects.get(username="leader")
    first = Client()
    sign_in(first, "leader")
    codes = enrol(first, leader)

    client = Client()
    sign_in(client, "leader")
    response = client.post("/office/two-factor/verify/", {"code": codes[0].upper()}, headers=EN)
    assert response.status_code == 302
    assert client.get("/office/").status_code == 200
    assert StaticToken.objects.filter(device__user=leader).count() == 9

    again = Client()
    sign_in(again, "leader")
    reused = again.post("/office/two-factor/verify/", {"code": codes[0]}, headers=EN)
    assert reused.status_code == 200 and "already used" in reused.content.decode()
    assert again.get("/office/").status_code == 302


def test_the_admin_asks_for_the_second_factor_too(world, required_roles):
    root = User.objects.create_superuser("root", "root@example.vn", PASSWORD)
    client = Client()
    client.post("/admin/login/?next=/admin/", {"username": "root", "password": PASSWORD, "next": "/admin/"})
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/office/two-factor/enrol/")
    enrol(client, root)
    assert client.get("/admin/").status_code == 200


def test_optional_outside_the_required_roles(world):
    client = Client()
    sign_in(client, "counter")
    assert client.get("/office/").status_code == 200
    manage = client.get("/office/two-factor/", headers=EN)
    assert "Two-factor sign-in is off" in manage.content.decode()
    enrol(client, User.objects.get(username="counter"))
    assert twofactor.enrolled(User.objects.get(username="counter"))


def test_turning_it_off_asks_for_the_password(world):
    counter = User.objects.get(username="counter")
    client = Client()
    sign_in(client, "counter")
    enrol(client, counter)
    wrong = client.post("/office/two-factor/", {"password": "not-mine", "action": "remove"}, headers=EN)
    assert wrong.status_code == 200 and "This is not your password" in wrong.content.decode()
    assert twofactor.enrolled(counter)
    right = client.post("/office/two-factor/", {"password": PASSWORD, "action": "remove"})
    assert right.status_code == 302 and not twofactor.enrolled(counter)


def test_an_admin_resets_someones_lost_phone(world, required_roles):
    leader = User.objects.get(username="leader")
    first = Client()
    sign_in(first, "leader")
    enrol(first, leader)
    admin = Client()
    root = User.objects.create_superuser("root", "root@example.vn", PASSWORD)
    admin.force_login(root)
    enrol(admin, root)  # the admin holds the admin role: no admin page before their own second factor
    response = admin.post(
        "/admin/auth/user/", {"action": "reset_second_factor", "_selected_action": [leader.pk]}, headers=EN
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=leader).exists()
    client = Client()
    sign_in(client, "leader")
    assert client.get("/office/")["Location"].startswith("/office/two-factor/enrol/")


def test_the_api_token_needs_the_code_of_an_enrolled_user(world, required_roles):
    leader = User.objects.get(username="leader")
    api = Client()
    must_enrol = api.post(
        "/api/v1/auth/token", {"username": "leader", "password": PASSWORD}, content_type="application/json"
    )
    assert must_enrol.status_code == 403

    first = Client()
    sign_in(first, "leader")
    enrol(first, leader)
    without = api.post(
        "/api/v1/auth/token", {"username": "leader", "password": PASSWORD}, content_type="application/json"
    )
    assert without.status_code == 401 and without.json()["errors"][0]["field"] == "otp"
    with _next_step():
        body = {"username": "leader", "password": PASSWORD, "otp": code_for(leader)}
        response = api.post("/api/v1/auth/token", body, content_type="application/json")
    assert response.status_code == 201 and response.json()["token"]


def test_wrong_codes_count_as_failed_sign_ins_and_lock_the_account(world, required_roles):
    leader = User.objects.get(username="leader")
    first = Client()
    sign_in(first, "leader")
    enrol(first, leader)

    client = Client()
    sign_in(client, "leader")
    for _ in range(4):
        assert client.post("/office/two-factor/verify/", {"code": "000000"}).status_code == 200
    locked = client.post("/office/two-factor/verify/", {"code": "000000"}, headers=EN)
    assert locked.status_code == 429 and "try again in 15 minutes" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    again = sign_in(Client(), "leader")
    assert again.status_code == 429
