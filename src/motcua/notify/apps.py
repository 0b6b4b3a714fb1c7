from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "motcua.notify"
    label = "notify"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # Importing a channel's module registers it; the check reports a wrong MOTCUA_NOTIFY_CHANNELS.
        from motcua.notify import checks, mail  # noqa: F401
