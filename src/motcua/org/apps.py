from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "motcua.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from motcua.core.memo import clear_reference_caches
        from motcua.org.models import Agency

        for signal in (post_save, post_delete):
            signal.connect(clear_reference_caches, sender=Agency, dispatch_uid=f"org-agency-{signal}")
