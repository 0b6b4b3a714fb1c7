"""Issue 10, finding 6: API tokens expire (MOTCUA_API_TOKEN_DAYS, `motcua apitoken USER --days N`) and end
when their user's password changes or the user is deactivated. On today's code a token worked for ever and
survived a password change."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from motcua.core.errors import InvalidInput
from motcua.org.models import ApiToken
from motcua.org.services import issue_api_token, user_for_token


def _status(token: str) -> int:
    return Client().get("/api/v1/dossiers", headers={"Authorization": f"Bearer {token}"}).status_code


@pytest.fixture
def officer(world) -> User:
    return User.objects.get(username="specialist")


def test_a_token_expires_after_the_configured_days(officer, settings):
    settings.MOTCUA_API_TOKEN_DAYS = 30
    token = issue_api_token(officer)
    assert token.expires_at == ApiToken.objects.get(key_hash=ApiToken.hash_key(token)).expires_at
    assert dt.timedelta(days=29) < token.expires_at - timezone.now() <= dt.timedelta(days=30)
    assert _status(token) == 200
    with time_machine.travel(token.expires_at + dt.timedelta(seconds=1)):
        assert _status(token) == 401


def test_a_password_change_ends_every_token(officer):
    """Fails on today's code: the token kept working."""
    token = issue_api_token(officer)
    assert user_for_token(token) == officer
    officer.set_password("a-new-long-password-2026")
    officer.save()
    assert user_for_token(token) is None
    assert _status(token) == 401
    assert _status(issue_api_token(officer)) == 200  # a token issued since works


def test_a_deactivated_user_has_no_working_token(officer):
    token = issue_api_token(officer)
    officer.is_active = False
    officer.save()
    assert _status(token) == 401


def test_the_command_issues_a_token_for_n_days(officer):
    out = StringIO()
    call_command("apitoken", "specialist", "--days", "7", stdout=out)
    lines = out.getvalue().strip().splitlines()
    token = ApiToken.objects.get(key_hash=ApiToken.hash_key(lines[-1]))
    assert dt.timedelta(days=6) < token.expires_at - timezone.now() <= dt.timedelta(days=7)
    assert "valid until" in lines[0]
    with pytest.raises(CommandError):
        call_command("apitoken", "specialist", "--days", "0", stdout=StringIO())


def test_days_out_of_range_are_refused(officer):
    for days in (0, -1, 367):
        with pytest.raises(InvalidInput):
            issue_api_token(officer, days)


def test_no_token_keeps_the_password_hash(officer):
    token = ApiToken.objects.get(key_hash=ApiToken.hash_key(issue_api_token(officer)))
    assert officer.password not in token.password_fingerprint
    assert len(token.password_fingerprint) == 64
