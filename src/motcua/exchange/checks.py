"""`motcua check` reports a half-configured national portal before the worker trips on it."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from motcua.exchange.dvcqg.config import portal_config


@checks.register()
def portal_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    try:
        portal_config()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="motcua.exchange.E001")]
    return []
