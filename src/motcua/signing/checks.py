"""`motcua check` reports a wrong MOTCUA_SIGNERS, and trust roots that cannot be read, before a result or a
verification trips on them."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from motcua.signing.signers import signers


@checks.register()
def signing_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    from motcua.signing.verification import trust_roots

    found: list[checks.CheckMessage] = [
        checks.Error(problem, id="motcua.signing.E001") for problem in signers.problems()
    ]
    try:
        trust_roots()
    except ImproperlyConfigured as error:
        found.append(checks.Error(str(error), id="motcua.signing.E002"))
    return found
