from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SandboxConfig(AppConfig):
    """Installed only for the `motcua sandbox` command: the app has no models and no pages of the platform."""

    name = "motcua.sandbox"
    label = "sandbox"
    verbose_name = _("Sandbox of the outside parties")
