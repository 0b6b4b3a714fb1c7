from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "motcua.audit"
    label = "audit"
    verbose_name = _("Audit")

    def ready(self) -> None:
        from motcua.audit import recorder

        recorder.connect()
