"""Two submissions of one draft at the same moment (a double click that beats the page, two tabs): real
threads and connections, and still exactly one dossier, which both requests answer with."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from motcua.conftest import CITIZEN_ID, PDF_BYTES, VALID_FORM
from motcua.dossiers.models import Dossier
from motcua.portal import applications
from motcua.portal.models import ApplicationDraft, DraftState

pytestmark = pytest.mark.django_db(transaction=True)


def test_simultaneous_submissions_create_one_dossier(world):
    citizen = User.objects.get(username="citizen")
    draft = applications.start_application(citizen, world.procedure.local_code, "standard")
    answers = {
        **draft.answers,
        "applicant.full_name": "Nguyễn Thị Mai",
        "applicant.id_number": CITIZEN_ID,
        **{f"form.{key}": value for key, value in VALID_FORM.items()},
    }
    draft = applications.save_draft(citizen, draft.pk, draft.version, answers)
    upload = SimpleUploadedFile("a.pdf", PDF_BYTES)
    applications.attach_document(citizen, draft.pk, world.documents[0].pk, upload)
    barrier = threading.Barrier(2)

    def submit() -> str:
        try:
            barrier.wait(timeout=30)
            return applications.submit_application(citizen, draft.pk, draft.version).code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        codes = [f.result(timeout=120) for f in [pool.submit(submit), pool.submit(submit)]]

    dossier = Dossier.objects.get()
    assert codes == [dossier.code, dossier.code]
    assert ApplicationDraft.objects.get().state == DraftState.SUBMITTED
