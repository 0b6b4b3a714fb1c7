"""`motcua check` (and every command) reports a wrong MOTCUA_ALERT_* setting before the worker trips on it."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from motcua.alerts.config import alert_config


@checks.register()
def alert_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    try:
        alert_config()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="motcua.alerts.E001")]
    return []
