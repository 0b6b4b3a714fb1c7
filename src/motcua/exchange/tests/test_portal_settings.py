"""A half-configured national portal, or a wrong outbox setting, is named at start by `motcua check`."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from motcua.exchange.dvcqg.config import portal_config


def test_without_a_url_the_portal_is_off(settings):
    settings.MOTCUA_DVCQG_URL = ""
    assert portal_config() is None


def test_a_url_without_credentials_is_named_by_the_check(settings):
    settings.MOTCUA_DVCQG_URL = "https://dvcqg.example/api"
    settings.MOTCUA_DVCQG_USER = "tinh"
    settings.MOTCUA_DVCQG_PASSWORD = ""
    with pytest.raises(SystemCheckError, match="MOTCUA_DVCQG_PASSWORD must be set"):
        call_command("check")


def test_a_url_that_is_not_http_is_named(settings):
    settings.MOTCUA_DVCQG_URL = "dvcqg.example"
    with pytest.raises(SystemCheckError, match="MOTCUA_DVCQG_URL must be an http"):
        call_command("check")


def test_a_configured_portal_is_read_with_its_paths(settings):
    settings.MOTCUA_DVCQG_URL = "https://dvcqg.example/api/"
    settings.MOTCUA_DVCQG_USER = "tinh"
    settings.MOTCUA_DVCQG_PASSWORD = "secret"
    settings.MOTCUA_DVCQG_DSTCODE = "H26"
    config = portal_config()
    assert config is not None
    assert (config.url, config.auth_path, config.service_path) == (
        "https://dvcqg.example/api",
        "/login",
        "/service",
    )


def test_a_wrong_outbox_setting_is_named_by_the_check(settings):
    settings.MOTCUA_OUTBOX_MAX_ATTEMPTS = 0
    with pytest.raises(
        SystemCheckError, match="MOTCUA_OUTBOX_MAX_ATTEMPTS must be a whole number, 1 or more"
    ):
        call_command("check")
