from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "motcua.stats"
    label = "stats"
    verbose_name = _("Statistics")

    def ready(self) -> None:
        # Connect the rollups, and the officers' monthly tallies, to the dossier events.
        from motcua.stats import receivers, receivers_officers  # noqa: F401
