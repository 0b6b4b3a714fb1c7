"""The admin lists signed results for operators and lets no one add, change or delete one."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client

from motcua.signing.models import SignedResult
from motcua.signing.tests.helpers import issue_with_pdf, online_dossier


def test_the_admin_lists_signed_results_read_only(world, pki, django_capture_on_commit_callbacks):
    code = online_dossier(world)
    issue_with_pdf(world, django_capture_on_commit_callbacks, code)
    record = SignedResult.objects.get(dossier__code=code)
    admin = Client()
    admin.force_login(User.objects.create_superuser("quantri", "q@example.vn", "pw-12345678"))
    listing = admin.get("/admin/signing/signedresult/")
    assert listing.status_code == 200 and code in listing.content.decode()
    assert admin.get("/admin/signing/signedresult/add/").status_code == 403
    assert admin.post(f"/admin/signing/signedresult/{record.pk}/delete/", {"post": "yes"}).status_code == 403
    assert SignedResult.objects.filter(pk=record.pk).exists()
