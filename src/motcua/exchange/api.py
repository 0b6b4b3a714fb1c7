"""The exchange's API: the edXML inbox partner agencies send to (docs/integrations/edxml-exchange.md)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router

from motcua.core.errors import NotAuthenticated
from motcua.exchange.edxml.inbound import InboxAnswer, receive, refusal
from motcua.exchange.partners import partner_presenting

router = Router(tags=["edxml"])

EDXML_ANSWER = {
    "description": "An edXML status message (QCVN 102:2016 §9.4)",
    "content": {"application/xml": {"schema": {"type": "string"}}},
}


@router.post(
    "/inbox",
    auth=None,
    summary="Receive an edXML package or status message from a partner agency",
    description=(
        "A partner agency (configured with `motcua exchange partner add`) POSTs an edXML package (a dossier "
        "it transfers to one of our agencies) or a status message (on a dossier we transferred to it), with "
        "`Authorization: Bearer <the credential it presents to us>` and an `Idempotency-Key`. Every answer "
        "but 401 is an edXML status message: 200 with code 03 when the dossier is registered (the same "
        "package again gets the same answer) or 01 when a status is recorded; code 02 with the reason when "
        "refused: 400 malformed, 403 sent in another agency's name, 404 unknown dossier, 413 too large, "
        "422 a dossier that cannot be taken in (not addressed to us, unknown procedure or document, invalid "
        "data)."
    ),
    openapi_extra={
        "requestBody": {"content": {"application/xml": {"schema": {"type": "string"}}}},
        "responses": {
            **{str(code): EDXML_ANSWER for code in (200, 400, 403, 404, 413, 422)},
            # Before the sender is known there is no one to address a status message to.
            "401": {
                "description": "No credential of a partner agency",
                "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
            },
        },
    },
)
def inbox(request: HttpRequest) -> HttpResponse:
    scheme, _space, credential = request.headers.get("Authorization", "").partition(" ")
    partner = partner_presenting(credential.strip()) if scheme.lower() == "bearer" else None
    if partner is None:
        raise NotAuthenticated(
            _("Present the credential this deployment gave your agency as a bearer token.")
        )
    limit = settings.MOTCUA_EDXML_MAX_BYTES
    # Read from the stream, not request.body: Django would refuse anything over its form-data limit.
    data = request.read(limit + 1)
    if len(data) > limit:
        return _xml(refusal(partner, 413, _("The message is larger than %d bytes.") % limit))
    return _xml(receive(partner, data, request.headers.get("Idempotency-Key", "")))


def _xml(answer: InboxAnswer) -> HttpResponse:
    return HttpResponse(answer.body, status=answer.http_status, content_type="application/xml; charset=utf-8")
