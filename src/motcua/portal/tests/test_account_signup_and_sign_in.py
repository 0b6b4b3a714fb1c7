"""Sign-up, the verification e-mail, sign-in by e-mail, phone or username, and sign-out."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from motcua.conftest import CITIZEN_ID
from motcua.org.models import CitizenProfile

PASSWORD = "mật-khẩu-2026"
NEW_ID = "001190000123"


@pytest.fixture
def english() -> Client:
    return Client(headers={"Accept-Language": "en"})


def _sign_up(client: Client, **overrides: str):
    data = {
        "full_name": "Lê Thị Hoa",
        "id_number": NEW_ID,
        "email": "Hoa.Le@Example.vn",
        "phone": "0912 345 678",
        "password": PASSWORD,
        "password_confirmation": PASSWORD,
    }
    data.update(overrides)
    return client.post(reverse("portal:signup"), data)


def _sign_in(client: Client, username: str, password: str = PASSWORD, **extra: str):
    return client.post(reverse("portal:login"), {"username": username, "password": password, **extra})


def _verification_path(message) -> str:
    match = re.search(r"http://localhost:8000(/account/verify/[^/\s]+/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def _signed_in_as(client: Client) -> str | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id).username if user_id else None


def test_sign_up_sends_a_link_that_activates_sign_in_by_email_and_phone(english, db, mailoutbox):
    response = _sign_up(english)

    assert response.status_code == 302
    assert response.url == reverse("portal:verify-email-sent")
    profile = CitizenProfile.objects.select_related("user").get(id_number=NEW_ID)
    assert profile.user.email == "hoa.le@example.vn"
    assert profile.user.get_full_name() == "Lê Thị Hoa"
    assert profile.phone == "0912345678"
    assert profile.email_verified_at is None
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["hoa.le@example.vn"]
    assert "hoa.le@example.vn" in english.get(response.url).content.decode()

    verified = english.get(_verification_path(mailoutbox[0]))

    assert verified.status_code == 200
    assert "you can sign in now" in verified.content.decode()
    profile.refresh_from_db()
    assert profile.email_verified_at is not None

    by_email = _sign_in(english, "HOA.LE@example.vn")
    assert by_email.status_code == 302
    assert by_email.url == reverse("portal:my-dossiers")
    assert _signed_in_as(english) == "hoa.le@example.vn"

    assert english.post(reverse("portal:logout")).status_code == 302
    assert _signed_in_as(english) is None

    by_phone = _sign_in(english, "+84 912 345 678")
    assert by_phone.status_code == 302
    assert _signed_in_as(english) == "hoa.le@example.vn"


def test_sign_in_is_refused_before_verification_with_a_way_to_get_a_new_link(english, db, mailoutbox):
    _sign_up(english)

    response = _sign_in(english, "hoa.le@example.vn")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Your e-mail address is not verified yet" in page
    assert "hoa.le@example.vn" in page
    assert reverse("portal:verify-email-resend") in page
    assert _signed_in_as(english) is None


def test_a_wrong_password_says_the_same_whether_or_not_the_account_exists(english, db, mailoutbox):
    _sign_up(english)

    unverified_wrong = _sign_in(english, "hoa.le@example.vn", "not-the-password").content.decode()
    nobody = _sign_in(english, "nobody@example.vn", "not-the-password").content.decode()

    for page in (unverified_wrong, nobody):
        assert "The sign-in name or the password is not right" in page
        assert "not verified" not in page
    assert _signed_in_as(english) is None


def test_a_new_link_can_be_asked_for_and_works(english, db, mailoutbox):
    _sign_up(english)
    response = english.post(reverse("portal:verify-email-resend"), {"email": "hoa.le@example.vn"})
    assert response.status_code == 302
    assert len(mailoutbox) == 2
    assert english.get(_verification_path(mailoutbox[1])).status_code == 200
    assert _sign_in(english, "hoa.le@example.vn").status_code == 302


def test_asking_for_a_link_for_an_unknown_address_sends_nothing_and_says_the_same(english, db, mailoutbox):
    response = english.post(
        reverse("portal:verify-email-resend"), {"email": "nobody@example.vn"}, follow=True
    )
    assert response.status_code == 200
    assert "If an account with this address is waiting for verification" in response.content.decode()
    assert mailoutbox == []


def test_a_tampered_link_verifies_nothing(english, db, mailoutbox):
    _sign_up(english)
    path = _verification_path(mailoutbox[0])
    response = english.get(path[:-3] + "xx/")
    assert response.status_code == 400
    assert "not valid or has expired" in response.content.decode()
    assert CitizenProfile.objects.get(id_number=NEW_ID).email_verified_at is None
    assert english.get("/account/verify/bm90LWEtbnVtYmVy/abc-def/").status_code == 400


def test_following_the_link_twice_says_it_is_already_verified(english, db, mailoutbox):
    _sign_up(english)
    path = _verification_path(mailoutbox[0])
    english.get(path)
    again = english.get(path)
    assert again.status_code == 200
    assert "already verified" in again.content.decode()


def test_after_sign_in_the_citizen_goes_to_a_safe_next_page_only(english, world):
    CitizenProfile.objects.filter(user__username="citizen").update(email_verified_at="2026-01-01T00:00Z")
    inside = _sign_in(english, "citizen", "pw-12345678", next="/procedures/?q=khai")
    assert inside.url == "/procedures/?q=khai"
    english.post(reverse("portal:logout"))
    outside = _sign_in(english, "citizen", "pw-12345678", next="https://evil.example/")
    assert outside.url == reverse("portal:my-dossiers")


def test_staff_sign_in_by_username_as_before(english, world):
    assert _sign_in(english, "counter", "pw-12345678").status_code == 302
    assert _signed_in_as(english) == "counter"


def test_logout_needs_a_post(english, world):
    english.force_login(User.objects.get(username="counter"))
    assert english.get(reverse("portal:logout")).status_code == 405
    assert _signed_in_as(english) == "counter"
    response = english.post(reverse("portal:logout"))
    assert response.url == reverse("portal:home")
    assert _signed_in_as(english) is None


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"id_number": CITIZEN_ID},
            "id_number",
            "An account already exists for this personal identification",
        ),
        ({"id_number": "12345"}, "id_number", "exactly 12 digits"),
        ({"id_number": "999190000123"}, "id_number", "not a province code"),
        ({"password_confirmation": "another-password"}, "password_confirmation", "are not the same"),
        ({"password": "short", "password_confirmation": "short"}, "password", "too short"),
        ({"email": "not-an-address"}, "email", "Enter an e-mail address"),
        ({"phone": "12345"}, "phone", "10 or 11 digits"),
        ({"full_name": ""}, "full_name", "required"),
    ],
)
def test_bad_sign_up_input_is_shown_by_its_field_and_creates_nothing(
    english, world, mailoutbox, overrides, field, message
):
    users_before = User.objects.count()

    response = _sign_up(english, **overrides)

    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="error-summary"' in page
    error = re.search(rf'<span class="error" id="id_{field}_error">(.*?)</span>', page, re.S)
    assert error and message in error.group(1), page
    assert re.search(rf'<input[^>]*aria-invalid="true"[^>]*id="id_{field}"', page)
    assert User.objects.count() == users_before
    assert mailoutbox == []
    # What was typed is kept, except the passwords.
    if field != "full_name":
        assert 'value="Lê Thị Hoa"' in page
    assert PASSWORD not in page


def test_an_address_or_phone_already_in_use_is_refused(english, db, mailoutbox):
    _sign_up(english)
    page = _sign_up(english, id_number="001190000999").content.decode()
    assert "This e-mail address already belongs to an account" in page
    assert "This phone number already belongs to an account" in page
    assert CitizenProfile.objects.count() == 1


def test_every_field_has_a_label(english, db):
    page = english.get(reverse("portal:signup")).content.decode()
    for field in ["full_name", "id_number", "email", "phone", "password", "password_confirmation"]:
        assert f'<label for="id_{field}">' in page


def test_an_empty_field_does_not_hide_the_other_problems(english, world):
    page = _sign_up(english, full_name="", id_number=CITIZEN_ID, email="").content.decode()
    assert re.search(r'id="id_full_name_error">[^<]*required', page)
    assert re.search(r'id="id_email_error">[^<]*required', page)
    assert re.search(r'id="id_id_number_error">[^<]*An account already exists', page)
    assert page.count('id="id_email_error"') == 1


def test_the_sign_in_page_carries_the_site_name_not_the_host(english, db, settings):
    settings.MOTCUA_SITE_NAME = "Cổng dịch vụ công Hà Nội"
    page = english.get(reverse("portal:login")).content.decode()
    assert '<span class="brand-text">Cổng dịch vụ công Hà Nội</span>' in page
