"""Each answer of the verifier (`POST /api/v1/verify`), and the bad input it refuses with a 4xx problem rather
than a 500. (Today there is no verifier: the endpoint answers 404.)"""

from __future__ import annotations

import datetime as dt
import io

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers

from motcua.signing.models import SignedResult
from motcua.signing.pki import AgencyIdentity, cert_path, ensure_demo_pki, issue_agency_certificate, key_path
from motcua.signing.tests.helpers import issue_with_pdf, online_dossier, verify
from motcua.signing.tests.pdfs import one_page_pdf

PROBLEM = "application/problem+json"


def _signed_outside(directory, identity_code: str, pdf: bytes | None = None) -> bytes:
    """A PDF signed with a key of `directory` by someone other than the platform."""
    signer = signers.SimpleSigner.load(
        str(key_path(directory, identity_code)), str(cert_path(directory, identity_code))
    )
    meta = signers.PdfSignatureMetadata(field_name="Other", subfilter=fields.SigSeedSubFilter.PADES)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf or one_page_pdf()), strict=False)
    return signers.sign_pdf(writer, meta, signer=signer).getvalue()


def _answer(client, data: bytes) -> dict:
    response = verify(client, data)
    assert response.status_code == 200, response.content
    return response.json()


def test_a_pdf_without_a_signature_is_said_to_have_none(db, pki, client):
    answer = _answer(client, one_page_pdf())
    assert (answer["valid"], answer["finding"]) == (False, "no_signature")
    assert answer["message"]


def test_a_pdf_signed_under_an_untrusted_authority_names_an_unknown_signer(world, pki, client, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    ensure_demo_pki(elsewhere, [AgencyIdentity("000.00.99.H99", "Forged agency")])
    answer = _answer(client, _signed_outside(elsewhere, "000.00.99.H99"))
    assert (answer["valid"], answer["finding"]) == (False, "unknown_signer")
    assert "Forged agency" in answer["certificate"]["subject"]


def test_a_genuine_signature_on_a_file_the_platform_did_not_issue_is_not_ours(world, pki, client):
    answer = _answer(client, _signed_outside(pki.directory, world.department.identity_code))
    assert (answer["valid"], answer["finding"]) == (False, "not_issued_here")
    assert answer["result"] is None and answer["signed_at"]


def test_a_signature_made_after_its_certificate_expired_is_refused(world, pki, client):
    code = world.department.identity_code
    issue_agency_certificate(
        pki.directory,
        AgencyIdentity(code, world.department.name),
        now=dt.datetime.now(dt.UTC) - dt.timedelta(days=30),
        valid_for=dt.timedelta(days=1),
    )
    answer = _answer(client, _signed_outside(pki.directory, code))
    assert (answer["valid"], answer["finding"]) == (False, "certificate_expired")


def test_a_result_stays_valid_after_its_certificate_expires(
    world, pki, client, django_capture_on_commit_callbacks
):
    code = online_dossier(world)
    issue_with_pdf(world, django_capture_on_commit_callbacks, code)
    signed = SignedResult.objects.get(dossier__code=code).file.read()
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=365 * 4)):
        answer = _answer(client, signed)
    assert answer["valid"] is True and answer["result"]["dossier_code"] == code


def test_content_appended_after_the_signature_is_a_modification(
    world, pki, client, django_capture_on_commit_callbacks
):
    code = online_dossier(world)
    issue_with_pdf(world, django_capture_on_commit_callbacks, code)
    signed = SignedResult.objects.get(dossier__code=code).file.read()
    # An incremental update (a second signature by anyone) leaves ours intact but no longer the whole file.
    answer = _answer(client, _signed_outside(pki.directory, world.department.identity_code, signed))
    assert (answer["valid"], answer["finding"]) == (False, "modified")


def test_a_signature_whose_contents_are_garbled_is_never_valid(
    world, pki, client, django_capture_on_commit_callbacks
):
    code = online_dossier(world)
    issue_with_pdf(world, django_capture_on_commit_callbacks, code)
    signed = SignedResult.objects.get(dossier__code=code).file.read()
    start = signed.index(b"/Contents <") + len(b"/Contents <")
    garbled = signed[:start] + b"00" * 40 + signed[start + 80 :]
    answer = _answer(client, garbled)
    assert (answer["valid"], answer["finding"]) == (False, "damaged_signature")


def test_bad_input_answers_a_problem_naming_the_file(db, pki, client, settings):
    for data, status, code in [
        (b"", 422, "empty"),
        (b"PK\x03\x04 this is a zip, not a PDF", 422, "not_pdf"),
        (b"%PDF-1.7\n garbage with no objects and no trailer", 422, "malformed"),
    ]:
        response = verify(client, data)
        assert response.status_code == status, (data, response.content)
        assert response["Content-Type"] == PROBLEM
        if code:
            assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [("file", code)]

    settings.MOTCUA_MAX_UPLOAD_BYTES = 1000
    response = verify(client, one_page_pdf() + b"%" * 1000)
    assert response.status_code == 413 and response["Content-Type"] == PROBLEM

    missing = client.post("/api/v1/verify", {"other": SimpleUploadedFile("x.pdf", one_page_pdf())})
    assert missing.status_code == 422 and missing["Content-Type"] == PROBLEM

    no_boundary = client.generic("POST", "/api/v1/verify", b"--x\r\n\r\n", content_type="multipart/form-data")
    assert no_boundary.status_code == 400 and no_boundary["Content-Type"] == PROBLEM


def test_the_verifier_needs_no_credentials_and_is_in_the_openapi_with_its_errors(db, client):
    operation = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/verify"]["post"]
    assert operation.get("security") in (None, [])
    assert {"200", "400", "413", "422"} <= set(operation["responses"])
    assert "file" in str(operation["requestBody"])
