"""Issuing a result with a PDF through the real API, with the after-commit subscribers run."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.conftest import act, post_json
from motcua.signing.tests.pdfs import one_page_pdf


def online_dossier(world) -> str:
    body = world.intake_body("citizen", channel="online", receiving_unit=world.centre.identity_code)
    response = post_json(world.client("citizen"), "/api/v1/dossiers", body)
    assert response.status_code == 201, response.content
    code = response.json()["code"]
    for username, action in [("counter", "accept"), ("counter", "forward")]:
        assert act(world, username, code, action).status_code == 200, action
    return code


def issue_with_pdf(world, capture, code: str, pdf: bytes | None = None, username: str = "leader") -> int:
    """Issue the dossier's result as `username` with `pdf` as its file; the upload's id."""
    upload = world.client(username).post(
        "/api/v1/files", {"file": SimpleUploadedFile("ket-qua.pdf", pdf or one_page_pdf())}
    )
    assert upload.status_code == 201, upload.content
    file_id = int(upload.json()["id"])
    with capture(execute=True):
        response = act(world, username, code, "issue_result", result_number="12/KS", result_file=file_id)
    assert response.status_code == 200, response.content
    return file_id


def verify(client, data: bytes, name: str = "ket-qua.pdf"):
    return client.post("/api/v1/verify", {"file": SimpleUploadedFile(name, data)})
