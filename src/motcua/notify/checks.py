"""`motcua check` (and every command) reports a wrong MOTCUA_NOTIFY_CHANNELS before a message trips on it."""

from __future__ import annotations

from typing import Any

from django.core import checks

from motcua.notify.channels import channels


@checks.register()
def channel_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    return [checks.Error(problem, id="motcua.notify.E001") for problem in channels.problems()]
