"""`motcua check` reports a wrong MOTCUA_OUTBOX_* setting before the worker trips on it."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from motcua.delivery.config import outbox_config


@checks.register()
def outbox_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    try:
        outbox_config()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="motcua.delivery.E001")]
    return []
