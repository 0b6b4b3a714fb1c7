"""Dossiers for the access-log tests, made through the real API, and signed-in clients."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client

from motcua.conftest import World, act, post_json


def signed_in(username: str, **headers: str) -> Client:
    client = Client(headers={"Accept-Language": "en", **headers})
    client.force_login(User.objects.get(username=username))
    return client


def online_dossier(world: World, username: str = "citizen", *, accepted: bool = True) -> str:
    """A dossier the citizen `username` submitted online, accepted by the service centre's counter."""
    body = world.intake_body(username, channel="online", receiving_unit=world.centre.identity_code)
    response = post_json(world.client(username), "/api/v1/dossiers", body)
    assert response.status_code == 201, response.content
    code = response.json()["code"]
    if accepted:
        assert act(world, "counter", code, "accept").status_code == 200
    return code


def counter_dossier(world: World, **applicant: str) -> str:
    body = world.intake_body("counter", receiving_unit=world.centre.identity_code)
    body["applicant"].update(applicant)
    response = post_json(world.client("counter"), "/api/v1/dossiers", body)
    assert response.status_code == 201, response.content
    return response.json()["code"]
