"""Wherever the result is downloaded (the back office's file link, the citizen's My dossiers), the signed copy
is served once it exists, under the result's name. (Today both serve the unsigned upload.)"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client

from motcua.dossiers.models import Dossier
from motcua.privacy.constants import AccessChannel, AccessKind
from motcua.privacy.models import AccessRecord
from motcua.signing.models import SignedResult
from motcua.signing.tests.helpers import issue_with_pdf, online_dossier
from motcua.signing.tests.pdfs import one_page_pdf


def _signed_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_the_back_office_and_the_portal_serve_the_signed_result(
    world, pki, django_capture_on_commit_callbacks
):
    original = one_page_pdf()
    code = online_dossier(world)
    file_id = issue_with_pdf(world, django_capture_on_commit_callbacks, code, original)
    signed = SignedResult.objects.get(dossier__code=code).file.read()
    assert signed != original and signed.startswith(original)  # an incremental update: the original stays

    office = _signed_in("leader").get(f"/office/dossiers/{code}/files/{file_id}/")
    assert office.status_code == 200, office
    assert office.getvalue() == signed
    assert office["Content-Type"] == "application/pdf"

    mine = _signed_in("citizen").get(f"/my/dossiers/{code}/files/{file_id}/")
    assert mine.status_code == 200
    assert mine.getvalue() == signed
    assert 'filename="ket-qua.pdf"' in mine["Content-Disposition"]


def test_an_unsigned_result_is_served_as_uploaded_until_it_is_signed(
    world, pki, settings, django_capture_on_commit_callbacks
):
    settings.MOTCUA_SIGNERS = {}
    original = one_page_pdf()
    code = online_dossier(world)
    file_id = issue_with_pdf(world, django_capture_on_commit_callbacks, code, original)
    mine = _signed_in("citizen").get(f"/my/dossiers/{code}/files/{file_id}/")
    assert mine.getvalue() == original
    assert Dossier.objects.get(code=code).result_file_id == file_id


def test_the_api_serves_the_signed_result_to_whoever_may_see_the_dossier(
    world, pki, django_capture_on_commit_callbacks
):
    code = online_dossier(world)
    assert world.client("citizen").get(f"/api/v1/dossiers/{code}/result").status_code == 404  # none yet
    issue_with_pdf(world, django_capture_on_commit_callbacks, code)
    signed = SignedResult.objects.get(dossier__code=code).file.read()
    for username in ("citizen", "leader"):
        response = world.client(username).get(f"/api/v1/dossiers/{code}/result")
        assert response.status_code == 200 and response.getvalue() == signed
        assert response["Content-Type"] == "application/pdf"
    # Each download is a read of the dossier's personal data, in the access log (ADR 0016).
    api_file_reads = AccessRecord.objects.filter(channel=AccessChannel.API, kind=AccessKind.FILE)
    downloads = api_file_reads.filter(dossier_code=code)
    assert sorted(downloads.values_list("user__username", flat=True)) == ["citizen", "leader"]
    assert world.client("stranger").get(f"/api/v1/dossiers/{code}/result").status_code == 404
    assert world.client("other_specialist").get(f"/api/v1/dossiers/{code}/result").status_code == 404
    assert world.client(None).get(f"/api/v1/dossiers/{code}/result").status_code in (401, 403)
