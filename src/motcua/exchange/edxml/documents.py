"""One of our dossiers as an edXML package for a partner agency, and a received package back as the fields an
intake needs.

The dossier travels as our business document (JSON, `codec.MOTCUA_NS`) beside the standard header, with its
scanned documents as attachments. Only what the receiving agency needs to process the procedure goes: the
procedure and case, the applicant and representative (it decides on them and returns the result to them),
the e-form, the documents and their scans, the dates. No officer, no history, no account, no lookup key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass
from typing import Any, NoReturn

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import Conflict
from motcua.dossiers.models import Dossier, DossierDocument, UploadedFile
from motcua.dossiers.selectors import dossier_documents
from motcua.dossiers.services.intake import Applicant
from motcua.exchange.edxml.codec import (
    Attachment,
    Bussiness,
    BussinessDocType,
    CodeInfo,
    MalformedPackage,
    MessageHeader,
    Organisation,
    Package,
    PromulgationInfo,
    TraceHeader,
)
from motcua.org.models import Agency

BUSINESS_DOCUMENT_KIND = "motcua.dossier"
BUSINESS_DOCUMENT_VERSION = 1
_DOCUMENT_PATH = "/edXML/edXMLEnvelope/edXMLBody/BusinessDocument"
# Content ids are derived, not drawn: the same dossier encodes to the same package every time it is sent.
_CONTENT_ID_NAMESPACE = uuid.UUID("5b0d1d8e-3f0c-4c1e-9d7a-6f3f1e2a8b10")


def organisation(agency: Agency) -> Organisation:
    """An agency of ours as the From (or To) block."""
    return Organisation(
        organ_id=agency.identity_code,
        organ_name=agency.name,
        organization_in_charge=agency.parent.identity_code if agency.parent_id and agency.parent else "",
        organ_add=agency.address,
        telephone=agency.phone,
    )


def document_id(sender_code: str, dossier: Dossier) -> str:
    """The package's DocumentId: `{OrganId},{yyyy/MM/dd},{dossier code}`, the SDK-based builders' shape with
    the dossier code as the number (DOMAIN.md §9.2 leaves it open; receivers treat it as opaque)."""
    day = timezone.localtime(dossier.received_at or dossier.created_at).date()
    return f"{sender_code},{day:%Y/%m/%d},{dossier.code}"


def _local_naive(moment: dt.datetime) -> dt.datetime:
    """A moment as edXML writes it: local wall time, no zone, whole seconds."""
    return timezone.localtime(moment).replace(tzinfo=None, microsecond=0)


def _iso(moment: dt.datetime | dt.date | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _file_bytes(dossier: Dossier, upload: UploadedFile) -> bytes:
    with upload.file.open("rb") as stored:
        data = stored.read()
    # A file that changed in storage is not sent on as the applicant's.
    if hashlib.sha256(data).hexdigest() != upload.sha256:
        raise Conflict(
            _("The stored file %(name)s of dossier %(code)s no longer matches its fingerprint.")
            % {"name": upload.original_name, "code": dossier.code}
        )
    return data


def _content_id(dossier: Dossier, document: DossierDocument) -> str:
    return str(uuid.uuid5(_CONTENT_ID_NAMESPACE, f"{dossier.code}/{document.pk}"))


def _business_document(
    dossier: Dossier, documents: list[tuple[DossierDocument, str | None]], note: str
) -> dict:
    version = dossier.procedure_version
    return {
        "kind": BUSINESS_DOCUMENT_KIND,
        "version": BUSINESS_DOCUMENT_VERSION,
        "code": dossier.code,
        "procedure": {
            "local_code": version.procedure.local_code,
            "national_code": version.procedure.national_code,
            "name": version.name,
        },
        "case": {"code": dossier.case.code, "name": dossier.case.name},
        "channel": dossier.channel,
        "result_delivery": dossier.result_delivery,
        "submitted_at": _iso(dossier.submitted_at),
        "received_at": _iso(dossier.received_at),
        "due_at": _iso(dossier.due_at),
        "applicant": {
            "kind": dossier.applicant_kind,
            "full_name": dossier.applicant_name,
            "id_number": dossier.applicant_id_number,
            "tax_code": dossier.applicant_tax_code,
            "date_of_birth": _iso(dossier.applicant_date_of_birth),
            "phone": dossier.applicant_phone,
            "email": dossier.applicant_email,
            "address": dossier.applicant_address,
        },
        "representative": dossier.representative,
        "form": dossier.form_data,
        "documents": [
            {
                "requirement": (
                    {
                        "order": document.requirement.order,
                        "name": document.requirement.name,
                        "national_doc_type_code": document.requirement.national_doc_type_code,
                    }
                    if document.requirement
                    else None
                ),
                "submitted_as": document.submitted_as,
                "copies": document.copies,
                "content_id": content_id,
            }
            for document, content_id in documents
        ],
        "note": note,
    }


def dossier_package(
    dossier: Dossier,
    *,
    sender: Agency,
    to: Organisation,
    sent_at: dt.datetime,
    note: str = "",
) -> Package:
    """The dossier as a new edXML package from `sender` (one of our agencies) to `to` (a partner), sent at
    `sent_at`, with `note` (why it is sent) as the package's content."""
    documents = dossier_documents(dossier)
    with_ids = [(d, _content_id(dossier, d) if d.file_id else None) for d in documents]
    attachments = [
        Attachment(
            content_id=content_id,
            name=document.file.original_name,
            content_type=document.file.content_type,
            data=_file_bytes(dossier, document.file),
            description=document.requirement.name if document.requirement else "",
        )
        for document, content_id in with_ids
        if content_id is not None and document.file is not None
    ]
    version = dossier.procedure_version
    identifier = document_id(sender.identity_code, dossier)
    header = MessageHeader(
        from_=organisation(sender),
        to=[to],
        code=CodeInfo(code_number=dossier.code),
        promulgation_info=PromulgationInfo(
            place=sender.administrative_unit.name, promulgation_date=timezone.localtime(sent_at).date()
        ),
        subject=f"{version.name} – {dossier.applicant_name}",
        content=note,
        due_date=timezone.localtime(dossier.due_at).date() if dossier.due_at else None,
        document_id=identifier,
    )
    return Package(
        header=header,
        traces=[TraceHeader(sender.identity_code, _local_naive(sent_at))],
        bussiness=Bussiness(doc_type=BussinessDocType.NEW, document_id=identifier),
        attachments=attachments,
        business_document=_business_document(dossier, with_ids, note),
    )


