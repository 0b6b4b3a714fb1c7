"""The mappings are edited in the admin site, whose list of procedure mappings names the procedures whose
dossiers wait for one."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.conftest import post_json
from motcua.exchange.models import ProcedureMapping

LIST = "/admin/exchange/proceduremapping/"


@pytest.fixture
def admin_client(world, django_user_model) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(django_user_model.objects.create_superuser("mapper", "m@example.vn", "pw-12345678"))
    return client


def test_the_list_names_the_procedures_with_dossiers_but_no_national_code(world, admin_client):
    assert (
        post_json(world.client("counter"), "/api/v1/dossiers", world.intake_body("counter")).status_code
        == 201
    )
    page = admin_client.get(LIST).content.decode()
    assert "1 procedure has dossiers but no national code" in page
    assert f"{world.procedure.local_code} (1 dossier)" in page

    response = admin_client.post(
        f"{LIST}add/", {"procedure": world.procedure.pk, "national_code": "1.001193"}, follow=True
    )
    assert response.status_code == 200
    assert ProcedureMapping.objects.get(procedure=world.procedure).national_code == "1.001193"
    assert "no national code" not in admin_client.get(LIST).content.decode()


def test_an_officer_signed_in_without_the_admin_site_cannot_open_it(world, django_user_model):
    officer = Client()
    officer.force_login(django_user_model.objects.get(username="counter"))
    response = officer.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
