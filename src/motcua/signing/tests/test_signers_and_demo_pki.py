"""The key-file signer plugin and the demo PKI: keys 0600 and refused when looser, no key means no signature
(the result waits), a misspelt option stops the start, and `motcua pki demo` is idempotent and marked DEMO."""

from __future__ import annotations

import io
import os
import stat

import pytest
from cryptography import x509
from django.core.management import call_command
from django.core.management.base import CommandError

from motcua.dossiers.models import Dossier
from motcua.signing.checks import signing_settings
from motcua.signing.pki import ROOT_CERT, AgencyIdentity, cert_path, key_path
from motcua.signing.services import CannotSign, sign_result
from motcua.signing.signers import SigningUnavailable, signer_for
from motcua.signing.tests.helpers import issue_with_pdf, online_dossier


def test_a_key_others_may_read_is_refused(world, pki):
    agency = AgencyIdentity(world.department.identity_code, world.department.name)
    assert signer_for(agency) is not None
    os.chmod(key_path(pki.directory, agency.identity_code), 0o644)
    with pytest.raises(SigningUnavailable, match="0600"):
        signer_for(agency)


def test_an_agency_without_a_key_gets_no_signer(world, pki):
    assert signer_for(AgencyIdentity(world.city.identity_code, world.city.name)) is None


def test_a_wrong_signer_setting_is_reported_by_the_system_check(db, settings):
    settings.MOTCUA_SIGNERS = {"keyfile": {"directroy": "/tmp"}}
    assert [m.id for m in signing_settings()] == ["motcua.signing.E001"]
    settings.MOTCUA_SIGNERS = {"hsm": {}}
    assert "'hsm'" in signing_settings()[0].msg
    settings.MOTCUA_SIGNERS = {"keyfile": {}}
    settings.MOTCUA_SIGNING_TRUST_ROOTS = ["/nonexistent/root.pem"]
    assert [m.id for m in signing_settings()] == ["motcua.signing.E002"]


def test_pki_demo_makes_a_marked_demo_ca_and_agency_keys_once(world, tmp_path, settings):
    world.department.is_demo = True
    world.department.name = "Ủy ban nhân dân phường Hoàn Kiếm, thành phố Hà Nội (bộ phận một cửa)"
    world.department.save()  # longer than the 64 bytes a certificate's name may hold
    settings.MOTCUA_SIGNING_KEYS_DIR = tmp_path / "pki"
    out = io.StringIO()
    call_command("pki", "demo", stdout=out)
    assert "1 agency certificate(s) issued" in out.getvalue()
    code = world.department.identity_code
    key, cert = key_path(tmp_path / "pki", code), cert_path(tmp_path / "pki", code)
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "pki" / "root-ca.key.pem").stat().st_mode) == 0o600
    for pem in (cert, tmp_path / "pki" / ROOT_CERT):
        assert "DEMO" in x509.load_pem_x509_certificate(pem.read_bytes()).subject.rfc4514_string()
    before = cert.read_bytes()
    out = io.StringIO()
    call_command("pki", "demo", stdout=out)
    assert "0 agency certificate(s) issued, 1 kept" in out.getvalue()
    assert cert.read_bytes() == before


def test_pki_demo_refuses_to_run_in_production(db, settings):
    settings.ENVIRONMENT = "production"
    with pytest.raises(CommandError):
        call_command("pki", "demo", stdout=io.StringIO())


def test_cannot_sign_names_the_agency_without_a_key(world, pki, django_capture_on_commit_callbacks):
    code = online_dossier(world)
    pki_key = key_path(pki.directory, world.department.identity_code)
    pki_key.unlink()
    issue_with_pdf(world, django_capture_on_commit_callbacks, code)
    with pytest.raises(CannotSign, match=world.department.identity_code):
        sign_result(Dossier.objects.select_related("result_file", "competent_authority").get(code=code))
