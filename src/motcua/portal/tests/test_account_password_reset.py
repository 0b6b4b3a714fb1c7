"""Password reset by e-mail, with Django's views and the portal's pages."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from motcua.org.models import CitizenProfile
from motcua.org.services import create_citizen

NEW_PASSWORD = "mật-khẩu-mới-2026"


@pytest.fixture
def english() -> Client:
    return Client(headers={"Accept-Language": "en"})


@pytest.fixture
def citizen(db) -> CitizenProfile:
    profile = create_citizen("hoa", "001190000123", "old-password", "Lê Thị Hoa", email="hoa@example.vn")
    CitizenProfile.objects.filter(pk=profile.pk).update(email_verified_at=timezone.now())
    return profile


def _reset_path(message) -> str:
    match = re.search(r"http://localhost:8000(/account/password-reset/[^/\s]+/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_a_reset_link_is_mailed_and_sets_a_new_password(english, citizen, mailoutbox):
    response = english.post(reverse("portal:password-reset"), {"email": "HOA@example.vn"})

    assert response.status_code == 302
    assert response.url == reverse("portal:password-reset-done")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["hoa@example.vn"]
    assert "Lê Thị Hoa" in mailoutbox[0].body

    form_page = english.get(_reset_path(mailoutbox[0]), follow=True)
    assert form_page.status_code == 200
    assert "Choose a new password" in form_page.content.decode()
    saved = english.post(
        form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert saved.status_code == 302
    assert saved.url == reverse("portal:password-reset-complete")

    assert User.objects.get(username="hoa").check_password(NEW_PASSWORD)
    signed_in = english.post(
        reverse("portal:login"), {"username": "hoa@example.vn", "password": NEW_PASSWORD}
    )
    assert signed_in.status_code == 302


def test_an_unknown_address_gets_the_same_answer_and_no_mail(english, citizen, mailoutbox):
    response = english.post(reverse("portal:password-reset"), {"email": "nobody@example.vn"})
    assert response.url == reverse("portal:password-reset-done")
    assert mailoutbox == []


def test_the_link_uses_the_public_address_when_one_is_configured(english, citizen, mailoutbox, settings):
    settings.MOTCUA_PUBLIC_URL = "https://dichvucong.example.vn"
    english.post(reverse("portal:password-reset"), {"email": "hoa@example.vn"})
    assert "https://dichvucong.example.vn/account/password-reset/" in mailoutbox[0].body


def test_a_forged_host_header_does_not_reach_the_reset_link(citizen, mailoutbox, settings):
    """Finding 2: today a reset asked for with `Host: evil.example` mails a link to evil.example, and the
    e-mail names that host as the site. Even with the host allowed, the link leads to the public address."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "evil.example"]
    settings.MOTCUA_PUBLIC_URL = "https://dichvucong.example.vn"
    attacker = Client(headers={"Accept-Language": "en", "Host": "evil.example"})

    response = attacker.post(reverse("portal:password-reset"), {"email": "hoa@example.vn"})

    assert response.status_code == 302
    body = mailoutbox[0].body
    assert "evil.example" not in body and "evil.example" not in mailoutbox[0].subject
    assert re.search(r"https://dichvucong\.example\.vn/account/password-reset/[^/\s]+/[^/\s]+/", body), body


def test_a_used_or_forged_link_says_so(english, citizen):
    response = english.get("/account/password-reset/MQ/set-password/", follow=True)
    assert response.status_code == 200
    assert "This link is not valid any more" in response.content.decode()
