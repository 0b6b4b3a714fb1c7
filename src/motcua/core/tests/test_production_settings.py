"""Production mode cannot be misconfigured (issue 10, findings 2 and 5).

Each test starts a real `motcua` process with a production environment, as a deployment would, because the
settings are read once at start and refusing to start is the behaviour under test.
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys

import pytest

GOOD = {
    "MOTCUA_ENV": "production",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "dichvucong.example.vn",
    "MOTCUA_PUBLIC_URL": "https://dichvucong.example.vn",
}


def motcua(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("MOTCUA_", "DEBUG", "ALLOWED_HOSTS"))}
    base.pop("SECRET_KEY", None)
    # The browser tests set it in this process (e2e/conftest.py); a deployment never has it.
    base.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    base.update(env)
    return subprocess.run(
        [sys.executable, "-m", "motcua", *args], env=base, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_in_production_mode_prints_no_warning():
    """Finding 5: on today's code `check --deploy` in production mode warns W004, W008, W012 and W016."""
    result = motcua("check", "--deploy", "--fail-level", "WARNING", **GOOD)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert not re.search(r"\bW0\d\d\b", output), output
    assert "System check identified no issues" in output


@pytest.mark.parametrize(
    ("missing", "changed", "named"),
    [
        ("SECRET_KEY", {}, "SECRET_KEY"),
        ("ALLOWED_HOSTS", {}, "ALLOWED_HOSTS"),
        (None, {"ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS"),
        ("MOTCUA_PUBLIC_URL", {}, "MOTCUA_PUBLIC_URL"),
        (None, {"MOTCUA_PUBLIC_URL": "http://dichvucong.example.vn"}, "MOTCUA_PUBLIC_URL"),
        (None, {"MOTCUA_PUBLIC_URL": "https://elsewhere.example.vn"}, "ALLOWED_HOSTS"),
        (None, {"DEBUG": "1"}, "DEBUG"),
    ],
)
def test_production_refuses_to_start_half_configured(missing, changed, named):
    """Finding 2: on today's code production starts with DEBUG=1 and ALLOWED_HOSTS=*; it must refuse, naming
    the variable at fault."""
    env = {k: v for k, v in GOOD.items() if k != missing} | changed
    result = motcua("check", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert named in result.stderr.splitlines()[-1]


def test_outside_production_debug_is_off_and_hosts_are_local_names():
    """Finding 2: today DEBUG is on and ALLOWED_HOSTS is '*' unless MOTCUA_ENV=production."""
    code = "from django.conf import settings as s; print(s.DEBUG, s.ALLOWED_HOSTS, s.MOTCUA_PUBLIC_URL)"
    result = motcua("shell", "-c", code, MOTCUA_ENV="development")
    assert result.returncode == 0, result.stderr
    assert (
        result.stdout.strip().splitlines()[-1]
        == "False ['localhost', '127.0.0.1', '[::1]'] http://localhost:8000"
    )


def test_a_trusted_proxy_header_turns_on_the_forwarded_protocol():
    code = "from django.conf import settings as s; print(s.SECURE_PROXY_SSL_HEADER)"
    result = motcua("shell", "-c", code, **GOOD, MOTCUA_TRUSTED_PROXY_HEADER="X-Real-IP")
    assert result.stdout.strip().splitlines()[-1] == "('HTTP_X_FORWARDED_PROTO', 'https')", result.stderr
    result = motcua("shell", "-c", code, **GOOD)
    assert result.stdout.strip().splitlines()[-1] == "None", result.stderr
