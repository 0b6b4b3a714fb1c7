"""Dossiers walked through the real services at chosen local times, for the statistics tests (indicators,
evaluation, scorecards, the report's dataset): the receivers fill the rollups as they would in production."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.catalog.models import ProcedureVersion, RequiredDocument
from motcua.conftest import APPLICANT, PDF_BYTES, VALID_FORM, World
from motcua.dossiers.models import Dossier, SubmittedAs
from motcua.dossiers.services.actions import take_action_from_fields
from motcua.dossiers.services.feedback import rate_dossier
from motcua.dossiers.services.files import store_upload
from motcua.dossiers.services.intake import AttachedDocument, Intake, create_dossier
from motcua.worktime.calendar import LOCAL_TZ


def at(text: str) -> dt.datetime:
    """A local time written "2026-10-05 09:00"."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=LOCAL_TZ)


def user(username: str) -> User:
    return User.objects.get(username=username)


def upload(username: str) -> int:
    return store_upload(user(username), SimpleUploadedFile("scan.pdf", PDF_BYTES)).pk


def _first_document(world: World, version: ProcedureVersion | None) -> int:
    if version is None:
        return world.documents[0].pk
    requirement = RequiredDocument.objects.filter(case__version=version, case__code="standard").first()
    assert requirement is not None
    return requirement.pk


def receive(
    world: World,
    when: dt.datetime,
    *,
    scanned: bool = False,
    officer: str = "counter",
    version: ProcedureVersion | None = None,
    channel: str = "counter",
    competent: str | None = None,
) -> str:
    """A dossier received at the counter (or by post) at `when`: its paper document scanned, or handed in
    unscanned; of the world's procedure unless `version` names another."""
    document = AttachedDocument(
        _first_document(world, version),
        file=upload(officer) if scanned else None,
        submitted_as=SubmittedAs.ORIGINAL,
    )
    intake = Intake(
        procedure=(version or world.version).procedure.local_code,
        channel=channel,
        case="standard",
        applicant=APPLICANT,
        form=VALID_FORM,
        documents=[document],
        competent_authority=competent,
    )
    return create_dossier(user(officer), intake, now=when).code


def submit_online(world: World, when: dt.datetime, version: ProcedureVersion | None = None) -> str:
    intake = Intake(
        procedure=(version or world.version).procedure.local_code,
        channel="online",
        case="standard",
        applicant=APPLICANT,
        form=VALID_FORM,
        documents=[AttachedDocument(_first_document(world, version), file=upload("citizen"))],
        result_delivery="online",
    )
    return create_dossier(user("citizen"), intake, now=when).code


def act(username: str, code: str, action: str, when: dt.datetime, **payload: Any) -> Dossier:
    version = Dossier.objects.values_list("version", flat=True).get(code=code)
    return take_action_from_fields(user(username), code, action, version, payload, now=when)


def supplement_round(code: str, asked: dt.datetime, accepted: dt.datetime, by: str = "specialist") -> None:
    """A supplement asked for by `by`, handed in at the counter and accepted by `by`."""
    act(by, code, "request_supplement", asked, reason="Thiếu giấy tờ", items=[{"description": "Bản sao"}])
    act("counter", code, "submit_supplement", asked + (accepted - asked) / 2)
    act(by, code, "accept_supplement", accepted)


def rate(code: str, score: str, when: dt.datetime) -> None:
    """The applicant's rating, entered at the counter's kiosk."""
    rate_dossier(user("counter"), code, score, channel="kiosk", now=when)
