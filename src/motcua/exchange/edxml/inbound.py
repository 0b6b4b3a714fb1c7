"""What partner agencies send to our edXML inbox: dossiers they transfer to us, and status messages on the
dossiers we transferred to them (ADR 0027).

Every answer is an edXML status message: 03 when a dossier is registered here (once per sender and code: the
same package told again gets the same answer), 02 with the reason when it is refused, each refusal with the
HTTP status that says whose fault it is. Nothing is half-written: the dossier, its files and its first event
are one transaction.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.selectors import intake_offer
from motcua.core.errors import DomainError, InvalidInput, NotFound
from motcua.dossiers.models import Dossier, Origin
from motcua.dossiers.services.files import store_upload
from motcua.dossiers.services.intake import AttachedDocument, Intake, create_dossier
from motcua.dossiers.services.partner_status import record_partner_status
from motcua.exchange.edxml.codec import (
    MalformedPackage,
    Organisation,
    Package,
    ResponseFor,
    StatusCode,
    StatusMessage,
    decode_message,
    encode_status,
)
from motcua.exchange.edxml.outbound import report_of
from motcua.exchange.edxml.transfer_package import IncomingDossier, incoming_dossier
from motcua.exchange.models import Partner
from motcua.exchange.partners import our_agency
from motcua.org.models import Agency

logger = logging.getLogger(__name__)

# The account dossiers from partners are created under: no password, no roles; the history names it.
EXCHANGE_ACCOUNT = "edxml-exchange"


@dataclass(frozen=True)
class InboxAnswer:
    http_status: int
    body: bytes  # an edXML status message


def receive(partner: Partner, data: bytes, idempotency_key: str = "") -> InboxAnswer:
    """Take what `partner` sent: a package (a dossier for us) or a status message (on a dossier of ours)."""
    try:
        message = decode_message(data)
    except MalformedPackage as error:
        return refusal(partner, 400, str(error))
    if isinstance(message, StatusMessage):
        return _receive_status(partner, message, idempotency_key)
    return _receive_package(partner, message)


def refusal(partner: Partner | None, http_status: int, reason: str) -> InboxAnswer:
    """A status message 02 for what could not even be read."""
    return _answer(
        http_status,
        StatusCode.REFUSED,
        reason,
        _answering_agency(()),
        ResponseFor(organ_id=partner.identity_code if partner else ""),
    )


def _receive_package(partner: Partner, package: Package) -> InboxAnswer:
    response_for = ResponseFor(
        organ_id=partner.identity_code,
        code=package.header.document_id,
        promulgation_date=package.header.promulgation_info.promulgation_date
        if package.header.promulgation_info
        else None,
        document_id=package.header.document_id,
    )
    addressed = tuple(o.organ_id for o in package.header.to)
    ours = _answering_agency(addressed)

    def refuse(http_status: int, reason: str) -> InboxAnswer:
        return _answer(http_status, StatusCode.REFUSED, reason, ours, response_for)

    if package.header.from_.organ_id != partner.identity_code:
        return refuse(
            403,
            _("The package is from %(sender)s, but the credential is that of %(partner)s.")
            % {
                "sender": package.header.from_.organ_id,
                "partner": partner.identity_code,
            },
        )
    receiver = next((a for a in map(our_agency, addressed) if a is not None), None)
    if receiver is None:
        return refuse(
            422, _("None of the agencies it is addressed to (%s) is served here.") % ", ".join(addressed)
        )
    try:
        incoming = incoming_dossier(package)
    except MalformedPackage as error:
        return refuse(400, str(error))
    if not incoming.sender_code:
        return refuse(400, _("The package names no dossier code (DocumentId)."))
    try:
        dossier = _known(partner, incoming) or _create(partner, incoming, receiver)
    except InvalidInput as error:
        reasons = "; ".join(f"{problem.field}: {problem.message}" for problem in error.errors)
        return refuse(422, f"{error.detail} {reasons}".strip())
    except DomainError as error:
        return refuse(error.status if 400 <= error.status < 500 else 422, str(error.detail))
    return _answer(
        200,
        StatusCode.RECEIVED,
        _("Registered as dossier %s.") % dossier.code,
        ours,
        response_for,
    )


def _known(partner: Partner, incoming: IncomingDossier) -> Dossier | None:
    return Dossier.objects.filter(
        origin=Origin.PARTNER, origin_party=partner.identity_code, origin_code=incoming.sender_code
    ).first()


def _create(partner: Partner, incoming: IncomingDossier, receiver: Agency) -> Dossier:
    """Create the dossier with its files, in one transaction; the one created meanwhile by a concurrent
    delivery of the same package when there is one."""
    account = exchange_account()
    offer = intake_offer(incoming.procedure, timezone.localdate())
    case = offer.cases.get(incoming.case) if offer else None
    requirements = {r.name: r.pk for r in case.documents.all()} if case else {}
    # Without the procedure or its case here, the intake names that problem; the documents would not tell it.
    handed_in = incoming.documents if case is not None else []
    try:
        with transaction.atomic():
            documents = []
            stored: dict[str, int] = {}  # file by content id: two documents may be one scan
            for index, document in enumerate(handed_in):
                if document.requirement not in requirements:
                    raise InvalidInput.field(
                        f"documents.{index}.requirement",
                        "unknown",
                        _("The procedure here requires no document named “%s”.") % document.requirement,
                    )
                attachment = document.attachment
                if attachment is not None and attachment.content_id not in stored:
                    upload = SimpleUploadedFile(attachment.name, attachment.data, attachment.content_type)
                    stored[attachment.content_id] = store_upload(account, upload).pk
                documents.append(
                    AttachedDocument(
                        requirement=requirements[document.requirement],
                        file=stored[attachment.content_id] if attachment is not None else None,
                        submitted_as=document.submitted_as,
                        copies=document.copies,
                    )
                )
            return create_dossier(
                account,
                Intake(
                    procedure=incoming.procedure,
                    channel=incoming.channel,
                    applicant=incoming.applicant,
                    form=incoming.form,
                    documents=documents,
                    case=incoming.case,
                    receiving_unit=receiver.identity_code,
                    competent_authority=receiver.identity_code,
                    result_delivery=incoming.result_delivery,
                    representative=incoming.representative,
                    origin=Origin.PARTNER,
                    origin_party=partner.identity_code,
                    origin_code=incoming.sender_code,
                ),
            )
    except IntegrityError:
        known = _known(partner, incoming)
        if known is None:
            raise
        return known


def exchange_account() -> User:
    account, created = get_user_model().objects.get_or_create(username=EXCHANGE_ACCOUNT)
    if created:
        account.set_unusable_password()
        account.save(update_fields=["password"])
    return account


def _receive_status(partner: Partner, status: StatusMessage, idempotency_key: str) -> InboxAnswer:
    code = status.response_for.code
    ours = _answering_agency((status.response_for.organ_id,))
    response_for = ResponseFor(organ_id=partner.identity_code, code=code, document_id=code)
    if status.from_.organ_id != partner.identity_code:
        return _answer(
            403,
            StatusCode.REFUSED,
            _("The status message is from %(sender)s, but the credential is that of %(partner)s.")
            % {"sender": status.from_.organ_id, "partner": partner.identity_code},
            ours,
            response_for,
        )
    try:
        record_partner_status(code, report_of(partner, status, key=idempotency_key))
    except NotFound as error:
        return _answer(404, StatusCode.REFUSED, str(error.detail), ours, response_for)
    return _answer(200, StatusCode.ARRIVED, _("Recorded on dossier %s.") % code, ours, response_for)


def _answering_agency(addressed: tuple[str, ...]) -> Agency:
    """The agency of ours that answers: the one addressed, else the deployment's topmost agency."""
    for code in addressed:
        if (agency := our_agency(code)) is not None:
            return agency
    top = Agency.objects.filter(parent__isnull=True, partner__isnull=True).order_by("identity_code").first()
    if top is None:
        raise NotFound(_("This deployment has no agency to answer for."))
    return top


def _answer(
    http_status: int, status_code: StatusCode, description: str, ours: Agency, response_for: ResponseFor
) -> InboxAnswer:
    if http_status >= 400:
        logger.info("edXML inbox refused a message from %s: HTTP %d", response_for.organ_id, http_status)
    message = StatusMessage(
        response_for=response_for,
        from_=Organisation(organ_id=ours.identity_code, organ_name=ours.name),
        status_code=str(status_code),
        timestamp=timezone.localtime().replace(tzinfo=None, microsecond=0),
        description=description,
    )
    return InboxAnswer(http_status, encode_status(message))
