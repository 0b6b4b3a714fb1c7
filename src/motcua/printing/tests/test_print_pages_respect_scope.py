"""The print addresses: who gets which form, and how refusals and bad requests are answered (a page with the
reason and the right status, never a 500)."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory

from motcua.printing.tests.conftest import act, at, receive, submit_online, user
from motcua.printing.views import public_base_url


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(user(username))
    return client


@pytest.fixture
def online(office):
    """The citizen's own dossier, submitted online and received by the service centre."""
    dossier = submit_online(office, at("2026-03-02 20:00"))
    act("counter", dossier.code, "accept", at("2026-03-03 08:00"))
    return dossier


def form_url(code: str, form: str) -> str:
    return f"/print/dossiers/{code}/{form}.pdf"


def test_the_applicant_prints_their_receipt_but_not_the_control_slip(online):
    response = signed_in("citizen").get(form_url(online.code, "receipt"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{online.code}-receipt.pdf"'
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF")

    refused = signed_in("citizen").get(form_url(online.code, "control-slip"))
    assert refused.status_code == 403
    assert refused["Content-Type"].startswith("text/html")


def test_staff_in_scope_print_the_control_slip(online):
    response = signed_in("counter").get(form_url(online.code, "control-slip"))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_an_officer_of_another_unit_cannot_tell_the_dossier_exists(online):
    response = signed_in("other_specialist").get(form_url(online.code, "receipt"))
    assert response.status_code == 404
    assert online.code in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(online):
    receipt = Client().get(form_url(online.code, "receipt"))
    assert receipt.status_code == 302
    assert receipt["Location"].startswith("/account/login/?next=/print/dossiers/")
    slip = Client().get(form_url(online.code, "control-slip"))
    assert slip["Location"].startswith("/office/login/?next=")
    book = Client().get("/print/tracking-book.xlsx?unit=000.00.01.H26&start=2026-03-01&end=2026-03-31")
    assert book["Location"].startswith("/office/login/?next=")


@pytest.mark.parametrize(("form", "status"), [("invoice", 404), ("apology", 409), ("refusal", 409)])
def test_a_form_that_does_not_apply_is_an_error_page(online, form, status):
    response = signed_in("counter").get(form_url(online.code, form))
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    assert 'role="alert"' in response.content.decode()


def test_the_tracking_book_exports_a_spreadsheet(office):
    receive(office, at("2026-03-02 09:00"))
    response = signed_in("counter").get(
        "/print/tracking-book.xlsx", {"unit": "000.00.01.H26", "start": "2026-03-01", "end": "2026-03-31"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == (
        'attachment; filename="so-theo-doi-000.00.01.H26-20260301-20260331.xlsx"'
    )


def test_a_bad_tracking_book_request_names_every_problem(office):
    client = signed_in("counter")
    response = client.get("/print/tracking-book.pdf", {"start": "2026-13-01", "end": "2026-03-31"})
    assert response.status_code == 422
    assert response.content.decode().count("<li>") == 2  # no unit, and a 13th month
    assert client.get("/print/tracking-book.csv").status_code == 404
    other = signed_in("other_specialist").get(
        "/print/tracking-book.pdf", {"unit": "000.00.01.H26", "start": "2026-03-01", "end": "2026-03-31"}
    )
    assert other.status_code == 403


def test_the_qr_base_is_the_public_address_never_the_request_s_host(settings):
    """Finding 2: today the QR base follows the request's Host when no public address is configured."""
    request = RequestFactory().get("/print/dossiers/X/receipt.pdf", HTTP_HOST="10.0.0.5:8000")
    assert public_base_url(request) == "http://localhost:8000"
    settings.MOTCUA_PUBLIC_URL = "https://dichvucong.hanoi.gov.vn"
    assert public_base_url(request) == "https://dichvucong.hanoi.gov.vn"
