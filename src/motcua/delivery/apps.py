from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveryConfig(AppConfig):
    name = "motcua.delivery"
    label = "delivery"
    verbose_name = _("Outbound messages")

    def ready(self) -> None:
        from motcua.core import recurring, retention
        from motcua.delivery import checks  # noqa: F401  (registers the check of the MOTCUA_OUTBOX_* settings)
        from motcua.delivery.outbox import purge_delivered
        from motcua.delivery.tasks import schedule_retries

        recurring.register("outbox delivery", schedule_retries)
        retention.register("delivered outbound messages", purge_delivered)
