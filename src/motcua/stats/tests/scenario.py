"""Dossiers moved through the API at chosen moments (the clock frozen), for the statistics tests; the
service-level walk is `indicators_walk`."""

from __future__ import annotations

import datetime as dt
from typing import Any

import time_machine

from motcua.conftest import World, act, post_json
from motcua.dossiers.models import Dossier
from motcua.worktime.calendar import LOCAL_TZ


def at(day: str, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, minute), LOCAL_TZ)


def receive(world: World, moment: dt.datetime, channel: str = "counter") -> str:
    username = "citizen" if channel == "online" else "counter"
    overrides: dict[str, Any] = {"channel": channel}
    if channel == "online":
        overrides["result_delivery"] = "online"
    with time_machine.travel(moment, tick=False):
        response = post_json(
            world.client(username), "/api/v1/dossiers", world.intake_body(username, **overrides)
        )
    assert response.status_code == 201, response.content
    return str(response.json()["code"])


def step(world: World, username: str, code: str, action: str, moment: dt.datetime, **fields: Any) -> None:
    with time_machine.travel(moment, tick=False):
        response = act(world, username, code, action, **fields)
    assert response.status_code == 200, (action, response.content)


def dossier(code: str) -> Dossier:
    return Dossier.objects.get(code=code)
