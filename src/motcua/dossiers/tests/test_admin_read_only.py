"""Dossiers in the admin are for looking at: staff see them, with their history, and nobody (superusers
included) can add, change or delete a dossier, an event, a rating or a note there."""

from __future__ import annotations

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client

from motcua.conftest import post_json
from motcua.dossiers.models import Dossier, DossierEvent

RECEIVED_AT = "2026-03-02T09:00:00+07:00"  # a Monday; three working days later it is due
WEEKS_LATER = "2026-03-20T09:00:00+07:00"


@pytest.fixture
def dossier(world) -> Dossier:
    with time_machine.travel(RECEIVED_AT, tick=False):
        response = post_json(world.client("counter"), "/api/v1/dossiers", world.intake_body("counter"))
    assert response.status_code == 201, response.content
    return Dossier.objects.get(code=response.json()["code"])


def signed_in(user: User) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


@pytest.fixture
def superuser_client(db, django_user_model) -> Client:
    return signed_in(
        django_user_model.objects.create_superuser("dossier-admin", "a@example.vn", "pw-12345678")
    )


def change_url(dossier: Dossier) -> str:
    return f"/admin/dossiers/dossier/{dossier.pk}/change/"


@time_machine.travel(WEEKS_LATER, tick=False)
def test_the_list_shows_status_procedure_unit_and_an_overdue_badge(dossier, superuser_client):
    page = superuser_client.get("/admin/dossiers/dossier/").content.decode()

    assert dossier.code in page
    assert "Received" in page  # the status's label, not its code
    assert "Đăng ký khai sinh" in page and "1.001193.000.00.00.H26" in page
    assert "Trung tâm Phục vụ hành chính công" in page
    assert "admin-badge-danger" in page and "Overdue" in page


def test_the_list_is_searched_by_applicant_name_without_accents(dossier, superuser_client):
    found = superuser_client.get("/admin/dossiers/dossier/", {"q": "nguyen thi mai"}).content.decode()
    assert dossier.code in found
    missing = superuser_client.get("/admin/dossiers/dossier/", {"q": "tran van"}).content.decode()
    assert dossier.code not in missing


def test_the_dossier_page_shows_its_history_and_no_field_to_edit(dossier, superuser_client):
    response = superuser_client.get(change_url(dossier))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Nguyễn Thị Mai" in page
    assert "001******345" in page and "001090012345" not in page
    assert 'name="applicant_name"' not in page and 'name="status"' not in page
    assert 'name="_save"' not in page
    assert "receive" in page  # the intake event, in the history


def test_nobody_changes_a_dossier_or_its_history_here(dossier, superuser_client):
    event = DossierEvent.objects.get(dossier=dossier)
    for url in [
        change_url(dossier),
        "/admin/dossiers/dossier/add/",
        f"/admin/dossiers/dossier/{dossier.pk}/delete/",
        f"/admin/dossiers/dossierevent/{event.pk}/change/",
        f"/admin/dossiers/dossierevent/{event.pk}/delete/",
    ]:
        assert (
            superuser_client.post(url, {"applicant_name": "Someone else", "note": "x"}).status_code == 403
        ), url
    dossier.refresh_from_db()
    assert dossier.applicant_name == "Nguyễn Thị Mai" and dossier.version == 1
    assert DossierEvent.objects.filter(dossier=dossier).count() == 1


def test_staff_may_look_and_others_may_not(dossier, world):
    looker = User.objects.create_user("auditor-staff", password="pw-12345678", is_staff=True)
    staff_client = signed_in(looker)
    assert staff_client.get("/admin/dossiers/dossier/").status_code == 200
    assert staff_client.get(change_url(dossier)).status_code == 200
    assert staff_client.get("/admin/dossiers/dossierevent/").status_code == 200
    assert staff_client.post(change_url(dossier), {"applicant_name": "x"}).status_code == 403

    officer = signed_in(User.objects.get(username="counter"))  # not staff: the admin is closed to them
    assert officer.get("/admin/dossiers/dossier/").status_code == 302


def test_the_event_rating_and_note_lists_answer(dossier, superuser_client):
    for url in ["/admin/dossiers/dossierevent/", "/admin/dossiers/rating/", "/admin/dossiers/dossiernote/"]:
        assert superuser_client.get(url).status_code == 200, url
