"""`/api/v1/outbox`: administrators and auditors read it, administrators retry; filters that do not read are a
422 naming the field; a message is shown by its envelope, never its payload."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.conftest import World, post_json
from motcua.delivery.models import MessageStatus
from motcua.delivery.outbox import deliver_due
from motcua.delivery.tests.echo import SECRET_ID, echo_receiver  # noqa: F401 (the fixture "echo")
from motcua.org.constants import Role
from motcua.org.services import create_staff, issue_api_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(world: World) -> Client:
    """An administrator of a commune: administrators of any unit watch and steer the outbox."""
    user = create_staff(
        "commune_admin", world.commune_committee.identity_code, Role.ADMIN, password="pw-12345678"
    )
    return Client(headers={"Authorization": f"Bearer {issue_api_token(user.user)}"})


def test_the_list_is_newest_first_and_carries_no_payload(world, admin, echo):
    code = "000.00.01.H26-261201-0001"
    dead = echo.written("partner:a", "dead", ordering_key=f"dossier:{code}")
    pending = echo.written("dvcqg", "pending")

    response = admin.get("/api/v1/outbox")

    assert response.status_code == 200, response.content
    body = response.json()
    assert [item["id"] for item in body["items"]] == [pending.pk, dead.pk]
    assert body["has_next"] is False
    item = body["items"][1]
    assert item["status"] == "dead" and item["attempts"] == 1 and item["next_attempt_at"] is None
    assert item["dossier"] == code and item["ordering_key"] == f"dossier:{code}"
    assert item["last_error"] == "applicant 001******887 is unknown"
    assert SECRET_ID not in response.content.decode() and "payload" not in item


def test_the_list_filters_by_state_and_destination_and_pages(world, admin, echo):
    echo.written("partner:a", "dead")
    failing = echo.written("dvcqg", "failing")
    echo.written("dvcqg", "pending")
    newest = echo.written("dvcqg", "pending")

    def ids(query: str) -> list[int]:
        return [item["id"] for item in admin.get(f"/api/v1/outbox?{query}").json()["items"]]

    assert ids("status=failing") == [failing.pk]
    assert len(ids("status=pending&destination=dvcqg")) == 2
    assert ids("status=dead&destination=dvcqg") == []
    page = admin.get("/api/v1/outbox?destination=dvcqg&page_size=1").json()
    assert ([i["id"] for i in page["items"]], page["has_next"]) == ([newest.pk], True)
    assert admin.get("/api/v1/outbox?destination=dvcqg&page_size=1&page=3").json()["has_next"] is False


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=lost", "status"),
        ("destination=" + "x" * 101, "destination"),
        ("page=0", "page"),
        ("page_size=1000", "page_size"),
    ],
)
def test_a_filter_that_does_not_read_is_422_naming_its_field(world, admin, query, field):
    response = admin.get(f"/api/v1/outbox?{query}")

    assert response.status_code == 422
    assert [problem["field"] for problem in response.json()["errors"]] == [field]


def test_the_summary_counts_by_destination_with_the_breaker(world, admin, echo, settings):
    settings.MOTCUA_OUTBOX_BREAKER_THRESHOLD = 1
    echo.written("partner:a", "dead")
    echo.written("partner:a", "delivered")
    echo.written("dvcqg", "failing")  # one failure opens dvcqg's breaker
    echo.written("dvcqg", "pending")

    rows = {row["destination"]: row for row in admin.get("/api/v1/outbox/summary").json()}

    assert {k: rows["dvcqg"][k] for k in ("pending", "failing", "dead", "delivered")} == {
        "pending": 1,
        "failing": 1,
        "dead": 0,
        "delivered": 0,
    }
    assert rows["dvcqg"]["breaker_open_until"] is not None
    assert rows["dvcqg"]["last_error"] == "dvcqg does not answer"
    assert (rows["partner:a"]["dead"], rows["partner:a"]["delivered"]) == (1, 1)
    assert rows["partner:a"]["breaker_open_until"] is None
    assert SECRET_ID not in str(rows)


def test_retry_makes_a_dead_message_due_and_is_harmless_twice(world, admin, echo):
    dead = echo.written("partner:a", "dead")

    first = admin.post(f"/api/v1/outbox/{dead.pk}/retry")
    again = admin.post(f"/api/v1/outbox/{dead.pk}/retry")

    assert first.status_code == again.status_code == 200, first.content
    assert (again.json()["status"], again.json()["attempts"]) == ("pending", 0)
    assert deliver_due().delivered == 1
    assert len(echo.received) == 1


def test_retry_of_an_unknown_message_is_404_and_of_a_delivered_one_409(world, admin, echo):
    delivered = echo.written("partner:a", "delivered")

    assert admin.post("/api/v1/outbox/999999/retry").status_code == 404
    conflict = admin.post(f"/api/v1/outbox/{delivered.pk}/retry", headers={"Accept-Language": "en"})
    assert conflict.status_code == 409
    assert conflict.json()["detail"] == f"Message {delivered.pk} was delivered already."


def test_retry_all_of_one_destination_or_every_one(world, admin, echo):
    echo.written("partner:a", "dead")
    echo.written("partner:a", "failing")
    other = echo.written("partner:b", "dead")

    one = post_json(admin, "/api/v1/outbox/retry-all", {"destination": "partner:a"})
    assert (one.status_code, one.json()) == (200, {"retried": 2})
    other.refresh_from_db()
    assert other.status == MessageStatus.DEAD
    assert post_json(admin, "/api/v1/outbox/retry-all", {}).json() == {"retried": 1}
    bad = post_json(admin, "/api/v1/outbox/retry-all", {"destination": "", "whom": 1})
    assert bad.status_code == 422
    assert {problem["field"] for problem in bad.json()["errors"]} == {"destination", "whom"}


def test_auditors_read_but_do_not_retry(world, echo):
    dead = echo.written("partner:a", "dead")
    auditor = world.client("auditor")

    assert auditor.get("/api/v1/outbox").status_code == 200
    assert auditor.get("/api/v1/outbox/summary").status_code == 200
    assert auditor.post(f"/api/v1/outbox/{dead.pk}/retry").status_code == 403
    assert post_json(auditor, "/api/v1/outbox/retry-all", {}).status_code == 403
    dead.refresh_from_db()
    assert dead.status == MessageStatus.DEAD


@pytest.mark.parametrize("username", ["counter", "leader", "citizen"])
def test_officers_without_the_roles_and_citizens_are_refused(world, echo, username):
    dead = echo.written("partner:a", "dead")
    client = world.client(username)

    assert client.get("/api/v1/outbox").status_code == 403
    assert client.get("/api/v1/outbox/summary").status_code == 403
    assert client.post(f"/api/v1/outbox/{dead.pk}/retry").status_code == 403


def test_a_caller_without_credentials_is_401(world):
    assert Client().get("/api/v1/outbox").status_code == 401
    assert Client().post("/api/v1/outbox/1/retry").status_code == 401
