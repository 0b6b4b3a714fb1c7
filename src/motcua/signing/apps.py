from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SigningConfig(AppConfig):
    name = "motcua.signing"
    label = "signing"
    verbose_name = _("Signed results")

    def ready(self) -> None:
        # Importing a signer's module registers it; the check reports a wrong MOTCUA_SIGNERS.
        from motcua.core.domain_events import subscribe
        from motcua.dossiers.domain_events import ResultIssued
        from motcua.signing import checks, keyfile  # noqa: F401
        from motcua.signing.subscribers import sign_issued_result

        subscribe(ResultIssued)(sign_issued_result)
