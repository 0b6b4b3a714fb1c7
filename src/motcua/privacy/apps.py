from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "motcua.privacy"
    label = "privacy"
    verbose_name = _("Personal data")

    def ready(self) -> None:
        # The API's reads of a dossier are published by the dossiers app (it sits below this one).
        from motcua.privacy import receivers  # noqa: F401
