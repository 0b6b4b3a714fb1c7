from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "motcua.stats"
    label = "stats"
    verbose_name = _("Statistics")

    def ready(self) -> None:
        from motcua.stats import receivers  # noqa: F401  (connects the rollups to the dossier events)
