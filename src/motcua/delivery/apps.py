from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveryConfig(AppConfig):
    name = "motcua.delivery"
    label = "delivery"
    verbose_name = _("Outbound messages")

    def ready(self) -> None:
        from motcua.core import recurring
        from motcua.delivery.tasks import schedule_retries

        recurring.register("outbox delivery", schedule_retries)
