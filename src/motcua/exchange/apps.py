from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "motcua.exchange"
    label = "exchange"
    verbose_name = _("Exchange with other systems")

    def ready(self) -> None:
        # The check of the MOTCUA_DVCQG_* settings; the senders of edXML messages and the subscribers that
        # write them into the outbox.
        from motcua.exchange import checks  # noqa: F401
        from motcua.exchange.edxml import outbound  # noqa: F401
