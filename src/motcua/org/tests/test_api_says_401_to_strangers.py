"""Issue 10, finding 9: a caller with no credentials is unknown (401 with a `WWW-Authenticate` challenge);
403 is for a known caller who may not act, or a signed-in browser whose request lacks its CSRF token.

On today's code an anonymous POST answered 403: ninja's session auth checked CSRF before it knew that there
was no session. The test client skips CSRF unless told, so these tests enforce it, as a real client meets it.
"""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.conftest import post_json

ENDPOINTS = [
    ("post", "/api/v1/dossiers"),
    ("post", "/api/v1/files"),
    ("post", "/api/v1/dossiers/X-260101-0001/actions/forward"),
    ("get", "/api/v1/dossiers"),
    ("get", "/api/v1/delegations"),
]


def _call(client: Client, method: str, path: str, **headers: str):
    if method == "get":
        return client.get(path, headers=headers)
    return post_json(client, path, {"version": 1}, **headers)


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_no_credentials_is_401_with_a_bearer_challenge(world, method, path):
    """Fails on today's code for the POSTs: they answered 403 (CSRF)."""
    response = _call(Client(enforce_csrf_checks=True), method, path)
    assert response.status_code == 401, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == 'Bearer realm="motcua"'
    assert response.json()["status"] == 401


def test_a_refused_token_says_invalid_token(world):
    client = Client(enforce_csrf_checks=True)
    response = post_json(client, "/api/v1/dossiers", {}, Authorization="Bearer not-a-token")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="motcua", error="invalid_token"'


def test_a_signed_in_browser_without_csrf_token_is_403_saying_so(world):
    client = Client(enforce_csrf_checks=True)
    client.login(username="counter", password="pw-12345678")
    response = post_json(client, "/api/v1/dossiers", world.intake_body("counter"))
    assert response.status_code == 403, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert "WWW-Authenticate" not in response
    body = response.json()
    assert body["type"] == "urn:motcua:problem:csrf-failed"
    assert "CSRF" in body["detail"]


def test_a_signed_in_browser_with_its_csrf_token_may_act(world):
    client = Client(enforce_csrf_checks=True)
    client.login(username="counter", password="pw-12345678")
    assert client.get("/office/login/").status_code in (200, 302)
    token = client.cookies.get("csrftoken")
    assert token is not None
    response = post_json(
        client, "/api/v1/dossiers", world.intake_body("counter"), **{"X-CSRFToken": token.value}
    )
    assert response.status_code == 201, response.content


def test_a_known_caller_who_may_not_act_is_403(world):
    response = world.client("citizen").get("/api/v1/stats/index766?period=2026-10")
    assert response.status_code == 403, response.content
    assert "WWW-Authenticate" not in response
