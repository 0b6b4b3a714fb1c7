"""Citizen accounts: sign-up rules, e-mail verification and who may sign in with what."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.utils import timezone

from motcua.core.errors import InvalidInput
from motcua.org.accounts import (
    SignUp,
    awaiting_verification,
    awaiting_verification_by_email,
    normalize_phone,
    sign_up,
    verification_link,
    verify_email,
)
from motcua.org.models import CitizenProfile
from motcua.org.services import create_citizen, create_staff

PASSWORD = "mật-khẩu-2026"


def _sign_up(**overrides: str) -> CitizenProfile:
    data = {
        "full_name": "Lê Thị Hoa",
        "id_number": "001190000123",
        "email": "hoa@example.vn",
        "password": PASSWORD,
        "phone": "0912345678",
    }
    data.update(overrides)
    return sign_up(SignUp(**data))


def _verified(profile: CitizenProfile) -> CitizenProfile:
    link = verification_link(profile)
    return verify_email(link.uidb64, link.token).profile


def _fields(error: InvalidInput) -> set[str]:
    return {problem.field for problem in error.errors}


@pytest.mark.parametrize(
    ("text", "normal"),
    [("0912345678", "0912345678"), ("+84 912 345 678", "0912345678"), ("84912345678", "0912345678"),
     ("091.234.5678", "0912345678"), ("(024) 3825 1234", "02438251234")],
)  # fmt: skip
def test_phone_numbers_have_one_spelling(text, normal):
    assert normalize_phone(text) == normal


def test_sign_up_creates_an_account_that_cannot_sign_in_until_verified(db):
    profile = _sign_up()
    assert authenticate(username="hoa@example.vn", password=PASSWORD) is None
    assert awaiting_verification("hoa@example.vn", PASSWORD) == profile.user

    _verified(profile)

    assert authenticate(username="hoa@example.vn", password=PASSWORD) == profile.user
    assert authenticate(username="0912345678", password=PASSWORD) == profile.user
    assert authenticate(username="hoa@example.vn", password="wrong") is None
    assert awaiting_verification("hoa@example.vn", PASSWORD) is None


def test_every_problem_is_reported_at_once_and_nothing_is_written(db):
    create_citizen("someone", "001190000123", email="taken@example.vn")
    users = User.objects.count()
    with pytest.raises(InvalidInput) as caught:
        _sign_up(full_name=" ", email="not an address", phone="123", password="short")
    assert _fields(caught.value) == {"full_name", "email", "phone", "password", "id_number"}
    assert User.objects.count() == users


def test_an_address_is_taken_whatever_its_case(db):
    _sign_up()
    with pytest.raises(InvalidInput) as caught:
        _sign_up(id_number="001190000999", email="HOA@Example.VN", phone="")
    assert _fields(caught.value) == {"email"}


def test_a_staff_username_cannot_be_taken_as_an_address(world):
    create_staff("officer@example.vn", world.centre.identity_code, "counter_officer", password="pw-12345678")
    with pytest.raises(InvalidInput) as caught:
        _sign_up(email="officer@example.vn")
    assert _fields(caught.value) == {"email"}
    assert not hasattr(User.objects.get(username="officer@example.vn"), "citizen")


def test_the_verification_link_expires(db, settings):
    profile = _sign_up()
    link = verification_link(profile)
    # A day beyond the limit: the token generator counts in naive local time, which travelling may shift.
    later = timezone.now() + dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT) + dt.timedelta(days=1)
    with time_machine.travel(later), pytest.raises(InvalidInput):
        verify_email(link.uidb64, link.token)
    assert CitizenProfile.objects.get(pk=profile.pk).email_verified_at is None


def test_a_link_sent_to_an_earlier_address_stops_working(db):
    profile = _sign_up()
    link = verification_link(profile)
    User.objects.filter(pk=profile.user_id).update(email="new@example.vn")
    with pytest.raises(InvalidInput):
        verify_email(link.uidb64, link.token)


def test_a_new_link_goes_only_to_an_unverified_address(db):
    profile = _sign_up()
    assert awaiting_verification_by_email("HOA@example.vn") == profile
    _verified(profile)
    assert awaiting_verification_by_email("hoa@example.vn") is None
    assert awaiting_verification_by_email("nobody@example.vn") is None


def test_staff_sign_in_by_username_and_never_by_address(world):
    officer = User.objects.get(username="counter")
    officer.email = "counter@example.vn"
    officer.save()
    assert authenticate(username="counter", password="pw-12345678") == officer
    assert authenticate(username="counter@example.vn", password="pw-12345678") is None


def test_an_inactive_account_never_signs_in(db):
    profile = _verified(_sign_up())
    User.objects.filter(pk=profile.user_id).update(is_active=False)
    assert authenticate(username="hoa@example.vn", password=PASSWORD) is None
    assert awaiting_verification("hoa@example.vn", PASSWORD) is None


def test_a_verified_citizen_may_also_use_their_username(world):
    CitizenProfile.objects.filter(user__username="citizen").update(email_verified_at=timezone.now())
    assert authenticate(username="citizen", password="pw-12345678").username == "citizen"
    assert authenticate(username="stranger", password="pw-12345678") is None  # not verified


def test_a_session_opened_for_a_citizen_survives_without_verification(world, client):
    # Sign-in waits for the address; a session opened otherwise (an identity provider, tests) stays open.
    client.force_login(User.objects.get(username="citizen"))
    assert client.session["_auth_user_id"]
    assert client.get("/").wsgi_request.user.username == "citizen"


def test_demo_citizens_sign_in_at_once_with_their_address(db):
    from motcua.demo.loader import DEMO_PASSWORD, load_demo

    load_demo()
    assert authenticate(username="congdan@example.com", password=DEMO_PASSWORD).username == "congdan"
    assert authenticate(username="congdan2", password=DEMO_PASSWORD) is not None
