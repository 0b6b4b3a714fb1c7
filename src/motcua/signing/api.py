"""`POST /api/v1/verify`: anyone holding a PDF may ask whether it is a valid result of this platform."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Router, Schema
from ninja.files import UploadedFile as NinjaFile

from motcua.core.api import LocalDateTime
from motcua.core.errors import NotFound, PayloadTooLarge
from motcua.dossiers.selectors import dossier_for
from motcua.org.auth import api_auth
from motcua.privacy.constants import AccessChannel, AccessKind
from motcua.privacy.services import record_read
from motcua.signing.services import signed_copy_of
from motcua.signing.verification import Finding, IssuedResult, Verdict, verify_pdf

router = Router(tags=["verification"])
results_router = Router(tags=["dossiers"], auth=api_auth)


class CertificateOut(Schema):
    subject: str
    fingerprint_sha256: str


class VerdictOut(Schema):
    valid: bool
    finding: Finding
    message: str
    signed_at: LocalDateTime | None
    certificate: CertificateOut | None
    result: IssuedResult | None


def verdict_body(verdict: Verdict) -> dict[str, Any]:
    return {
        "valid": verdict.valid,
        "finding": verdict.finding,
        "message": verdict.message,
        "signed_at": verdict.signed_at,
        "certificate": (
            {"subject": verdict.certificate_subject, "fingerprint_sha256": verdict.certificate_fingerprint}
            if verdict.certificate_subject
            else None
        ),
        "result": verdict.result,
    }


def read_upload(upload: Any) -> bytes:
    """The uploaded file's bytes; PayloadTooLarge before reading one over the upload limit."""
    limit = settings.MOTCUA_MAX_UPLOAD_BYTES
    size = upload.size or 0
    if size > limit:
        raise PayloadTooLarge(
            _("The file is %(size)d bytes; the limit is %(limit)d bytes.") % {"size": size, "limit": limit}
        )
    upload.seek(0)
    data: bytes = upload.read(limit + 1)
    return data


@router.post(
    "",
    auth=None,
    response={200: VerdictOut},
    summary="Check whether a PDF is a valid signed result of this platform",
    description=(
        "Send the PDF as the multipart field `file`; no credentials are needed. A PDF that can be read "
        "always answers 200: `valid` is true only when its signature is intact, covers the whole file, "
        "chains to the platform's trust roots, and the file is one the platform issued; otherwise `finding` "
        "says why not (`no_signature`, `modified`, `damaged_signature`, `unknown_signer`, "
        "`certificate_expired`, `not_issued_here`). A valid answer names the dossier "
        "by its code, procedure and result number, never the applicant. An empty file, or one that is not a "
        "PDF or cannot be read, answers 422; a file over the upload limit 413; a request that is not "
        "well-formed multipart 400."
    ),
)
def verify(request: HttpRequest, file: NinjaFile = File(...)) -> dict[str, Any]:
    return verdict_body(verify_pdf(read_upload(file)))


@results_router.get(
    "/{code}/result",
    summary="The dossier's electronic result, signed once its signature is made",
    description=(
        "The result file of a dossier the caller may see (staff in scope, or the applicant). A PDF result "
        "is served with the agency's PAdES signature once it is signed (ADR 0017), as uploaded until then. "
        "404 when the dossier is not visible to the caller or has no electronic result."
    ),
    openapi_extra={
        "responses": {
            "200": {
                "description": "The result file",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def download_result(request: HttpRequest, code: str) -> FileResponse:
    dossier = dossier_for(request.user, code)
    original = dossier.result_file
    if original is None or dossier.finished_at is None:
        raise NotFound(_("Dossier %s has no electronic result.") % code)
    signed = signed_copy_of(original)
    units = (dossier.current_unit_id, dossier.receiving_unit_id, dossier.competent_authority_id)
    record_read(
        request,
        channel=AccessChannel.API,
        kind=AccessKind.FILE,
        code=code,
        near=units,
        detail=f"{original.pk} {original.original_name}",
    )
    response = FileResponse(
        (signed or original).file.open("rb"),
        content_type=original.content_type,
        as_attachment=True,
        filename=original.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
