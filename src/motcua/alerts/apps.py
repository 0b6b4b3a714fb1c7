from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "motcua.alerts"
    label = "alerts"
    verbose_name = _("Deadline alerts")

    def ready(self) -> None:
        from motcua.alerts import checks  # noqa: F401  (registers the check of the MOTCUA_ALERT_* settings)
        from motcua.alerts.tasks import schedule_scan
        from motcua.core import recurring

        recurring.register("deadline scan", schedule_scan)
