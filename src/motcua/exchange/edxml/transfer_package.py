"""A dossier transferred between deployments, both ways: ours as an edXML package for a partner, and a
partner's package as the intake of a dossier here.

The package's business document is the dossier's data as JSON (the codec carries it in our own namespace); its
files are the package's attachments, each named by its content id in the document's list of documents.
Procedures are named by their national code and required documents by their name, which both deployments
share; nothing else of our catalogue's keys leaves the deployment. What travels of the applicant is what the
partner needs to process the procedure.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from motcua.core.input import has_unstorable_text
from motcua.dossiers.models import Dossier, UploadedFile
from motcua.dossiers.services.intake import Applicant
from motcua.exchange.edxml.codec import (
    Attachment,
    Bussiness,
    CodeInfo,
    MalformedPackage,
    MessageHeader,
    Organisation,
    Package,
    PromulgationInfo,
    TraceHeader,
)
from motcua.org.models import Agency
from motcua.org.selectors import agency_by_id

BUSINESS_DOCUMENT_PATH = "/edXML/edXMLEnvelope/edXMLBody/BusinessDocument"
DOCUMENT_ID_PATH = "/edXML/edXMLEnvelope/edXMLHeader/MessageHeader/DocumentId"


def package_payload(dossier: Dossier, to: Agency, *, sent_by: int | None, at: dt.datetime) -> dict[str, Any]:
    """The outbox payload of the transfer to `to` (a partner's agency; any agency for `motcua edxml encode`):
    the dossier as it is now, its files by id (read when sent)."""
    sender = agency_by_id(sent_by) if sent_by is not None else dossier.receiving_unit
    documents = [
        {
            "requirement": document.requirement.name if document.requirement else "",
            "submitted_as": document.submitted_as,
            "copies": document.copies,
            "file": document.file_id,
        }
        for document in dossier.documents.select_related("requirement").order_by("id")
    ]
    return {
        "dossier": dossier.code,
        "from": _organisation(sender),
        "to": _organisation(to),
        "sent_at": at.isoformat(),
        "subject": f"{dossier.procedure_version.name} – {dossier.applicant_name}",
        "document": {
            "code": dossier.code,
            "procedure": dossier.procedure_version.procedure.national_code,
            "case": dossier.case.code,
            "channel": dossier.channel,
            "result_delivery": dossier.result_delivery,
            "received_at": dossier.received_at.isoformat() if dossier.received_at else None,
            "due_at": dossier.due_at.isoformat() if dossier.due_at else None,
            "applicant": {
                "kind": dossier.applicant_kind,
                "full_name": dossier.applicant_name,
                "id_number": dossier.applicant_id_number,
                "tax_code": dossier.applicant_tax_code,
                "date_of_birth": dossier.applicant_date_of_birth.isoformat()
                if dossier.applicant_date_of_birth
                else None,
                "phone": dossier.applicant_phone,
                "email": dossier.applicant_email,
                "address": dossier.applicant_address,
            },
            "representative": dossier.representative,
            "form": dossier.form_data,
            "documents": documents,
        },
    }


def _organisation(agency: Agency) -> dict[str, str]:
    return {"organ_id": agency.identity_code, "name": agency.name, "address": agency.address}


def package_from_payload(payload: dict[str, Any]) -> Package:
    """The edXML package of a transfer's payload, its files read from storage now."""
    code = payload["dossier"]
    sent_at = timezone.localtime(parse_datetime(payload["sent_at"]) or timezone.now()).replace(tzinfo=None)
    document = dict(payload["document"])
    files = UploadedFile.objects.in_bulk([d["file"] for d in document["documents"] if d["file"] is not None])
    attachments: dict[int, Attachment] = {}  # by file: two documents may be one scan
    listed = []
    for item in document["documents"]:
        stored = files.get(item["file"]) if item["file"] is not None else None
        if stored is not None and stored.pk not in attachments:
            with stored.file.open("rb") as handle:
                data = handle.read()
            attachments[stored.pk] = Attachment(
                # The same id every time the package is written, so that a retry sends the same package.
                content_id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"motcua:{code}:{stored.pk}")),
                name=stored.original_name,
                content_type=stored.content_type,
                data=data,
                description=item["requirement"],
            )
        content_id = attachments[stored.pk].content_id if stored is not None else ""
        listed.append({**{k: v for k, v in item.items() if k != "file"}, "content_id": content_id})
    document["documents"] = listed
    sender = Organisation(
        organ_id=payload["from"]["organ_id"],
        organ_name=payload["from"]["name"],
        organ_add=payload["from"]["address"],
    )
    return Package(
        header=MessageHeader(
            from_=sender,
            to=[Organisation(organ_id=payload["to"]["organ_id"], organ_name=payload["to"]["name"])],
            code=CodeInfo(code_number=code),
            promulgation_info=PromulgationInfo(promulgation_date=sent_at.date()),
            subject=payload["subject"],
            document_id=code,
        ),
        traces=[TraceHeader(organ_id=sender.organ_id, timestamp=sent_at)],
        bussiness=Bussiness(document_id=code),
        attachments=list(attachments.values()),
        business_document=document,
    )


@dataclass(frozen=True)
class IncomingDocument:
    requirement: str  # the required document's name
    submitted_as: str
    copies: int
    attachment: Attachment | None


