"""A demo public-key infrastructure: a root CA and one certificate per agency, marked DEMO, made with
`cryptography` (which pyHanko depends on). `make run` makes it under the data directory (`motcua pki demo`);
the tests make their own in a temporary directory. Never use these keys for a real result.

The layout is the one the key-file signer reads (signing/keyfile.py):

    <dir>/root-ca.pem             the CA's certificate (a trust root of the verifier in the demo)
    <dir>/root-ca.key.pem         its key, 0600, only to issue more demo certificates
    <dir>/<identity code>.key.pem the agency's key, 0600
    <dir>/<identity code>.cert.pem the agency's certificate, issued by the CA
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

ROOT_CERT = "root-ca.pem"
ROOT_KEY = "root-ca.key.pem"
KEY_SUFFIX = ".key.pem"
CERT_SUFFIX = ".cert.pem"
DEMO_MARK = "DEMO"
_ROOT_YEARS = 10
_AGENCY_YEARS = 3


@dataclass(frozen=True)
class AgencyIdentity:
    """What an agency's certificate says: its identity code (mã định danh) and its name."""

    identity_code: str
    name: str


def key_path(directory: Path, identity_code: str) -> Path:
    return directory / f"{identity_code}{KEY_SUFFIX}"


def cert_path(directory: Path, identity_code: str) -> Path:
    return directory / f"{identity_code}{CERT_SUFFIX}"


def _write_private(path: Path, data: bytes) -> None:
    """Write a key readable by its owner only, from its first byte (no window with looser permissions)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    os.chmod(path, 0o600)


def _pem_key(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _fit(text: str, limit: int = 64) -> str:
    """`text` cut to the 64 bytes of UTF-8 an X.520 name attribute may hold (a Vietnamese name often has
    more), never inside a character."""
    return text.encode()[:limit].decode(errors="ignore").rstrip()


def _name(common_name: str, organisation: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, _fit(organisation)),
            x509.NameAttribute(NameOID.COMMON_NAME, _fit(common_name)),
        ]
    )


def _root(directory: Path, now: dt.datetime) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    """The demo root CA, made the first time and read back afterwards."""
    cert_file, key_file = directory / ROOT_CERT, directory / ROOT_KEY
    if cert_file.exists() and key_file.exists():
        key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
        assert isinstance(key, ec.EllipticCurvePrivateKey)  # we made it so
        return x509.load_pem_x509_certificate(cert_file.read_bytes()), key
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name(f"motcua {DEMO_MARK} Root CA", f"motcua {DEMO_MARK} (not a real authority)")
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365 * _ROOT_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    _write_private(key_file, _pem_key(key))
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert, key


def issue_agency_certificate(
    directory: Path,
    agency: AgencyIdentity,
    *,
    now: dt.datetime | None = None,
    valid_for: dt.timedelta = dt.timedelta(days=365 * _AGENCY_YEARS),
) -> Path:
    """Issue (again) the agency's demo key and certificate under the demo root; the certificate's path."""
    now = now or dt.datetime.now(dt.UTC)
    directory.mkdir(parents=True, exist_ok=True)
    root_cert, root_key = _root(directory, now)
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(f"{DEMO_MARK} {agency.name}", f"{DEMO_MARK} {agency.identity_code}"))
        .issuer_name(root_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + valid_for)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), critical=False
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(root_key, hashes.SHA256())
    )
    _write_private(key_path(directory, agency.identity_code), _pem_key(key))
    path = cert_path(directory, agency.identity_code)
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return path


def ensure_demo_pki(directory: Path, agencies: list[AgencyIdentity]) -> list[str]:
    """The demo root and a certificate for each agency that has none yet (idempotent); the codes issued."""
    directory.mkdir(parents=True, exist_ok=True)
    os.chmod(directory, 0o700)
    _root(directory, dt.datetime.now(dt.UTC))
    issued = []
    for agency in agencies:
        code = agency.identity_code
        if not (key_path(directory, code).exists() and cert_path(directory, code).exists()):
            issue_agency_certificate(directory, agency)
            issued.append(agency.identity_code)
    return issued
