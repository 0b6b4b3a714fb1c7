"""Issuing a result with a PDF signs it as PAdES with the competent authority's certificate, after commit;
the original upload is kept; the verifier knows the signed copy and refuses it once a byte is changed.
(Today a result's PDF is stored as uploaded, unsigned, and nothing can say whether a PDF is ours.)"""

from __future__ import annotations

import datetime as dt
import hashlib
import io

from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone
from pyhanko.pdf_utils.reader import PdfFileReader

from motcua.dossiers.models import Dossier
from motcua.org.services import grant_delegation
from motcua.signing.models import SignedResult
from motcua.signing.services import pending_results
from motcua.signing.tests.helpers import issue_with_pdf, online_dossier, verify
from motcua.signing.tests.pdfs import one_page_pdf


def test_an_issued_pdf_is_signed_kept_and_verified_until_a_byte_changes(
    world, pki, client, django_capture_on_commit_callbacks
):
    original = one_page_pdf()
    code = online_dossier(world)
    file_id = issue_with_pdf(world, django_capture_on_commit_callbacks, code, original)

    record = SignedResult.objects.get(dossier__code=code)
    signed = record.file.read()
    assert record.original_id == file_id
    assert record.original.file.read() == original  # the upload is kept as it was
    assert hashlib.sha256(signed).hexdigest() == record.sha256 and record.size == len(signed)
    assert record.signed_by.username == "leader" and not record.on_behalf
    assert record.agency == world.department  # the competent authority's certificate signed
    assert "DEMO" in record.certificate_subject and len(record.certificate_fingerprint) == 64

    signature = PdfFileReader(io.BytesIO(signed), strict=False).embedded_regular_signatures[-1]
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES
    assert code in signature.sig_object["/Reason"] and "12/KS" in signature.sig_object["/Reason"]
    assert signature.sig_object["/Location"] == world.department.name

    answer = verify(client, signed).json()
    assert answer["valid"] is True and answer["finding"] == "valid"
    assert answer["result"]["dossier_code"] == code
    assert answer["result"]["result_number"] == "12/KS"
    assert answer["result"]["procedure_code"] == world.procedure.national_code
    assert answer["result"]["agency_code"] == world.department.identity_code
    assert "Nguyễn Thị Mai" not in str(answer) and "001090012345" not in str(answer)  # no applicant data

    at = signed.index(b"Giay khai sinh")
    tampered = signed[:at] + b"X" + signed[at + 1 :]
    answer = verify(client, tampered).json()
    assert (answer["valid"], answer["finding"]) == (False, "modified")
    assert answer["result"] is None


def test_a_delegate_signs_on_the_leaders_behalf_and_the_signature_says_so(
    world, pki, django_capture_on_commit_callbacks
):
    grant_delegation(
        User.objects.get(username="leader"),
        User.objects.get(username="specialist"),
        world.department,
        procedure_codes=[world.procedure.national_code],
        valid_from=timezone.localdate(),
        valid_to=timezone.localdate() + dt.timedelta(days=5),
    )
    code = online_dossier(world)
    issue_with_pdf(world, django_capture_on_commit_callbacks, code, username="specialist")
    record = SignedResult.objects.get(dossier__code=code)
    assert record.on_behalf and record.signed_by.username == "specialist"
    signature = PdfFileReader(io.BytesIO(record.file.read()), strict=False).embedded_regular_signatures[-1]
    assert world.department.name in signature.sig_object["/Name"]


def test_a_result_left_unsigned_is_signed_by_the_retry_command(
    world, pki, settings, django_capture_on_commit_callbacks
):
    settings.MOTCUA_SIGNERS = {}  # the signer is away when the result is issued
    code = online_dossier(world)
    issue_with_pdf(world, django_capture_on_commit_callbacks, code)
    assert not SignedResult.objects.exists()
    assert list(pending_results()) == [Dossier.objects.get(code=code)]

    settings.MOTCUA_SIGNERS = {"keyfile": {}}
    call_command("signresults", stdout=io.StringIO())
    assert SignedResult.objects.get(dossier__code=code)
    assert not pending_results().exists()
    call_command("signresults", stdout=io.StringIO())  # nothing left: nothing signed twice
    assert SignedResult.objects.count() == 1


def test_a_result_that_is_not_a_pdf_is_not_signed(world, pki, django_capture_on_commit_callbacks):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    code = online_dossier(world)
    issue_with_pdf(world, django_capture_on_commit_callbacks, code, png)
    assert not SignedResult.objects.exists() and not pending_results().exists()
