"""What the exchange's tests do over and over."""

from __future__ import annotations

from typing import Any

from motcua.conftest import post_json


def counter_intake(world: Any, username: str = "counter", **overrides: Any) -> str:
    """Receive the world's intake at the counter through the API; the new dossier's code."""
    response = post_json(world.client(username), "/api/v1/dossiers", world.intake_body(username, **overrides))
    assert response.status_code == 201, response.content
    return str(response.json()["code"])
