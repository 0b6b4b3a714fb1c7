"""Officers sign in to the back office; citizens are told it is not for them, and every page checks it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from motcua.org.models import CitizenProfile

PASSWORD = "pw-12345678"  # the world fixture's


@pytest.fixture
def verified_citizen(world) -> User:
    profile = CitizenProfile.objects.select_related("user").get(user__username="citizen")
    profile.email_verified_at = timezone.now()
    profile.save(update_fields=["email_verified_at"])
    return profile.user


def sign_in(client: Client, username: str, password: str = PASSWORD, next_page: str = ""):
    return client.post(
        "/office/login/",
        {"username": username, "password": password, "next": next_page},
        headers={"Accept-Language": "en"},
    )


def test_anonymous_visitors_are_sent_to_the_staff_sign_in(db):
    response = Client().get("/office/")
    assert response.status_code == 302
    assert response["Location"] == "/office/login/?next=/office/"
    page = Client().get("/office/login/?next=/office/", headers={"Accept-Language": "en"})
    html = page.content.decode()
    assert page.status_code == 200 and "Officer sign-in" in html
    assert '<label for="id_username">' in html and '<label for="id_password">' in html


def test_an_officer_signs_in_to_the_inbox_or_where_they_were_going(world):
    client = Client()
    response = sign_in(client, "leader")
    assert response.status_code == 302 and response["Location"] == "/office/"
    assert client.get("/office/").status_code == 200

    other = Client()
    response = sign_in(other, "counter", next_page="/office/tracking-book/")
    assert response["Location"] == "/office/tracking-book/"


def test_a_wrong_password_is_shown_on_the_form(world):
    response = sign_in(Client(), "leader", password="wrong-password")
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and "correct username and password" in html


def test_a_citizen_who_signs_in_here_is_told_the_area_is_for_officers(verified_citizen):
    client = Client()
    response = sign_in(client, "citizen")
    html = response.content.decode()
    assert response.status_code == 403
    assert "This area is for officers" in html and 'href="/"' in html
    assert "_auth_user_id" not in client.session  # not signed in by the back office


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/office/"), ("get", "/office/tracking-book/"), ("post", "/office/bulk/")],
)
def test_a_signed_in_citizen_is_refused_from_every_page(verified_citizen, method, path):
    client = Client()
    client.force_login(verified_citizen)
    response = getattr(client, method)(path, headers={"Accept-Language": "en"})
    assert response.status_code == 403
    assert "This area is for officers" in response.content.decode()


def test_signing_out_returns_to_the_sign_in_page(world):
    client = Client()
    sign_in(client, "leader")
    response = client.post("/office/logout/")
    assert response.status_code == 302 and response["Location"] == "/office/login/"
    assert client.get("/office/").status_code == 302


@pytest.mark.parametrize("path", ["/office/login/", "/admin/login/"])
def test_sign_in_pages_carry_the_site_name_not_the_host(db, client, settings, path):
    settings.MOTCUA_SITE_NAME = "Cổng Dịch vụ công Hà Nội"
    settings.ALLOWED_HOSTS = ["dvc.example.vn"]  # a deployment names its host; "*" is no longer the default
    page = client.get(path, HTTP_HOST="dvc.example.vn").content.decode()
    assert "Cổng Dịch vụ công Hà Nội" in page
    assert "dvc.example.vn" not in page
