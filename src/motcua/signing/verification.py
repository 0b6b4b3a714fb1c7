"""Is this PDF a valid result of this platform? (ADR 0017)

The answer checks, in order: it is a PDF that pyHanko can read; it carries a signature; the last signature is
intact and covers the whole file (nothing was changed or added after it); its certificate chains to the
configured trust roots and was in force when it signed; and the file is, byte for byte, a signed result this
platform issued (its SHA-256 is a `SignedResult`'s). A known file is judged at the time we recorded signing
it, so a result stays valid after its certificate expires; an unknown one at the present time.

Hostile files: the caller has already refused any over the upload limit; pyHanko reads the rest leniently
and its own errors (PdfError, and the ValueErrors of its CMS and signature checks) are a 422 or a "damaged"
answer; the difference analysis of later revisions is skipped, as any later revision is refused anyway.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _
from pyhanko.keys import load_certs_from_pemder
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESFailure, AdESIndeterminate, AdESSubIndic
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from motcua.core.errors import InvalidInput, PayloadTooLarge
from motcua.signing.models import SignedResult
from motcua.signing.pki import ROOT_CERT
from motcua.signing.services import SIGNATURE_FIELD, certificate_fingerprint

logger = logging.getLogger(__name__)

_PDF_MAGIC = b"%PDF-"
# The header may follow some junk; readers look for it within the first kilobyte.
_HEADER_WINDOW = 1024


class Finding(StrEnum):
    VALID = "valid"
    NO_SIGNATURE = "no_signature"
    MODIFIED = "modified"
    DAMAGED_SIGNATURE = "damaged_signature"
    UNKNOWN_SIGNER = "unknown_signer"
    CERTIFICATE_EXPIRED = "certificate_expired"
    NOT_ISSUED_HERE = "not_issued_here"


def explanation(finding: Finding) -> str:
    return {
        Finding.VALID: _("This is a valid result issued by this platform."),
        Finding.NO_SIGNATURE: _("The file carries no digital signature."),
        Finding.MODIFIED: _("The file was modified after it was signed."),
        Finding.DAMAGED_SIGNATURE: _("The file's signature is damaged and cannot be checked."),
        Finding.UNKNOWN_SIGNER: _(
            "The signature's certificate was not issued by an authority this platform trusts."
        ),
        Finding.CERTIFICATE_EXPIRED: _(
            "The signature's certificate was not in force when the file was signed."
        ),
        Finding.NOT_ISSUED_HERE: _("The signature is valid, but this platform did not issue this file."),
    }[finding]


@dataclass(frozen=True)
class IssuedResult:
    """What the platform tells anyone holding the file: no personal data of the applicant."""

    dossier_code: str
    procedure_code: str
    procedure_name: str
    result_number: str
    agency_code: str
    agency_name: str
    signed_by: str


@dataclass(frozen=True)
class Verdict:
    finding: Finding
    certificate_subject: str = ""
    certificate_fingerprint: str = ""
    signed_at: dt.datetime | None = None
    result: IssuedResult | None = None

    @property
    def valid(self) -> bool:
        return self.finding is Finding.VALID

    @property
    def message(self) -> str:
        return explanation(self.finding)


def trust_roots() -> list[asn1_x509.Certificate]:
    """The certificates a result's signature must chain to: MOTCUA_SIGNING_TRUST_ROOTS, or else the demo
    root in the keys directory when there is one."""
    configured = [Path(p) for p in settings.MOTCUA_SIGNING_TRUST_ROOTS]
    if not configured and settings.ENVIRONMENT != "production":
        demo = Path(settings.MOTCUA_SIGNING_KEYS_DIR) / ROOT_CERT
        configured = [demo] if demo.is_file() else []
    try:
        return list(load_certs_from_pemder([str(p) for p in configured]))
    except (OSError, ValueError) as error:
        raise ImproperlyConfigured(f"MOTCUA_SIGNING_TRUST_ROOTS cannot be read: {error}") from None


def check_pdf_input(data: bytes) -> None:
    """Refuse what is no PDF to check: empty, over the upload limit, or not a PDF (InvalidInput on `file`)."""
    limit = settings.MOTCUA_MAX_UPLOAD_BYTES
    if not data:
        raise InvalidInput.field("file", "empty", _("The file is empty."))
    if len(data) > limit:
        raise PayloadTooLarge(
            _("The file is %(size)d bytes; the limit is %(limit)d bytes.")
            % {"size": len(data), "limit": limit}
        )
    if _PDF_MAGIC not in data[:_HEADER_WINDOW]:
        raise InvalidInput.field("file", "not_pdf", _("The file is not a PDF."))


def _issued(record: SignedResult) -> IssuedResult:
    dossier = record.dossier
    procedure = dossier.procedure_version.procedure
    person = record.signed_by.get_full_name() or record.signed_by.get_username()
    return IssuedResult(
        dossier_code=dossier.code,
        procedure_code=procedure.national_code,
        procedure_name=dossier.procedure_version.name,
        result_number=dossier.result_number,
        agency_code=record.agency.identity_code,
        agency_name=record.agency.name,
        signed_by=person,
    )


_OUT_OF_ITS_TIME = frozenset(
    {
        AdESIndeterminate.OUT_OF_BOUNDS_NO_POE,
        AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED,
        AdESIndeterminate.EXPIRED,
        AdESIndeterminate.NOT_YET_VALID,
        AdESFailure.NOT_YET_VALID,
    }
)


def _trust_finding(indication: AdESSubIndic | None) -> Finding:
    return Finding.CERTIFICATE_EXPIRED if indication in _OUT_OF_ITS_TIME else Finding.UNKNOWN_SIGNER


def verify_pdf(data: bytes) -> Verdict:
    """Judge the presented file; InvalidInput (or PayloadTooLarge) when it is no PDF that can be read."""
    check_pdf_input(data)
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
    except (PdfError, ValueError, RecursionError) as error:
        logger.info("Verification: unreadable PDF (%s)", type(error).__name__)
        raise InvalidInput.field("file", "malformed", _("The PDF cannot be read.")) from None
    try:
        signatures = reader.embedded_regular_signatures
    except (PdfError, ValueError, RecursionError) as error:
        # pyHanko reads each signature's CMS as it lists them: one that cannot be read is damaged.
        logger.info("Verification: unreadable signature (%s)", type(error).__name__)
        return Verdict(Finding.DAMAGED_SIGNATURE)
    if not signatures:
        return Verdict(Finding.NO_SIGNATURE)
    # The platform's own signature when there is one (a later one added by anyone must not hide that the
    # file changed after ours), else the last.
    signature = next((s for s in signatures if s.field_name == SIGNATURE_FIELD), signatures[-1])
    record = (
        SignedResult.objects.filter(sha256=hashlib.sha256(data).hexdigest())
        .select_related("dossier__procedure_version__procedure", "agency", "signed_by")
        .first()
    )
    context = ValidationContext(
        trust_roots=trust_roots(),
        moment=record.signed_at if record else None,
        allow_fetching=False,
        revocation_mode="soft-fail",
    )
    try:
        status = validate_pdf_signature(signature, context, skip_diff=True)
    except (PdfError, ValueError, RecursionError) as error:
        logger.info("Verification: damaged signature (%s)", type(error).__name__)
        return Verdict(Finding.DAMAGED_SIGNATURE)
    certificate = status.signing_cert
    found = {
        "certificate_subject": certificate.subject.human_friendly,
        "certificate_fingerprint": certificate_fingerprint(certificate),
        "signed_at": status.signer_reported_dt,
    }
    if not (status.intact and status.valid) or status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return Verdict(Finding.MODIFIED, **found)
    if not status.trusted:
        return Verdict(_trust_finding(status.trust_problem_indic), **found)
    if record is None:
        return Verdict(Finding.NOT_ISSUED_HERE, **found)
    found["signed_at"] = record.signed_at
    return Verdict(Finding.VALID, result=_issued(record), **found)
