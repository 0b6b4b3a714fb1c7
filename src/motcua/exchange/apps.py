from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "motcua.exchange"
    label = "exchange"
    verbose_name = _("Exchange with other systems")

    def ready(self) -> None:
        from motcua.core import recurring
        from motcua.exchange import checks  # noqa: F401  (registers the check of the MOTCUA_DVCQG_* settings)

        # Subscribe the outbox writers to the dossiers' history and register the senders: the portal's, and
        # the edXML messages to partner agencies.
        from motcua.exchange.dvcqg import outbound  # noqa: F401
        from motcua.exchange.dvcqg.tasks import schedule_fetch
        from motcua.exchange.edxml import outbound as edxml_outbound  # noqa: F401

        recurring.register("national portal fetch", schedule_fetch)
