"""Dossiers and their news to partner agencies, as edXML through the outbox (ADR 0027).

Two messages go out, each written in the transaction of the change it tells of:
- `edxml.package`: a dossier transferred to a partner, built from the dossier as it is at the transfer;
- `edxml.status`: a status message to the partner that handed us a dossier, as our work on it progresses.

The sender POSTs the edXML to the partner's inbox with the credential we present and the message's
Idempotency-Key. A 2xx answer delivers it; a 4xx answer refuses it (the message is dead, the partner's own
words kept); no answer or a 5xx is Unreachable, tried again later. The partner's answer to a package is a
status message, which joins our dossier's history like any status it sends later.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import httpx
from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from motcua.core.domain_events import subscribe_in_transaction
from motcua.core.errors import InvalidInput, NotFound
from motcua.delivery.models import OutboxMessage
from motcua.delivery.outbox import Refused, Unreachable, enqueue, register_sender
from motcua.dossiers.domain_events import DossierActed, DossierTransferred
from motcua.dossiers.lifecycle import ActionName
from motcua.dossiers.models import Dossier, Origin
from motcua.dossiers.services.partner_status import PartnerReport, record_partner_status
from motcua.exchange.edxml.codec import (
    MalformedPackage,
    Organisation,
    ResponseFor,
    StatusCode,
    StatusMessage,
    decode_status,
    encode_package,
    encode_status,
)
from motcua.exchange.edxml.transfer_package import package_from_payload, package_payload
from motcua.exchange.models import Partner
from motcua.exchange.models.partners import destination_of

logger = logging.getLogger(__name__)

PACKAGE_KIND = "edxml.package"
STATUS_KIND = "edxml.status"
EDXML_CONTENT_TYPE = "application/xml"

# What the partner that handed us a dossier hears of our work on it (DOMAIN.md §9.4); the rest of our history
# is ours. That we received it, it heard in the answer to its package.
STATUS_OF_EVENT: dict[str, StatusCode] = {
    ActionName.ASSIGN: StatusCode.ASSIGNED,
    ActionName.FORWARD: StatusCode.PROCESSING,
    ActionName.TRANSFER: StatusCode.PROCESSING,
    ActionName.ISSUE_RESULT: StatusCode.COMPLETED,
    ActionName.STOP: StatusCode.REFUSED,
    ActionName.WITHDRAW: StatusCode.REFUSED,
}
# The statuses after which the partner does no more on a dossier: it comes back to the unit that sent it.
FINAL_STATUSES = frozenset({StatusCode.COMPLETED, StatusCode.REFUSED})


def ordering_key(dossier_code: str) -> str:
    return f"dossier:{dossier_code}"


@subscribe_in_transaction(DossierTransferred)
def send_transferred_dossier(event: DossierTransferred) -> None:
    """A dossier transferred to a partner's agency goes to the partner; one to an inactive partner is refused
    (and the transfer with it), since it would wait at a unit nobody works in."""
    partner = (
        Partner.objects.select_related("agency")
        .filter(agency__identity_code=event.data.get("to_unit"))
        .first()
    )
    if partner is None:
        return
    if not partner.is_active:
        raise InvalidInput.field(
            "to_unit", "partner_inactive", _("The exchange with this partner agency is switched off.")
        )
    if "competent_authority" in event.data:
        # A transfer at receipt makes the unit it goes to the deciding one; a partner does its part of a
        # dossier in process here, which then comes back for the one result (ADR 0027).
        raise InvalidInput.field(
            "to_unit",
            "partner_at_receipt",
            _("Forward the dossier first: a partner agency takes its part of a dossier in process here."),
        )
    dossier = Dossier.objects.select_related("procedure_version__procedure", "case", "receiving_unit").get(
        pk=event.dossier_id
    )
    enqueue(
        partner.destination,
        PACKAGE_KIND,
        package_payload(dossier, partner.agency, sent_by=event.actor_unit_id, at=event.at),
        ordering_key=ordering_key(event.code),
    )


@subscribe_in_transaction(DossierActed)
def send_status_to_sender(event: DossierActed) -> None:
    """Tell the partner that handed us the dossier how our work on it goes."""
    status = STATUS_OF_EVENT.get(event.name)
    if status is None:
        return
    dossier = (
        Dossier.objects.select_related("receiving_unit")
        .filter(pk=event.dossier_id, origin=Origin.PARTNER)
        .first()
    )
    if dossier is None or not Partner.objects.filter(agency__identity_code=dossier.origin_party).exists():
        return
    enqueue(
        destination_of(dossier.origin_party),
        STATUS_KIND,
        {
            "response_for": {"organ_id": dossier.origin_party, "code": dossier.origin_code},
            "from": {"organ_id": dossier.receiving_unit.identity_code, "name": dossier.receiving_unit.name},
            "status_code": str(status),
            "description": _status_description(status, event.data),
            "at": event.at.isoformat(),
        },
        ordering_key=ordering_key(event.code),
    )


def _status_description(status: StatusCode, data: Mapping[str, Any]) -> str:
    details = [str(data["reason"])] if data.get("reason") else []
    if data.get("result_number"):
        details.append(_("result number %s") % data["result_number"])
    return f"{status.label}: {'; '.join(details)}" if details else str(status.label)


class PartnerRefused(Refused):
    """The partner answered 4xx; `status` is the status message it explained itself with, if any."""

    def __init__(self, reason: str, status: StatusMessage | None) -> None:
        super().__init__(reason)
        self.status = status


@register_sender(PACKAGE_KIND)
def deliver_package(message: OutboxMessage) -> dict[str, Any]:
    partner = _partner_for(message)
    package = package_from_payload(message.payload)
    try:
        body = encode_package(package)
    except MalformedPackage as error:
        raise Refused(_("The package cannot be written: %s") % error) from None
    dossier_code = message.payload["dossier"]
    try:
        answer = _post(partner, body, message)
    except PartnerRefused as refusal:
        if refusal.status is not None:
            _record(dossier_code, partner, refusal.status, message)
        raise
    if answer is not None:
        _record(dossier_code, partner, answer, message)
    return _answer_summary(answer)


@register_sender(STATUS_KIND)
def deliver_status(message: OutboxMessage) -> dict[str, Any]:
    partner = _partner_for(message)
    payload = message.payload
    at = parse_datetime(payload["at"]) or timezone.now()
    status = StatusMessage(
        response_for=ResponseFor(
            organ_id=payload["response_for"]["organ_id"],
            code=payload["response_for"]["code"],
            document_id=payload["response_for"]["code"],
        ),
        from_=Organisation(organ_id=payload["from"]["organ_id"], organ_name=payload["from"]["name"]),
        status_code=payload["status_code"],
        timestamp=timezone.localtime(at).replace(tzinfo=None),
        description=payload["description"],
    )
    return _answer_summary(_post(partner, encode_status(status), message))


def _partner_for(message: OutboxMessage) -> Partner:
    code = message.destination.removeprefix("partner:")
    partner = (
        Partner.objects.select_related("agency").filter(agency__identity_code=code, is_active=True).first()
    )
    if partner is None:
        raise Refused(_("%s is not an active partner agency.") % code)
    return partner


def _post(partner: Partner, body: bytes, message: OutboxMessage) -> StatusMessage | None:
    """POST the edXML to the partner's inbox; the status message it answered with, if it gave one."""
    try:
        response = httpx.post(
            partner.inbox_url,
            content=body,
            headers={
                "Content-Type": EDXML_CONTENT_TYPE,
                "Authorization": f"Bearer {partner.outbound_credential}",
                "Idempotency-Key": str(message.idempotency_key),
            },
            timeout=settings.MOTCUA_EDXML_TIMEOUT_SECONDS,
        )
    except httpx.HTTPError as error:
        # The class of the error only: the request it carries holds our credential.
        raise Unreachable(
            _("%(partner)s did not answer (%(error)s).")
            % {
                "partner": partner.identity_code,
                "error": type(error).__name__,
            }
        ) from None
    status = _status_in(response.content)
    code = response.status_code
    if 200 <= code < 300:
        return status
    if 400 <= code < 500 and code not in (408, 429):
        said = f"{status.status_code} {status.description}" if status is not None else response.reason_phrase
        raise PartnerRefused(
            _("%(partner)s refused it (HTTP %(code)d): %(said)s")
            % {
                "partner": partner.identity_code,
                "code": code,
                "said": said,
            },
            status,
        )
    raise Unreachable(
        _("%(partner)s answered HTTP %(code)d.") % {"partner": partner.identity_code, "code": code}
    )


def _status_in(body: bytes) -> StatusMessage | None:
    try:
        return decode_status(body)
    except MalformedPackage:
        return None


def _record(dossier_code: str, partner: Partner, status: StatusMessage, message: OutboxMessage) -> None:
    """The partner's answer joins our dossier's history (once, however often the message is tried)."""
    try:
        record_partner_status(dossier_code, report_of(partner, status, key=str(message.idempotency_key)))
    except NotFound:
        logger.warning("Dossier %s has no transfer to %s to record its answer on", dossier_code, partner.pk)


def report_of(partner: Partner, status: StatusMessage, *, key: str) -> PartnerReport:
    return PartnerReport(
        partner_code=partner.identity_code,
        status_code=status.status_code,
        description=status.description,
        reported_at=timezone.make_aware(status.timestamp)
        if timezone.is_naive(status.timestamp)
        else status.timestamp,
        hands_back=status.status_code in FINAL_STATUSES,
        message_key=key,
    )


def _answer_summary(status: StatusMessage | None) -> dict[str, Any]:
    if status is None:
        return {}
    return {"status_code": status.status_code, "description": status.description[:500]}
