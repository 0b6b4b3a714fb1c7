from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "motcua.exchange"
    label = "exchange"
    verbose_name = _("Exchange with other systems")

    def ready(self) -> None:
        from motcua.exchange import checks  # noqa: F401  (registers the check of the MOTCUA_DVCQG_* settings)

        # The senders of edXML messages and the subscribers that write them into the outbox.
        from motcua.exchange.edxml import outbound  # noqa: F401
