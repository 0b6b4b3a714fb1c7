"""Dossiers for the inbox tests: received at a counter at a given moment, moved on with the real actions."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from django.contrib.auth.models import User

from motcua.conftest import VALID_FORM, World
from motcua.dossiers.models import Dossier
from motcua.dossiers.services.actions import take_action_from_fields
from motcua.dossiers.services.intake import Applicant, AttachedDocument, Intake, create_dossier

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")


def local(text: str) -> dt.datetime:
    """A moment written in Hà Nội time, e.g. "2025-10-10 10:00"."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=LOCAL)


class Desk:
    """Receives and moves dossiers of the `world` fixture's birth registration, as its officers would."""

    def __init__(self, world: World) -> None:
        self.world = world
        self._scans: dict[str, int] = {}

    def user(self, username: str) -> User:
        return User.objects.get(username=username)

    def receive(
        self, when: str, *, counter: str = "counter", name: str = "Nguyễn Thị Mai", case: str = "standard"
    ) -> Dossier:
        if counter not in self._scans:
            self._scans[counter] = self.world.upload(counter)
        intake = Intake(
            procedure=self.world.procedure.local_code,
            case=case,
            channel="counter",
            applicant=Applicant(
                kind="person", full_name=name, id_number="001090012345", date_of_birth=dt.date(1990, 5, 4)
            ),
            form=VALID_FORM,
            # The world's required documents belong to its standard case; the other cases ask for none.
            documents=[AttachedDocument(self.world.documents[0].pk, self._scans[counter])]
            if case == "standard"
            else [],
        )
        with time_machine.travel(local(when), tick=False):
            return create_dossier(self.user(counter), intake)

    def act(self, username: str, dossier: Dossier, action: str, when: str, **payload: Any) -> Dossier:
        current = Dossier.objects.get(pk=dossier.pk)
        with time_machine.travel(local(when), tick=False):
            return take_action_from_fields(
                self.user(username), current.code, action, current.version, payload
            )