# ---- reading ---------------------------------------------------------------------------------------------


@dataclass
class IncomingDocument:
    """A document of a received dossier: which requirement it meets (as the sender's catalogue names it), in
    what form and how many copies, and its scan (None for paper sent without one)."""

    requirement_order: int | None
    requirement_name: str
    national_doc_type_code: str
    submitted_as: str
    copies: int
    attachment: Attachment | None


@dataclass
class IncomingDossier:
    """What an intake needs from a partner's package: who sent it and under which code, the procedure by its
    codes, the applicant, the form and the documents with their scans."""

    sender: Organisation
    receivers: list[str]
    origin_code: str
    document_id: str
    procedure_local_code: str
    procedure_national_code: str
    procedure_name: str
    case_code: str
    channel: str
    result_delivery: str
    applicant: Applicant
    representative: dict[str, Any] | None
    form: dict[str, Any]
    documents: list[IncomingDocument]
    submitted_at: dt.datetime | None
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    note: str


class _Fields:
    """Typed reads from the business document's JSON, each failure a MalformedPackage naming its key."""

    def __init__(self, data: Any, path: str) -> None:
        if not isinstance(data, dict):
            raise MalformedPackage(_("An object is expected here."), path)
        self.data = data
        self.path = path

    def _refuse(self, key: str, why: str) -> NoReturn:
        raise MalformedPackage(why, f"{self.path}/{key}")

    def text(self, key: str, *, required: bool = False) -> str:
        value = self.data.get(key)
        if required and not (isinstance(value, str) and value.strip()):
            self._refuse(key, _("A text is required here."))
        if value is not None and not isinstance(value, str):
            self._refuse(key, _("A text is expected here."))
        return value or ""

    def number(self, key: str) -> int | None:
        value = self.data.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            self._refuse(key, _("A whole number is expected here."))
        return value

    def section(self, key: str) -> _Fields:
        return _Fields(self.data.get(key), f"{self.path}/{key}")

    def optional_section(self, key: str) -> _Fields | None:
        return self.section(key) if self.data.get(key) is not None else None

    def items(self, key: str) -> list[_Fields]:
        value = self.data.get(key) or []
        if not isinstance(value, list):
            self._refuse(key, _("A list is expected here."))
        return [_Fields(item, f"{self.path}/{key}[{index + 1}]") for index, item in enumerate(value)]

    def moment(self, key: str) -> dt.datetime | None:
        value = self.text(key)
        if not value:
            return None
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            self._refuse(key, _("“%(value)s” is not an ISO 8601 time.") % {"value": value})
        return moment if timezone.is_aware(moment) else timezone.make_aware(moment)

    def day(self, key: str) -> dt.date | None:
        value = self.text(key)
        if not value:
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self._refuse(key, _("“%(value)s” is not an ISO 8601 date.") % {"value": value})


