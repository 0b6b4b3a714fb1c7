"""Result signers: who holds an agency's signing key. Each is a plugin of the `signers` registry, switched on
with its options by MOTCUA_SIGNERS (core/plugins.py, ADR 0012 and 0017).

A signer answers one question: the pyHanko `Signer` that signs with this agency's certificate, or None when it
holds no key for the agency. pyHanko's `Signer` is the interface every kind of key already has: a key file
(`SimpleSigner`, the built-in `keyfile` plugin), a token or HSM through PKCS#11 (`pyhanko.sign.pkcs11.
PKCS11Signer`, opened with the module, the slot or token label, the key label and the PIN as options), or a
remote signing service (a `Signer` subclass whose `async_sign_raw` sends the digest to the service and
returns its signature, with the agency's certificate as `signing_cert`). Such a plugin is a class registered
here under its key, with its options model; nothing else changes. The signers that are on are asked in the
setting's order, so one deployment can keep some agencies in an HSM and others in files.
"""

from __future__ import annotations

from abc import abstractmethod
from typing import Any

from pyhanko.sign.signers import Signer

from motcua.core.plugins import OptionsT, Plugin, Registry
from motcua.signing.pki import AgencyIdentity


class SigningUnavailable(Exception):
    """The key could not be used now (a file unreadable, an HSM or a service unreachable): worth trying again
    later. Its message names the agency and the cause, never a dossier's personal data."""


class ResultSigner(Plugin[OptionsT]):
    @abstractmethod
    def signer_for(self, agency: AgencyIdentity) -> Signer | None:
        """The pyHanko signer holding `agency`'s certificate; None when this plugin has no key for it;
        SigningUnavailable when it has one but cannot use it now."""


signers: Registry[ResultSigner[Any]] = Registry("result signer", "MOTCUA_SIGNERS")


def signer_for(agency: AgencyIdentity) -> tuple[str, Signer] | None:
    """The first signer that is on and holds a key for `agency`, with its key; None when none does."""
    for key, plugin in signers.enabled().items():
        found = plugin.signer_for(agency)
        if found is not None:
            return key, found
    return None
