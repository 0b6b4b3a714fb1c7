"""The back office's outbox page: administrators and auditors see per destination what waits, fails, is dead
or delivered, and the messages; administrators alone get the retry buttons, which POST with CSRF."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from motcua.delivery.models import MessageStatus
from motcua.delivery.tests.echo import SECRET_ID, echo_receiver  # noqa: F401 (the fixture "echo")
from motcua.org.constants import Role
from motcua.org.services import create_staff
from motcua.privacy.tests.scenes import counter_dossier, signed_in

pytestmark = pytest.mark.django_db
PAGE = "/office/outbox/"


@pytest.fixture
def admin(world) -> Client:
    """An administrator of a commune: they steer the outbox but do not see the service centre's dossiers."""
    create_staff("commune_admin", world.commune_committee.identity_code, Role.ADMIN, password="pw-12345678")
    return signed_in("commune_admin")


def cells(html: str, destination: str) -> list[str]:
    """The text of the cells of a destination's row in the summary table."""
    row = re.search(rf">{re.escape(destination)}</a></th>.*?</tr>", html, re.S)
    assert row, html
    return [re.sub(r"<[^>]+>|\s+", " ", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row[0], re.S)]


def test_the_auditor_sees_the_counts_the_messages_and_no_button(world, echo):
    code = counter_dossier(world)
    echo.written("partner:a", "dead", ordering_key=f"dossier:{code}")
    echo.written("partner:a", "delivered")
    echo.written("dvcqg", "failing")
    echo.written("dvcqg", "pending")

    response = signed_in("auditor").get(PAGE)

    html = response.content.decode()
    assert response.status_code == 200
    assert cells(html, "dvcqg")[:6] == ["1", "1", "0", "0", "Normal", "dvcqg does not answer"]
    assert cells(html, "partner:a")[:4] == ["0", "0", "1", "1"]
    # The auditor's scope holds the dossier: its code links to its page.
    assert f'<a href="/office/dossiers/{code}/">{code}</a>' in html
    assert "applicant 001******887 is unknown" in html and SECRET_ID not in html
    assert 'action="/office/outbox/' not in html and "Retry" not in html


def test_a_destination_whose_breaker_is_open_shows_as_paused(world, admin, echo, settings):
    settings.MOTCUA_OUTBOX_BREAKER_THRESHOLD = 1
    echo.written("dvcqg", "failing")

    sending = cells(admin.get(PAGE).content.decode(), "dvcqg")[4]

    assert re.fullmatch(r"Paused until \d\d:\d\d:\d\d", sending), sending


def test_the_administrator_retries_one_message_with_the_csrf_token(world, echo):
    code = counter_dossier(world)
    dead = echo.written("partner:a", "dead", ordering_key=f"dossier:{code}")
    create_staff("commune_admin", world.commune_committee.identity_code, Role.ADMIN, password="pw-12345678")
    admin = Client(enforce_csrf_checks=True, headers={"Accept-Language": "en"})
    admin.force_login(User.objects.get(username="commune_admin"))

    html = admin.get(PAGE, {"status": "dead"}).content.decode()
    # A commune's administrator does not see the service centre's dossier: its code is not a link.
    assert f"<td>{code}</td>" in html and f'href="/office/dossiers/{code}/"' not in html
    action = f"/office/outbox/{dead.pk}/retry/"
    assert f'action="{action}"' in html
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]

    assert admin.post(action, {"status": "dead"}).status_code == 403  # no token
    dead.refresh_from_db()
    assert dead.status == MessageStatus.DEAD
    response = admin.post(action, {"csrfmiddlewaretoken": token, "status": "dead", "page": "1"})

    assert (response.status_code, response["Location"]) == (302, f"{PAGE}?status=dead&page=1")
    dead.refresh_from_db()
    assert (dead.status, dead.attempts) == (MessageStatus.PENDING, 0)
    assert f"Message #{dead.pk} will be sent again now." in admin.get(response["Location"]).content.decode()


def test_retry_all_for_a_destination_leaves_the_others(world, admin, echo):
    echo.written("partner:a", "dead")
    echo.written("partner:a", "failing")
    other = echo.written("partner:b", "dead")

    response = admin.post(f"{PAGE}retry-all/", {"retry_destination": "partner:a"})

    assert (response.status_code, response["Location"]) == (302, PAGE)
    other.refresh_from_db()
    assert other.status == MessageStatus.DEAD
    html = admin.get(PAGE).content.decode()
    assert "2 messages will be sent again now." in html
    assert "Retry all for partner:b" in html and "Retry all for partner:a" not in html
    assert "Retry every dead or failing message" in html
    admin.post(f"{PAGE}retry-all/", {})
    other.refresh_from_db()
    assert other.status == MessageStatus.PENDING
    assert "Retry every dead or failing message" not in admin.get(PAGE).content.decode()


def test_retrying_a_delivered_message_says_so(world, admin, echo):
    delivered = echo.written("partner:a", "delivered")

    response = admin.post(f"/office/outbox/{delivered.pk}/retry/", follow=True)

    assert f"Message {delivered.pk} was delivered already." in response.content.decode()


def test_the_filters_narrow_the_list_and_a_bad_one_is_named(world, admin, echo):
    dead = echo.written("partner:a", "dead")
    pending = echo.written("dvcqg", "pending")

    dead_only = admin.get(PAGE, {"status": "dead"}).content.decode()
    assert f'id="message-{dead.pk}"' in dead_only and f'id="message-{pending.pk}"' not in dead_only
    by_destination = admin.get(PAGE, {"destination": "dvcqg"}).content.decode()
    assert f'id="message-{pending.pk}"' in by_destination and f'id="message-{dead.pk}"' not in by_destination

    bad = admin.get(PAGE, {"status": "lost"})
    assert bad.status_code == 422
    assert 'id="outbox-status-error"' in bad.content.decode()


@pytest.mark.parametrize("username", ["counter", "leader"])
def test_officers_without_the_roles_see_neither_the_page_nor_its_link(world, echo, username):
    dead = echo.written("partner:a", "dead")
    officer = signed_in(username)

    assert officer.get(PAGE).status_code == 403
    assert officer.post(f"/office/outbox/{dead.pk}/retry/").status_code == 403
    assert 'href="/office/outbox/"' not in officer.get("/office/").content.decode()
    assert 'href="/office/outbox/"' in signed_in("auditor").get("/office/").content.decode()


def test_the_auditor_may_not_retry(world, echo):
    dead = echo.written("partner:a", "dead")

    assert signed_in("auditor").post(f"/office/outbox/{dead.pk}/retry/").status_code == 403
    assert signed_in("auditor").post(f"{PAGE}retry-all/").status_code == 403
    dead.refresh_from_db()
    assert dead.status == MessageStatus.DEAD


def test_a_visitor_is_sent_to_sign_in(world):
    response = Client().get(PAGE)
    assert response.status_code == 302 and response["Location"].startswith("/office/login/")
