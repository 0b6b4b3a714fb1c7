"""The built-in signer: one key file per agency in a directory (MOTCUA_SIGNING_KEYS_DIR).

For the agency with identity code C it reads `C.p12` (PKCS#12, with the `passphrase` option) or else the pair
`C.key.pem` and `C.cert.pem`; `chain.pem` or `root-ca.pem` in the directory, if present, is embedded so that
a verifier can build the path. A key file that its group or others may read is refused, as ssh refuses one:
a signing key must be the service account's alone (0600).
"""

from __future__ import annotations

import stat
from pathlib import Path

from django.conf import settings
from pydantic import BaseModel, ConfigDict
from pyhanko.sign.signers import Signer, SimpleSigner

from motcua.signing.pki import ROOT_CERT, AgencyIdentity, cert_path, key_path
from motcua.signing.signers import ResultSigner, SigningUnavailable, signers

CHAIN_FILES = ("chain.pem", ROOT_CERT)


class KeyFileOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # Empty: MOTCUA_SIGNING_KEYS_DIR.
    directory: str = ""
    # For PKCS#12 files and encrypted PEM keys; the same for every agency of the directory.
    passphrase: str = ""


def _private(path: Path) -> Path:
    if path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise SigningUnavailable(
            f"The key file {path.name} may be read by others than its owner; make it 0600 to sign with it."
        )
    return path


@signers.register("keyfile")
class KeyFileSigner(ResultSigner[KeyFileOptions]):
    options_model = KeyFileOptions

    @property
    def directory(self) -> Path:
        return Path(self.options.directory or settings.MOTCUA_SIGNING_KEYS_DIR)

    def signer_for(self, agency: AgencyIdentity) -> Signer | None:
        directory = self.directory
        passphrase = self.options.passphrase.encode() or None
        chain = [str(directory / name) for name in CHAIN_FILES if (directory / name).is_file()]
        pkcs12 = directory / f"{agency.identity_code}.p12"
        key, cert = key_path(directory, agency.identity_code), cert_path(directory, agency.identity_code)
        if pkcs12.is_file():
            loaded = SimpleSigner.load_pkcs12(
                str(_private(pkcs12)), ca_chain_files=chain, passphrase=passphrase
            )
        elif key.is_file() and cert.is_file():
            loaded = SimpleSigner.load(
                str(_private(key)), str(cert), ca_chain_files=chain, key_passphrase=passphrase
            )
        else:
            return None
        if loaded is None:  # pyHanko logs why and answers None on a file it cannot read
            raise SigningUnavailable(f"The key of agency {agency.identity_code} could not be read.")
        return loaded