def _incoming_document(fields: _Fields, attachments: dict[str, Attachment]) -> IncomingDocument:
    requirement = fields.optional_section("requirement")
    content_id = fields.text("content_id")
    if content_id and content_id not in attachments:
        raise MalformedPackage(
            _("The document's scan %(cid)s is not among the package's attachments.") % {"cid": content_id},
            f"{fields.path}/content_id",
        )
    return IncomingDocument(
        requirement_order=requirement.number("order") if requirement else None,
        requirement_name=requirement.text("name") if requirement else "",
        national_doc_type_code=requirement.text("national_doc_type_code") if requirement else "",
        submitted_as=fields.text("submitted_as"),
        copies=fields.number("copies") or 1,
        attachment=attachments.get(content_id) if content_id else None,
    )


def incoming_dossier(package: Package) -> IncomingDossier:
    """The dossier a partner sent, read from its package. Raises MalformedPackage when the package carries no
    dossier of ours or one with a field missing or of the wrong kind (naming the field)."""
    if package.business_document is None:
        raise MalformedPackage(_("The package carries no dossier (no business document)."), _DOCUMENT_PATH)
    document = _Fields(package.business_document, _DOCUMENT_PATH)
    if document.text("kind") != BUSINESS_DOCUMENT_KIND:
        raise MalformedPackage(_("The business document is not a dossier."), f"{_DOCUMENT_PATH}/kind")
    if document.number("version") != BUSINESS_DOCUMENT_VERSION:
        raise MalformedPackage(
            _("Version %(version)s of the dossier document is not one this system reads.")
            % {"version": package.business_document.get("version")},
            f"{_DOCUMENT_PATH}/version",
        )
    procedure = document.section("procedure")
    case = document.section("case")
    applicant = document.section("applicant")
    representative = document.optional_section("representative")
    form = document.optional_section("form")
    attachments = {attachment.content_id: attachment for attachment in package.attachments}
    return IncomingDossier(
        sender=package.header.from_,
        receivers=[to.organ_id for to in package.header.to],
        origin_code=document.text("code", required=True),
        document_id=package.header.document_id,
        procedure_local_code=procedure.text("local_code"),
        procedure_national_code=procedure.text("national_code"),
        procedure_name=procedure.text("name"),
        case_code=case.text("code", required=True),
        channel=document.text("channel"),
        result_delivery=document.text("result_delivery"),
        applicant=Applicant(
            kind=applicant.text("kind", required=True),
            full_name=applicant.text("full_name", required=True),
            id_number=applicant.text("id_number"),
            tax_code=applicant.text("tax_code"),
            date_of_birth=applicant.day("date_of_birth"),
            phone=applicant.text("phone"),
            email=applicant.text("email"),
            address=applicant.text("address"),
        ),
        representative=representative.data if representative else None,
        form=form.data if form else {},
        documents=[_incoming_document(item, attachments) for item in document.items("documents")],
        submitted_at=document.moment("submitted_at"),
        received_at=document.moment("received_at"),
        due_at=document.moment("due_at"),
        note=document.text("note"),
    )
