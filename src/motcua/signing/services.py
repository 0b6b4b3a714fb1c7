"""Signing an issued result (ADR 0017): after the issuing action commits, its PDF is signed as PAdES
B-B with the competent authority's certificate, and the signed copy is stored beside the original.

Signing runs after commit, not inside the action: a key in an HSM or behind a remote service may be slow or
away, and the leader's decision, already recorded, must not wait for it or be undone by it. A result whose
signing failed (or whose process died after the commit) stays unsigned until `motcua signresults` or the next
issue-time attempt signs it; `pending_results` lists them, and the downloads serve the original meanwhile.
"""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass

from asn1crypto import x509 as asn1_x509
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError

from motcua.dossiers.lifecycle import ActionName
from motcua.dossiers.models import Dossier, DossierEvent, UploadedFile
from motcua.signing.models import SignedResult
from motcua.signing.pki import AgencyIdentity
from motcua.signing.signers import SigningUnavailable, signer_for

logger = logging.getLogger(__name__)

PDF = "application/pdf"
SIGNATURE_FIELD = "MotcuaResult"


class CannotSign(Exception):
    """This result cannot be signed as it is (no key for its agency, a PDF pyHanko cannot read): trying again
    will not help until someone acts. The message names the dossier's code and the cause only."""


@dataclass(frozen=True)
class Signatory:
    """Who decided the result, as the issuing event recorded it."""

    user: User
    on_behalf: bool


def certificate_fingerprint(certificate: asn1_x509.Certificate) -> str:
    return hashlib.sha256(certificate.dump()).hexdigest()


def _signatory(dossier: Dossier) -> Signatory:
    issued = (
        DossierEvent.objects.filter(dossier=dossier, action=ActionName.ISSUE_RESULT)
        .select_related("actor")
        .order_by("-version")
        .first()
    )
    if issued is None or issued.actor is None:
        raise CannotSign(f"Dossier {dossier.code} has no issued result to sign.")
    return Signatory(issued.actor, issued.data.get("signed_as") == "on_behalf")


def _metadata(dossier: Dossier, signatory: Signatory) -> signers.PdfSignatureMetadata:
    user = signatory.user
    person = user.get_full_name() or user.get_username()
    # The signature's own fields say, in the administration's language, which result this is and who decided.
    with translation.override(settings.LANGUAGE_CODE):
        if signatory.on_behalf:
            name = _("%(person)s, on behalf of the head of %(agency)s") % {
                "person": person,
                "agency": dossier.competent_authority.name,
            }
        else:
            name = person
        reason = _("Result %(number)s of dossier %(code)s") % {
            "number": dossier.result_number or "-",
            "code": dossier.code,
        }
    public_url = settings.MOTCUA_PUBLIC_URL
    return signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        name=name,
        location=dossier.competent_authority.name,
        contact_info=f"{public_url}/verify/" if public_url else None,
    )


def sign_result(dossier: Dossier) -> SignedResult | None:
    """The signed copy of the dossier's result, made now if it has none; None when its result is not a PDF.

    Idempotent: a result already signed is returned as it is, and two processes signing at once keep the
    first copy. CannotSign when it never will be as things are; SigningUnavailable when the key is away."""
    existing = SignedResult.objects.filter(dossier=dossier).first()
    if existing is not None:
        return existing
    original = dossier.result_file
    if original is None or original.content_type != PDF or not dossier.finished_at:
        return None
    agency = dossier.competent_authority
    found = signer_for(AgencyIdentity(agency.identity_code, agency.name))
    if found is None:
        raise CannotSign(f"No signer holds a key for agency {agency.identity_code} (dossier {dossier.code}).")
    plugin, signer = found
    signatory = _signatory(dossier)
    with original.file.open("rb") as handle:
        data = handle.read()
    signed_at = timezone.now()
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
        signed = signers.sign_pdf(writer, _metadata(dossier, signatory), signer=signer).getvalue()
    except (PdfError, SigningError, ValueError) as error:
        raise CannotSign(f"The result of dossier {dossier.code} could not be signed: {error}") from None
    digest = hashlib.sha256(signed).hexdigest()
    certificate = signer.signing_cert
    assert certificate is not None  # a pyHanko signer that signed has its certificate
    record = SignedResult(
        dossier=dossier,
        original=original,
        sha256=digest,
        size=len(signed),
        signed_by=signatory.user,
        on_behalf=signatory.on_behalf,
        agency=agency,
        signer_plugin=plugin,
        certificate_subject=certificate.subject.human_friendly[:500],
        certificate_fingerprint=certificate_fingerprint(certificate),
        signed_at=signed_at,
    )
    record.file.save(f"{digest[:16]}.pdf", ContentFile(signed), save=False)
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        record.file.delete(save=False)
        return SignedResult.objects.get(dossier=dossier)
    return record


def pending_results() -> QuerySet[Dossier]:
    """Issued results in PDF that have no signed copy yet."""
    return Dossier.objects.filter(
        finished_at__isnull=False, result_file__content_type=PDF, signed_result__isnull=True
    ).order_by("finished_at", "pk")


def try_to_sign(dossier: Dossier) -> SignedResult | None:
    """Sign the result if possible, logging (code and cause only) rather than raising when it is not."""
    try:
        return sign_result(dossier)
    except (CannotSign, SigningUnavailable) as error:
        logger.warning("Result not signed: %s", error)
        return None


def signed_copy_of(original: UploadedFile) -> SignedResult | None:
    """The signed copy of an uploaded result, which a download serves in its place once it exists."""
    return SignedResult.objects.filter(original=original).first()
