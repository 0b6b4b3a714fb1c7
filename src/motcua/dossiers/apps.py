from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "motcua.dossiers"
    label = "dossiers"
    verbose_name = _("Dossiers")

    def ready(self) -> None:
        from motcua.core.domain_events import subscribe
        from motcua.dossiers.domain_events import DossierActed
        from motcua.dossiers.inbox import forget_actor_tab_counts

        subscribe(DossierActed)(forget_actor_tab_counts)
