"""The public page /verify/: a form with CSRF, the verdict naming the dossier (never the applicant), and the
problem with a bad file on the form with a 4xx. (Today /verify/ is a 404.)"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.signing.models import SignedResult
from motcua.signing.tests.helpers import issue_with_pdf, online_dossier
from motcua.signing.tests.pdfs import one_page_pdf


def _post(client: Client, data: bytes):
    return client.post("/verify/", {"file": SimpleUploadedFile("ket-qua.pdf", data)})


def test_the_page_names_the_dossier_of_a_valid_result_and_says_why_another_is_not(
    world, pki, client, django_capture_on_commit_callbacks
):
    assert client.get("/verify/").status_code == 200
    code = online_dossier(world)
    issue_with_pdf(world, django_capture_on_commit_callbacks, code)
    signed = SignedResult.objects.get(dossier__code=code).file.read()

    page = _post(client, signed)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-finding="valid"' in html and code in html and "12/KS" in html
    assert "Nguyễn Thị Mai" not in html and "001090012345" not in html

    page = _post(client, one_page_pdf())
    assert 'data-finding="no_signature"' in page.content.decode()


def test_a_bad_file_is_shown_on_the_form_with_a_4xx(db, pki, client, settings):
    assert _post(client, b"not a pdf at all").status_code == 422
    assert client.post("/verify/", {}).status_code == 422
    settings.MOTCUA_MAX_UPLOAD_BYTES = 100
    page = _post(client, one_page_pdf())
    assert page.status_code == 413 and 'id="file_error"' in page.content.decode()


def test_the_form_needs_its_csrf_token(db, pki):
    client = Client(enforce_csrf_checks=True)
    assert client.post("/verify/", {"file": SimpleUploadedFile("x.pdf", one_page_pdf())}).status_code == 403
    form = client.get("/verify/")
    assert 'name="csrfmiddlewaretoken"' in form.content.decode()
