"""Dossiers walked through the real services at chosen times, and reading the PDFs they print."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from motcua.catalog.models import ProcedureVersion
from motcua.conftest import APPLICANT, PDF_BYTES, VALID_FORM, World
from motcua.core.memo import clear_reference_caches
from motcua.dossiers.models import Dossier, SubmittedAs
from motcua.dossiers.services.actions import take_action_from_fields
from motcua.dossiers.services.files import store_upload
from motcua.dossiers.services.intake import AttachedDocument, Intake, create_dossier
from motcua.org.models import StaffRole

VN = dt.timezone(dt.timedelta(hours=7))
BASE_URL = "http://testserver"
OFFICER_NAMES = {
    "counter": ("Trần Văn", "Nhận"),
    "specialist": ("Lê Thị", "Thẩm"),
    "leader": ("Phạm Văn", "Duyệt"),
    "clerk": ("Đỗ Thị", "Sổ"),
}


def at(text: str) -> dt.datetime:
    """A local time written "2026-03-02 09:00"."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=VN)


def user(username: str) -> User:
    return User.objects.get(username=username)


@pytest.fixture
def office(world: World) -> World:
    """The shared world, with officers' names and the leader's title as they print on forms, and the
    procedure in force since before Circular 03/2025, so that dossiers of both numberings can be made."""
    for username, (first, last) in OFFICER_NAMES.items():
        User.objects.filter(username=username).update(first_name=first, last_name=last)
    StaffRole.objects.filter(user__username="leader").update(position="Giám đốc Sở")
    ProcedureVersion.objects.filter(pk=world.version.pk).update(valid_from=dt.date(2025, 1, 1))
    clear_reference_caches()
    return world


def receive(world: World, when: dt.datetime, officer: str = "counter", **changes: Any) -> Dossier:
    """A dossier received at the counter of the service centre (or the commune's) at `when`."""
    intake = Intake(
        procedure=world.procedure.local_code,
        channel="counter",
        case="standard",
        applicant=changes.pop("applicant", APPLICANT),
        form=VALID_FORM,
        documents=[
            AttachedDocument(world.documents[0].pk, submitted_as=SubmittedAs.ORIGINAL),
            AttachedDocument(world.documents[1].pk, submitted_as=SubmittedAs.CERTIFIED_COPY, copies=2),
        ],
        **changes,
    )
    return create_dossier(user(officer), intake, now=when)


def submit_online(world: World, when: dt.datetime) -> Dossier:
    citizen = user("citizen")
    scan = store_upload(citizen, SimpleUploadedFile("giay-chung-sinh.pdf", PDF_BYTES))
    intake = Intake(
        procedure=world.procedure.local_code,
        channel="online",
        case="standard",
        applicant=APPLICANT,
        form=VALID_FORM,
        documents=[AttachedDocument(world.documents[0].pk, file=scan.pk)],
        result_delivery="online",
    )
    return create_dossier(citizen, intake, now=when)


def act(username: str, code: str, action: str, when: dt.datetime, **payload: Any) -> Dossier:
    version = Dossier.objects.values_list("version", flat=True).get(code=code)
    return take_action_from_fields(user(username), code, action, version, payload, now=when)


def pdf_text(content: bytes) -> str:
    """The text of every page, with runs of white space (line breaks of the layout) made single spaces."""
    reader = PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def page_size(content: bytes) -> tuple[int, int]:
    """Width and height of the first page in points: A5 portrait is 420 × 595, A4 landscape 842 × 595."""
    box = PdfReader(io.BytesIO(content)).pages[0].mediabox
    return round(float(box.width)), round(float(box.height))
