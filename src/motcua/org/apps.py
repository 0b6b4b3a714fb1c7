from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "motcua.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from motcua.core.memo import clear_caches_on_change
        from motcua.org import signin  # noqa: F401 (connects the sign-in receiver)
        from motcua.org.models import Agency

        clear_caches_on_change(Agency)
