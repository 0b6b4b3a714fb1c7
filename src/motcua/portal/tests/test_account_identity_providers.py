"""The identity-provider plug-in point: a registered provider gets a button on the sign-in page, and the
person it vouches for is signed in to the account holding their personal identification number."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse

from motcua.conftest import CITIZEN_ID
from motcua.portal.identity import IdentityNotVerified, VerifiedIdentity, providers


@dataclass
class FakeProvider:
    key: str = "fake-vneid"
    label: str = "Sign in with Fake VNeID"
    id_number: str = CITIZEN_ID

    def authorization_url(self, request: HttpRequest) -> str:
        return "https://id.example.vn/authorize?client=motcua"

    def complete(self, request: HttpRequest) -> VerifiedIdentity:
        if request.GET.get("error"):
            raise IdentityNotVerified("The provider refused.")
        return VerifiedIdentity(self.key, "subject-1", self.id_number, "Nguyễn Thị Mai")


@pytest.fixture
def fake() -> Iterator[FakeProvider]:
    provider = FakeProvider()
    providers.register(provider)
    yield provider
    providers.unregister(provider.key)


@pytest.fixture
def english() -> Client:
    return Client(headers={"Accept-Language": "en"})


def test_no_provider_no_button(english, db):
    assert "Or sign in with" not in english.get(reverse("portal:login")).content.decode()


def test_a_registered_provider_has_its_button_on_the_sign_in_page(english, db, fake):
    page = english.get(reverse("portal:login")).content.decode()
    assert "Sign in with Fake VNeID" in page
    assert f'action="{reverse("portal:identity-start", args=[fake.key])}"' in page


def test_the_button_sends_the_citizen_to_the_provider(english, db, fake):
    response = english.post(reverse("portal:identity-start", args=[fake.key]), {"next": "/procedures/"})
    assert response.status_code == 302
    assert response.url == "https://id.example.vn/authorize?client=motcua"


def test_the_person_vouched_for_is_signed_in_to_their_account(english, world, fake):
    english.post(reverse("portal:identity-start", args=[fake.key]), {"next": "/procedures/"})
    response = english.get(reverse("portal:identity-complete", args=[fake.key]))
    assert response.status_code == 302
    assert response.url == "/procedures/"
    assert english.session["_auth_user_id"] == str(User.objects.get(username="citizen").pk)


def test_a_person_without_an_account_is_sent_to_sign_up(english, world, fake):
    fake.id_number = "001190000123"
    response = english.get(reverse("portal:identity-complete", args=[fake.key]))
    assert response.url == reverse("portal:signup")
    assert "_auth_user_id" not in english.session


def test_a_refusal_goes_back_to_sign_in_with_the_reason(english, world, fake):
    response = english.get(
        reverse("portal:identity-complete", args=[fake.key]), {"error": "denied"}, follow=True
    )
    assert "The provider refused." in response.content.decode()
    assert "_auth_user_id" not in english.session


def test_an_unknown_provider_is_404(english, db):
    assert english.post(reverse("portal:identity-start", args=["nope"])).status_code == 404
    assert english.get(reverse("portal:identity-complete", args=["nope"])).status_code == 404


def test_a_provider_key_is_registered_once(fake):
    with pytest.raises(ValueError):
        providers.register(FakeProvider())