@dataclass(frozen=True)
class IncomingDossier:
    """A partner's package read as the intake of a dossier here."""

    sender: str  # the sending agency's identity code
    sender_code: str  # the dossier's code there
    addressed_to: tuple[str, ...]
    procedure: str
    case: str
    channel: str
    result_delivery: str
    applicant: Applicant
    representative: dict[str, Any] | None
    form: dict[str, Any]
    documents: list[IncomingDocument] = field(default_factory=list)


def incoming_dossier(package: Package) -> IncomingDossier:
    """The dossier a package carries; MalformedPackage naming the field when the business document is not one
    of ours."""
    document = package.business_document
    if document is None:
        raise MalformedPackage(_("The package carries no dossier."), BUSINESS_DOCUMENT_PATH)
    if _holds_unstorable_text(document):
        raise MalformedPackage(
            _("The dossier holds a character that cannot be stored."), BUSINESS_DOCUMENT_PATH
        )
    reader = _DocumentReader(document, BUSINESS_DOCUMENT_PATH)
    applicant = _DocumentReader(reader.mapping("applicant"), f"{BUSINESS_DOCUMENT_PATH}/applicant")
    attachments = {a.content_id: a for a in package.attachments}
    sender_code = package.header.document_id or reader.text("code")
    _check_length(sender_code, "origin_code", DOCUMENT_ID_PATH)
    documents = []
    for index, item in enumerate(reader.items("documents")):
        entry = _DocumentReader(item, f"{BUSINESS_DOCUMENT_PATH}/documents/{index}")
        content_id = entry.text("content_id", required=False)
        if content_id and content_id not in attachments:
            raise MalformedPackage(_("No attachment has this content id."), f"{entry.path}/content_id")
        documents.append(
            IncomingDocument(
                requirement=entry.text("requirement"),
                submitted_as=entry.text("submitted_as"),
                copies=entry.number("copies"),
                attachment=attachments.get(content_id) if content_id else None,
            )
        )
    representative = document.get("representative")
    return IncomingDossier(
        sender=package.header.from_.organ_id,
        sender_code=sender_code,
        addressed_to=tuple(organisation.organ_id for organisation in package.header.to),
        procedure=reader.text("procedure"),
        case=reader.text("case"),
        channel=reader.text("channel"),
        result_delivery=reader.text("result_delivery"),
        applicant=Applicant(
            kind=applicant.text("kind"),
            full_name=applicant.text("full_name", stored_as="applicant_name"),
            id_number=applicant.text("id_number", required=False, stored_as="applicant_id_number"),
            tax_code=applicant.text("tax_code", required=False, stored_as="applicant_tax_code"),
            date_of_birth=applicant.date("date_of_birth"),
            phone=applicant.text("phone", required=False, stored_as="applicant_phone"),
            email=applicant.text("email", required=False, stored_as="applicant_email"),
            address=applicant.text("address", required=False, stored_as="applicant_address"),
        ),
        representative=representative if isinstance(representative, dict) else None,
        form=reader.mapping("form"),
        documents=documents,
    )


def _holds_unstorable_text(value: Any) -> bool:
    if isinstance(value, str):
        return has_unstorable_text(value)
    if isinstance(value, dict):
        return any(_holds_unstorable_text(k) or _holds_unstorable_text(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_unstorable_text(item) for item in value)
    return False


def _check_length(value: str, stored_as: str, path: str) -> None:
    """MalformedPackage when `value` is longer than the dossier field `stored_as` keeps."""
    field = Dossier._meta.get_field(stored_as)
    limit = field.max_length if isinstance(field, models.Field) else None
    if limit is not None and len(value) > limit:
        raise MalformedPackage(_("At most %d characters are kept here.") % limit, path)


class _DocumentReader:
    """Typed reads of one JSON object of the business document, each failure naming its path."""

    def __init__(self, value: dict[str, Any], path: str) -> None:
        self.value = value
        self.path = path

    def text(self, name: str, *, required: bool = True, stored_as: str = "") -> str:
        """The text `name`; `stored_as` names the dossier field it is kept in, whose length bounds it."""
        value = self.value.get(name)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            raise MalformedPackage(_("A text is expected here."), f"{self.path}/{name}")
        if stored_as:
            _check_length(value, stored_as, f"{self.path}/{name}")
        return value

    def date(self, name: str) -> dt.date | None:
        text = self.text(name, required=False)
        try:
            value = parse_date(text) if text else None
        except ValueError:
            value = None
        if text and value is None:
            raise MalformedPackage(_("A date (YYYY-MM-DD) is expected here."), f"{self.path}/{name}")
        return value

    def number(self, name: str) -> int:
        value = self.value.get(name)
        if isinstance(value, bool) or not isinstance(value, int):
            raise MalformedPackage(_("A whole number is expected here."), f"{self.path}/{name}")
        return value

    def mapping(self, name: str) -> dict[str, Any]:
        value = self.value.get(name)
        if not isinstance(value, dict):
            raise MalformedPackage(_("An object is expected here."), f"{self.path}/{name}")
        return value

    def items(self, name: str) -> list[dict[str, Any]]:
        value = self.value.get(name, [])
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            raise MalformedPackage(_("A list of objects is expected here."), f"{self.path}/{name}")
        return value
