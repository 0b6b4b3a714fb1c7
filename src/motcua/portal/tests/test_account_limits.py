"""Issue 10, finding 1 (e-mails) and finding 5 (passwords).

Sign-up, password reset and verification resend sent unlimited e-mails: now at most
MOTCUA_MAIL_LIMIT_PER_ADDRESS per address and MOTCUA_MAIL_LIMIT_PER_CLIENT per client address in a window,
with the same answer over the limit and no mail. Any 8-character password was accepted (`12345678`): now
Django's common, numeric, similarity and length validators refuse it, in Vietnamese. Each test fails on the
code before issue 10."""

from __future__ import annotations

import logging

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from motcua.core.links import public_url
from motcua.org.models import CitizenProfile, MailQuota
from motcua.org.services import create_citizen

PASSWORD = "mật-khẩu-2026"


@pytest.fixture
def limits(settings):
    settings.MOTCUA_MAIL_LIMIT_PER_ADDRESS = 3
    settings.MOTCUA_MAIL_LIMIT_PER_CLIENT = 5
    settings.MOTCUA_MAIL_LIMIT_WINDOW_MINUTES = 60


def _sign_up(client: Client, email: str, id_number: str, password: str = PASSWORD, **headers: str):
    data = {
        "full_name": "Lê Thị Hoa",
        "id_number": id_number,
        "email": email,
        "phone": "",
        "password": password,
        "password_confirmation": password,
    }
    return client.post(reverse("portal:signup"), data, headers=headers)


def test_password_reset_mails_stop_at_the_address_limit_with_the_same_answer(db, limits, mailoutbox, caplog):
    create_citizen("hoa", "001190000123", "old-password", "Lê Thị Hoa", email="hoa@example.vn")
    CitizenProfile.objects.update(email_verified_at=timezone.now())
    client = Client(REMOTE_ADDR="10.0.0.1")
    answers = []
    with caplog.at_level(logging.WARNING, logger="motcua.security"):
        for n in range(30):
            spelling = "HOA@example.vn" if n % 2 else "hoa@example.vn"
            response = client.post(reverse("portal:password-reset"), {"email": spelling})
            answers.append((response.status_code, response["Location"]))
    assert len(mailoutbox) == 3
    assert set(answers) == {(302, reverse("portal:password-reset-done"))}
    refusals = [r.getMessage() for r in caplog.records if "e-mail limit" in r.getMessage()]
    assert len(refusals) == 27 and "per-address" in refusals[0]
    assert not any("hoa@example.vn" in message for message in refusals)
    assert not MailQuota.objects.filter(key__icontains="hoa").exists()


def test_the_address_limit_counts_unknown_addresses_too(db, limits, mailoutbox):
    """No account behind the address: the same answer, and the same count, so the limit tells nothing."""
    client = Client()
    for _ in range(4):
        response = client.post(reverse("portal:password-reset"), {"email": "nobody@example.vn"})
        assert response.status_code == 302
    assert len(mailoutbox) == 0
    # Both counts stopped at the address limit: a refused mail takes nothing from the client's allowance.
    assert sorted(MailQuota.objects.values_list("count", flat=True)) == [3, 3]


def test_one_client_address_cannot_mail_many_addresses(db, limits, mailoutbox):
    for n in range(8):
        create_citizen(f"c{n}", f"00119000{n:04d}", "old-password", "Lê Thị Hoa", email=f"c{n}@example.vn")
    CitizenProfile.objects.update(email_verified_at=timezone.now())
    client = Client(REMOTE_ADDR="10.0.0.7")
    for n in range(8):
        client.post(reverse("portal:password-reset"), {"email": f"c{n}@example.vn"})
    assert len(mailoutbox) == 5
    Client(REMOTE_ADDR="10.0.0.8").post(reverse("portal:password-reset"), {"email": "c7@example.vn"})
    assert len(mailoutbox) == 6


def test_verification_resend_stops_at_the_limit(db, limits, mailoutbox):
    client = Client(headers={"Accept-Language": "en"})
    assert _sign_up(client, "hoa@example.vn", "001190000123").status_code == 302
    for _ in range(10):
        response = client.post(reverse("portal:verify-email-resend"), {"email": "hoa@example.vn"})
        assert response.status_code == 302 and response["Location"] == reverse("portal:verify-email-sent")
    assert len(mailoutbox) == 3  # the sign-up's and two resends


def test_sign_up_mails_stop_at_the_client_limit(db, limits, mailoutbox):
    client = Client(REMOTE_ADDR="10.0.0.3")
    for n in range(8):
        response = _sign_up(client, f"new{n}@example.vn", f"00119100{n:04d}")
        assert response.status_code == 302 and response["Location"] == reverse("portal:verify-email-sent")
    assert len(mailoutbox) == 5
    assert User.objects.filter(email__startswith="new").count() == 8


def test_12345678_is_refused_with_a_vietnamese_message(db, mailoutbox):
    """Finding 5: any 8-character password was accepted."""
    client = Client(headers={"Accept-Language": "vi"})
    response = _sign_up(client, "hoa@example.vn", "001190000123", password="12345678")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Mật khẩu này quá ngắn. Mật khẩu phải có ít nhất 10 ký tự." in html
    assert not User.objects.filter(email="hoa@example.vn").exists()


@pytest.mark.parametrize(
    ("password", "message"),
    [("1234567890", "Mật khẩu này quá phổ biến."), ("8264019375", "Mật khẩu này hoàn toàn là số.")],
)
def test_common_and_numeric_passwords_are_refused_in_vietnamese(db, password, message):
    client = Client(headers={"Accept-Language": "vi"})
    response = _sign_up(client, "hoa@example.vn", "001190000123", password=password)
    assert response.status_code == 200 and message in response.content.decode()


def test_a_password_like_the_address_is_refused(db):
    client = Client(headers={"Accept-Language": "vi"})
    response = _sign_up(client, "nguyenvanhoa2026@example.vn", "001190000123", password="nguyenvanhoa2026")
    assert response.status_code == 200 and "Mật khẩu quá giống với" in response.content.decode()


def test_a_new_password_set_by_reset_is_checked_too(db, mailoutbox):
    create_citizen("hoa", "001190000123", "old-password", "Lê Thị Hoa", email="hoa@example.vn")
    CitizenProfile.objects.update(email_verified_at=timezone.now())
    client = Client(headers={"Accept-Language": "vi"})
    client.post(reverse("portal:password-reset"), {"email": "hoa@example.vn"})
    path = mailoutbox[0].body.split(public_url(), 1)[1].split()[0]
    form_page = client.get(path, follow=True)
    weak = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "12345678", "new_password2": "12345678"}
    )
    assert weak.status_code == 200 and "Mật khẩu này quá phổ biến." in weak.content.decode()
