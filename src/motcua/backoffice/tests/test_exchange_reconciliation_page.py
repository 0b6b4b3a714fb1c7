"""The reconciliation page: auditors and administrators only, its form's errors on their fields, a run shown
with its differences, and "send again" for administrators alone (POST with CSRF)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from motcua.conftest import post_json
from motcua.delivery.models import OutboxMessage
from motcua.delivery.outbox import deliver_due
from motcua.exchange.models import ProcedureMapping, ReconciliationRun
from motcua.org.constants import Role
from motcua.org.services import create_staff

PAGE = "/office/exchange/reconciliation/"


@pytest.fixture
def mapped(world):
    ProcedureMapping.objects.create(procedure=world.procedure, national_code="1.001193")
    create_staff("admin", world.city.identity_code, Role.ADMIN, password="pw-12345678")
    return world


def _client(username: str, **options) -> Client:
    client = Client(headers={"Accept-Language": "en"}, **options)
    client.force_login(User.objects.get(username=username))
    return client


def _today() -> str:
    return timezone.localdate().isoformat()


@pytest.mark.parametrize("username", ["counter", "specialist", "leader"])
def test_officers_get_403_and_no_menu_link(mapped, username):
    client = _client(username)
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, {"from": _today(), "to": _today()}).status_code == 403
    assert PAGE not in client.get("/office/").content.decode()
    assert not ReconciliationRun.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(world):
    response = Client().get(PAGE)
    assert response.status_code == 302 and "/office/login/" in response["Location"]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"from": "", "to": "2026-12-08"}, "from", "Give the first day of the range."),
        ({"from": "2026-12-08", "to": ""}, "to", "Give the last day of the range."),
        ({"from": "08/12/2026", "to": "2026-12-08"}, "from", "Write a date as YYYY-MM-DD."),
        ({"from": "2026-12-08", "to": "2026-12-01"}, "to", "The last day comes before the first day."),
        ({"from": "2025-01-01", "to": "2026-12-08"}, "to", "A reconciliation covers at most 366 days."),
    ],
)
def test_the_form_names_the_wrong_field(mapped, body, field, message):
    response = _client("auditor").post(PAGE, body)
    html = response.content.decode()
    assert response.status_code == 422
    assert re.search(rf'<div id="reconcile-{field}-error" class="error">{re.escape(message)}</div>', html)
    assert not ReconciliationRun.objects.exists()


def test_an_auditor_reconciles_and_reads_the_differences_without_a_resync_button(dvcqg_settings, mapped):
    response = post_json(mapped.client("counter"), "/api/v1/dossiers", mapped.intake_body("counter"))
    code = response.json()["code"]
    deliver_due()
    held = dvcqg_settings.dossier(code)["record"]
    dvcqg_settings.plant(code, {**held, "TrangThaiHoSo": "9"})
    client = _client("auditor")
    assert f'href="{PAGE}"' in client.get("/office/").content.decode()

    response = client.post(PAGE, {"from": _today(), "to": _today()})
    run = ReconciliationRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{PAGE}?run={run.pk}"
    html = client.get(response["Location"]).content.decode()
    assert "1 difference(s) with the national portal." in html
    assert "Different status" in html and f'href="/office/dossiers/{code}/"' in html
    assert "Send again" not in html
    assert client.post(f"{PAGE}{run.pk}/differences/0/resync").status_code == 403


def test_an_administrator_sends_a_record_again(dvcqg_settings, mapped, settings):
    settings.MOTCUA_DVCQG_URL = ""  # received while synchronisation was off
    response = post_json(mapped.client("counter"), "/api/v1/dossiers", mapped.intake_body("counter"))
    code = response.json()["code"]
    settings.MOTCUA_DVCQG_URL = dvcqg_settings.url
    client = _client("admin")
    client.post(PAGE, {"from": _today(), "to": _today()})
    run = ReconciliationRun.objects.get()
    html = client.get(f"{PAGE}?run={run.pk}").content.decode()
    assert "Missing on the national portal" in html and "Send again" in html

    response = client.post(f"{PAGE}{run.pk}/differences/0/resync")

    assert response.status_code == 302
    assert OutboxMessage.objects.get().payload["dossier"] == code
    assert (
        "is queued to be sent to the national portal again"
        in client.get(response["Location"]).content.decode()
    )
    deliver_due()
    assert dvcqg_settings.dossier(code) is not None


def test_a_post_without_the_csrf_token_is_refused(mapped):
    client = _client("auditor", enforce_csrf_checks=True)
    assert client.post(PAGE, {"from": _today(), "to": _today()}).status_code == 403
    assert not ReconciliationRun.objects.exists()


def test_a_failed_run_is_shown_with_its_reason(dvcqg_settings, mapped):
    dvcqg_settings.outage(True)
    client = _client("auditor")
    response = client.post(PAGE, {"from": _today(), "to": _today()}, follow=True)
    html = response.content.decode()
    assert "The reconciliation could not be made" in html and "503" in html
    assert ReconciliationRun.objects.get().error
