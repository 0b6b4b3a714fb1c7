"""The edXML codec (QCVN 102:2016/BTTTT, DOMAIN.md §9): packages and status messages to and from bytes.

Pure: no models, no database. Strict when writing (the edXML namespace with its prefix, the element order of
§9.2, `cid:` in the manifest and a bare id on the attachment, base64), tolerant when reading (prefixed or
not, the edXML or the simplified eDoc namespace, any element order, attachments zipped or not). Elements the
codec does not know are kept as canonical XML on the block they were found in and written back at its end.
Anything wrong with a package raises one `MalformedPackage` naming why and where; the parser resolves no
entity, fetches nothing and refuses a DTD, so a package cannot expand or reach out.

Our business document (the dossier's data) travels as JSON inside one element of our own namespace,
`<motcua:BusinessDocument>` after the manifest in the body (ADR "edxml-codec").
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import io
import json
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.conf import settings
from django.db.models import IntegerChoices, TextChoices
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from lxml import etree

from motcua.core.identifiers import identity_code_problem

EDXML_NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
EDXML_PREFIX = "edXML"
# A simplified variant some local platforms speak; read, never written (DOMAIN.md §9.1).
EDOC_NS = "http://www.go.vn/eDoc"
XLINK_NS = "http://www.w3.org/1999/xlink"
MOTCUA_NS = "urn:motcua:edxml:business-document:1"
MOTCUA_PREFIX = "motcua"
_READ_NAMESPACES = frozenset({EDXML_NS, EDOC_NS, None})

DATE_FORMAT = "%Y/%m/%d"
TIMESTAMP_FORMAT = "%Y/%m/%d %H:%M:%S"
# libxml2's limit on one text node without its "huge" mode (which the parser keeps off): an attachment
# whose base64 is longer cannot be read by us, so it is not written either.
MAX_TEXT_NODE_CHARS = 10_000_000
DEFAULT_MAX_BYTES = 50 * 1024 * 1024


class MalformedPackage(ValueError):
    """A package or status message that breaks the rules, read or about to be written: why, and where (a
    path of element names such as /edXML/edXMLEnvelope/edXMLHeader/MessageHeader/From/OrganId)."""

    def __init__(self, reason: str, path: str = "/") -> None:
        super().__init__(f"{path}: {reason}")
        self.reason = reason
        self.path = path


class StatusCode(TextChoices):
    """The feedback codes of a status message (§9.4; one SDK's list, kept open when reading)."""

    ARRIVED = "01", gettext_lazy("Arrived at the destination")
    REFUSED = "02", gettext_lazy("Refused at reception")
    RECEIVED = "03", gettext_lazy("Received and registered")
    ASSIGNED = "04", gettext_lazy("Assigned by the leader")
    PROCESSING = "05", gettext_lazy("Being processed")
    COMPLETED = "06", gettext_lazy("Processing completed")
    RECALL_REQUESTED = "13", gettext_lazy("Recall requested")
    RECALL_ACCEPTED = "15", gettext_lazy("Recall or update accepted")
    RECALL_REFUSED = "16", gettext_lazy("Recall or update refused")


class BussinessDocType(IntegerChoices):
    """What a package does to a document (§9.3); the standard's spelling of "business" is kept."""

    NEW = 0, gettext_lazy("New document")
    REVOKE = 1, gettext_lazy("Revocation")
    UPDATE = 2, gettext_lazy("Update")
    REPLACE = 3, gettext_lazy("Replacement")


# ---- the blocks ------------------------------------------------------------------------------------------
# Every block keeps `extra`: the elements found in it that the codec does not knoas canonical XML.


@dataclass
class Organisation:
    organ_id: str
    organ_name: str = ""
    organization_in_charge: str = ""
    organ_add: str = ""
    email: str = ""
    telephone: str = ""
    fax: str = ""
    website: str = ""
    extra: list[str] = field(default_factory=list)


@dataclass
class CodeInfo:
    code_number: str = ""
    code_notation: str = ""
    extra: list[str] = field(default_factory=list)


@dataclass
class PromulgationInfo:
    place: str = ""
    promulgation_date: dt.date | None = None
    extra: list[str] = field(default_factory=list)


@dataclass
class DocumentType:
    type: int | None = None
    type_detail: str = ""
    type_name: str = ""
    extra: list[str] = field(default_factory=list)


@dataclass
class SignerInfo:
    competence: str = ""
    position: str = ""
    full_name: str = ""
    extra: list[str] = field(default_factory=list)


@dataclass
class OtherInfo:
    priority: int | None = None
    sphere_of_promulgation: str = ""
    typer_notation: str = ""
    promulgation_amount: int | None = None
    page_amount: int | None = None
    appendixes: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)


@dataclass
class ResponseFor:
    organ_id: str = ""
    code: str = ""
    promulgation_date: dt.date | None = None
    document_id: str = ""
    extra: list[str] = field(default_factory=list)


@dataclass
class MessageHeader:
    from_: Organisation
    to: list[Organisation]
    code: CodeInfo | None = None
    promulgation_info: PromulgationInfo | None = None
    document_type: DocumentType | None = None
    subject: str = ""
    content: str = ""
    signer_info: SignerInfo | None = None
    due_date: dt.date | None = None
    to_places: list[str] = field(default_factory=list)
    other_info: OtherInfo | None = None
    response_for: list[ResponseFor] = field(default_factory=list)
    steering_type: int | None = None
    document_id: str = ""
    extra: list[str] = field(default_factory=list)


@dataclass
class TraceHeader:
    """One hop: who handled the package, when (local time, as the standard writes it: no zone)."""

    organ_id: str
    timestamp: dt.datetime
    extra: list[str] = field(default_factory=list)


@dataclass
class StaffInfo:
    department: str = ""
    staff: str = ""
    mobile: str = ""
    email: str = ""
    extra: list[str] = field(default_factory=list)


@dataclass
class Receiver:
    receiver_type: int
    organ_id: str
    extra: list[str] = field(default_factory=list)


@dataclass
class BussinessDocumentInfo:
    document_info: str = ""
    document_receiver: str = ""
    receivers: list[Receiver] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)


@dataclass
class ReplacementInfo:
    document_id: str
    organ_ids: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)


@dataclass
class Bussiness:
    doc_type: BussinessDocType = BussinessDocType.NEW
    doc_reason: str = ""
    document_id: str = ""
    document_info: BussinessDocumentInfo | None = None
    staff_info: StaffInfo | None = None
    paper: bool | None = None
    replacements: list[ReplacementInfo] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)


@dataclass
class Attachment:
    """A file: `content_id` is the bare id (the manifest writes it `cid:{content_id}`)."""

    content_id: str
    name: str
    content_type: str
    data: bytes
    description: str = ""


@dataclass
class Package:
    header: MessageHeader
    traces: list[TraceHeader] = field(default_factory=list)
    bussiness: Bussiness | None = None
    attachments: list[Attachment] = field(default_factory=list)
    # Our own business document (the dossier's data), JSON-serialisable; None in a foreign package.
    business_document: dict[str, Any] | None = None
    # Unknown elements of the edXMLHeader (a signature, say), of the TraceHeaderList, of the body, and of
    # the root outside the envelope.
    header_extra: list[str] = field(default_factory=list)
    trace_extra: list[str] = field(default_factory=list)
    body_extra: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    # The bytes the package was decoded from, for audit (empty for a package built here).
    raw_xml: bytes = field(default=b"", compare=False, repr=False)


@dataclass
class StatusMessage:
    response_for: ResponseFor
    from_: Organisation
    # A code of `StatusCode` when written; kept as read otherwise (the list differs between SDKs).
    status_code: str
    timestamp: dt.datetime
    description: str = ""
    staff_info: StaffInfo | None = None
    extra: list[str] = field(default_factory=list)
    raw_xml: bytes = field(default=b"", compare=False, repr=False)

    @property
    def known_status(self) -> StatusCode | None:
        return StatusCode(self.status_code) if self.status_code in StatusCode.values else None


# ---- writing ---------------------------------------------------------------------------------------------

_Block = TypeVar("_Block")


def _tag(name: str) -> str:
    return f"{{{EDXML_NS}}}{name}"


def _element(parent: etree._Element, name: str) -> etree._Element:
    return etree.SubElement(parent, _tag(name))


def _text(parent: etree._Element, name: str, value: str, path: str) -> etree._Element:
    """A child with text; a value lxml refuses (a control character) is a MalformedPackage naming it."""
    child = _element(parent, name)
    try:
        child.text = value
    except ValueError:
        raise MalformedPackage(
            _("The text holds characters XML cannot carry (control characters)."), f"{path}/{name}"
        ) from None
    return child


def _optional(parent: etree._Element, name: str, value: Any, path: str) -> None:
    if value is None:
        return
    if isinstance(value, dt.datetime):
        value = value.strftime(TIMESTAMP_FORMAT)
    elif isinstance(value, dt.date):
        value = value.strftime(DATE_FORMAT)
    elif isinstance(value, bool):
        value = "1" if value else "0"
    _text(parent, name, str(value), path)


# A preserved element is written back byte for byte (a signature's digest depends on its whitespace), so the
# tree is indented while it holds a placeholder for each, and the elements replace them afterwards.
_PRESERVED = "{urn:motcua:edxml:preserved}Element"


def _extra(parent: etree._Element, extra: list[str], path: str) -> None:
    for raw in extra:
        _parse_fragment(raw, path)  # refuse a broken one while the path is known
        etree.SubElement(parent, _PRESERVED).text = raw


def _serialised(root: etree._Element) -> bytes:
    etree.indent(root, space="  ")
    for placeholder in list(root.iter(_PRESERVED)):
        preserved = _parse_fragment(placeholder.text or "", "/")
        preserved.tail = placeholder.tail
        placeholder.getparent().replace(placeholder, preserved)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def _parse_fragment(raw: str, path: str) -> etree._Element:
    try:
        return etree.fromstring(raw.encode(), _parser())
    except etree.XMLSyntaxError:
        raise MalformedPackage(_("A preserved element is not well-formed XML."), path) from None


def _check_identity(code: str, path: str) -> None:
    if why := identity_code_problem(code):
        raise MalformedPackage(why, path)


def _write_organisation(parent: etree._Element, name: str, org: Organisation, path: str) -> None:
    path = f"{path}/{name}"
    _check_identity(org.organ_id, f"{path}/OrganId")
    el = _element(parent, name)
    for child, value in (
        ("OrganId", org.organ_id),
        ("OrganizationInCharge", org.organization_in_charge),
        ("OrganName", org.organ_name),
        ("OrganAdd", org.organ_add),
        ("Email", org.email),
        ("Telephone", org.telephone),
        ("Fax", org.fax),
        ("Website", org.website),
    ):
        _text(el, child, value, path)
    _extra(el, org.extra, path)


def _write_fields(
    parent: etree._Element, name: str, fields: Iterable[tuple[str, Any]], extra: list[str], path: str
) -> etree._Element:
    path = f"{path}/{name}"
    el = _element(parent, name)
    for child, value in fields:
        _optional(el, child, value, path)
    _extra(el, extra, path)
    return el


def _write_response_for(parent: etree._Element, rf: ResponseFor, path: str) -> None:
    _write_fields(
        parent,
        "ResponseFor",
        (
            ("OrganId", rf.organ_id),
            ("Code", rf.code),
            ("PromulgationDate", rf.promulgation_date),
            ("DocumentId", rf.document_id),
        ),
        rf.extra,
        path,
    )


def _write_staff_info(parent: etree._Element, staff: StaffInfo, path: str) -> None:
    _write_fields(
        parent,
        "StaffInfo",
        (
            ("Department", staff.department),
            ("Staff", staff.staff),
            ("Mobile", staff.mobile),
            ("Email", staff.email),
        ),
        staff.extra,
        path,
    )


def _write_message_header(parent: etree._Element, h: MessageHeader, path: str) -> None:
    path = f"{path}/MessageHeader"
    if not h.to:
        raise MalformedPackage(_("A package needs at least one receiving organisation (To)."), f"{path}/To")
    el = _element(parent, "MessageHeader")
    _write_organisation(el, "From", h.from_, path)
    for to in h.to:
        _write_organisation(el, "To", to, path)
    if h.code is not None:
        _write_fields(
            el,
            "Code",
            (("CodeNumber", h.code.code_number), ("CodeNotation", h.code.code_notation)),
            h.code.extra,
            path,
        )
    if h.promulgation_info is not None:
        info = h.promulgation_info
        _write_fields(
            el,
            "PromulgationInfo",
            (("Place", info.place), ("PromulgationDate", info.promulgation_date)),
            info.extra,
            path,
        )
    if h.document_type is not None:
        kind = h.document_type
        _write_fields(
            el,
            "DocumentType",
            (("Type", kind.type), ("TypeDetail", kind.type_detail), ("TypeName", kind.type_name)),
            kind.extra,
            path,
        )
    _text(el, "Subject", h.subject, path)
    _text(el, "Content", h.content, path)
    if h.signer_info is not None:
        signer = h.signer_info
        _write_fields(
            el,
            "SignerInfo",
            (
                ("Competence", signer.competence),
                ("Position", signer.position),
                ("FullName", signer.full_name),
            ),
            signer.extra,
            path,
        )
    _optional(el, "DueDate", h.due_date, path)
    if h.to_places:
        places = _element(el, "ToPlaces")
        for place in h.to_places:
            _text(places, "Place", place, f"{path}/ToPlaces")
    if h.other_info is not None:
        other = h.other_info
        other_el = _write_fields(
            el,
            "OtherInfo",
            (
                ("Priority", other.priority),
                ("SphereOfPromulgation", other.sphere_of_promulgation),
                ("TyperNotation", other.typer_notation),
                ("PromulgationAmount", other.promulgation_amount),
                ("PageAmount", other.page_amount),
            ),
            [],
            path,
        )
        if other.appendixes:
            appendixes = _element(other_el, "Appendixes")
            for appendix in other.appendixes:
                _text(appendixes, "Appendix", appendix, f"{path}/OtherInfo/Appendixes")
        _extra(other_el, other.extra, f"{path}/OtherInfo")
    for rf in h.response_for:
        _write_response_for(el, rf, path)
    _optional(el, "SteeringType", h.steering_type, path)
    _text(el, "DocumentId", h.document_id, path)
    _extra(el, h.extra, path)


def _write_bussiness(parent: etree._Element, b: Bussiness, parent_path: str) -> None:
    path = f"{parent_path}/Bussiness"
    el = _write_fields(
        parent,
        "Bussiness",
        (
            ("BussinessDocType", int(b.doc_type)),
            ("BussinessDocReason", b.doc_reason),
            ("DocumentId", b.document_id),
        ),
        [],
        parent_path,
    )
    if b.document_info is not None:
        info = b.document_info
        info_el = _write_fields(
            el,
            "BussinessDocumentInfo",
            (("DocumentInfo", info.document_info), ("DocumentReceiver", info.document_receiver)),
            [],
            path,
        )
        if info.receivers:
            receivers = _element(info_el, "ReceiverList")
            for receiver in info.receivers:
                _write_fields(
                    receivers,
                    "Receiver",
                    (("ReceiverType", receiver.receiver_type), ("OrganId", receiver.organ_id)),
                    receiver.extra,
                    f"{path}/BussinessDocumentInfo/ReceiverList",
                )
        _extra(info_el, info.extra, f"{path}/BussinessDocumentInfo")
    if b.staff_info is not None:
        _write_staff_info(el, b.staff_info, path)
    _optional(el, "Paper", b.paper, path)
    if b.replacements:
        replacements = _element(el, "ReplacementInfoList")
        for replacement in b.replacements:
            item_path = f"{path}/ReplacementInfoList/ReplacementInfo"
            item = _element(replacements, "ReplacementInfo")
            _text(item, "DocumentId", replacement.document_id, item_path)
            organs = _element(item, "OrganIdList")
            for organ_id in replacement.organ_ids:
                _text(organs, "OrganId", organ_id, f"{item_path}/OrganIdList")
            _extra(item, replacement.extra, item_path)
    _extra(el, b.extra, path)


def _check_attachments(attachments: list[Attachment]) -> None:
    seen: set[str] = set()
    for index, attachment in enumerate(attachments):
        path = f"/edXML/AttachmentEncoded/Attachment[{index + 1}]"
        cid = attachment.content_id
        if not cid or cid != cid.strip() or any(ch.isspace() for ch in cid) or cid.lower().startswith("cid:"):
            raise MalformedPackage(
                _("A content id is a bare identifier without spaces or a “cid:” prefix."), f"{path}/ContentId"
            )
        if cid in seen:
            raise MalformedPackage(_("Two attachments share the content id %(cid)s.") % {"cid": cid}, path)
        seen.add(cid)
        if not attachment.name.strip():
            raise MalformedPackage(_("An attachment needs a name."), f"{path}/AttachmentName")
        if 4 * ((len(attachment.data) + 2) // 3) > MAX_TEXT_NODE_CHARS:
            raise MalformedPackage(
                _("The attachment is larger than an edXML package can carry in one piece (%(limit)s bytes).")
                % {"limit": MAX_TEXT_NODE_CHARS // 4 * 3},
                f"{path}/ContentTransferEncoded",
            )


def encode_package(package: Package) -> bytes:
    """The package as edXML bytes (UTF-8, with its declaration)."""
    _check_attachments(package.attachments)
    root = etree.Element(_tag("edXML"), nsmap={None: EDXML_NS})
    envelope = etree.SubElement(
        root,
        _tag("edXMLEnvelope"),
        nsmap={EDXML_PREFIX: EDXML_NS, "xlink": XLINK_NS, MOTCUA_PREFIX: MOTCUA_NS},
    )
    envelope_path = "/edXML/edXMLEnvelope"
    header = _element(envelope, "edXMLHeader")
    header_path = f"{envelope_path}/edXMLHeader"
    _write_message_header(header, package.header, header_path)
    traces = _element(header, "TraceHeaderList")
    traces_path = f"{header_path}/TraceHeaderList"
    for trace in package.traces:
        _write_fields(
            traces,
            "TraceHeader",
            (("OrganId", trace.organ_id), ("Timestamp", trace.timestamp)),
            trace.extra,
            traces_path,
        )
    if package.bussiness is not None:
        _write_bussiness(traces, package.bussiness, traces_path)
    _extra(traces, package.trace_extra, traces_path)
    _extra(header, package.header_extra, header_path)

    body = _element(envelope, "edXMLBody")
    body_path = f"{envelope_path}/edXMLBody"
    manifest = _element(body, "edXMLManifest")
    manifest.set("version", "1.0")
    for attachment in package.attachments:
        reference = _element(manifest, "Reference")
        reference.set(f"{{{XLINK_NS}}}href", f"cid:{attachment.content_id}")
        reference.set(f"{{{XLINK_NS}}}type", "simple")
        reference_path = f"{body_path}/edXMLManifest/Reference"
        _text(reference, "Description", attachment.description, reference_path)
        _text(reference, "AttachmentName", attachment.name, reference_path)
        _text(reference, "ContentType", attachment.content_type, reference_path)
        _text(reference, "ContentId", f"cid:{attachment.content_id}", reference_path)
    if package.business_document is not None:
        document = etree.SubElement(body, f"{{{MOTCUA_NS}}}BusinessDocument")
        document.set("format", "application/json")
        try:
            document.text = json.dumps(
                package.business_document, ensure_ascii=False, sort_keys=True, allow_nan=False
            )
        except (TypeError, ValueError):
            raise MalformedPackage(
                _("The business document is not plain JSON data."), f"{body_path}/BusinessDocument"
            ) from None
    _extra(body, package.body_extra, body_path)

    # Outside the envelope and unprefixed, as the standard's examples write it (the root's default namespace).
    encoded = etree.SubElement(root, _tag("AttachmentEncoded"))
    for attachment in package.attachments:
        item = etree.SubElement(encoded, _tag("Attachment"))
        item_path = "/edXML/AttachmentEncoded/Attachment"
        _text(item, "ContentType", attachment.content_type, item_path)
        _text(item, "ContentId", attachment.content_id, item_path)
        _text(item, "Description", attachment.description, item_path)
        _text(item, "ContentTransferEncoded", base64.b64encode(attachment.data).decode("ascii"), item_path)
        _text(item, "AttachmentName", attachment.name, item_path)
    _extra(root, package.extra, "/edXML")
    return _serialised(root)


def encode_status(status: StatusMessage) -> bytes:
    """The status message as edXML bytes: a `Status` root holding its MessageHeader (§9.4)."""
    if status.status_code not in StatusCode.values:
        raise MalformedPackage(
            _("%(code)s is not a status code (01–06, 13, 15, 16).") % {"code": status.status_code},
            "/Status/MessageHeader/StatusCode",
        )
    root = etree.Element(_tag("Status"), nsmap={EDXML_PREFIX: EDXML_NS})
    path = "/Status/MessageHeader"
    header = _element(root, "MessageHeader")
    _write_response_for(header, status.response_for, path)
    _write_organisation(header, "From", status.from_, path)
    _text(header, "StatusCode", status.status_code, path)
    _text(header, "Description", status.description, path)
    _optional(header, "Timestamp", status.timestamp, path)
    if status.staff_info is not None:
        _write_staff_info(header, status.staff_info, path)
    _extra(header, status.extra, path)
    return _serialised(root)


# ---- reading ---------------------------------------------------------------------------------------------


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
    )


def max_package_bytes() -> int:
    return int(getattr(settings, "MOTCUA_EDXML_MAX_BYTES", DEFAULT_MAX_BYTES))


def _parse_document(data: bytes, max_bytes: int | None) -> etree._Element:
    limit = max_package_bytes() if max_bytes is None else max_bytes
    if len(data) > limit:
        raise MalformedPackage(
            _("The package is %(size)s bytes, more than the %(limit)s accepted.")
            % {"size": len(data), "limit": limit}
        )
    if not data.strip():
        raise MalformedPackage(_("The package is empty."))
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        line, column = error.position
        raise MalformedPackage(
            _("Not well-formed XML: %(message)s") % {"message": error.msg},
            f"line {line}, column {column}",
        ) from None
    if root.getroottree().docinfo.internalDTD is not None or root.getroottree().docinfo.doctype:
        raise MalformedPackage(_("A package may not carry a DTD (document type declaration)."))
    return root


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname


def _is_ours(element: etree._Element) -> bool:
    """An element of the edXML vocabulary, in whichever of the namespaces senders use."""
    return isinstance(element.tag, str) and etree.QName(element).namespace in _READ_NAMESPACES


def _canonical(element: etree._Element, path: str) -> str:
    try:
        return etree.tostring(element, method="c14n", exclusive=True, with_comments=False).decode()
    except etree.C14NError:
        # Canonical XML refuses, for one, a relative namespace URI.
        raise MalformedPackage(
            _("The element %(name)s cannot be kept: it is not canonicalisable XML.")
            % {"name": _local(element)},
            f"{path}/{_local(element)}",
        ) from None


class _Reader:
    """The children of one element, looked up by local name; what is never asked for is `unknown()`."""

    def __init__(self, element: etree._Element, path: str) -> None:
        self.element = element
        self.path = path
        self._used: set[int] = set()

    def all(self, name: str) -> list[etree._Element]:
        found = []
        for index, child in enumerate(self.element):
            if _is_ours(child) and _local(child) == name:
                self._used.add(index)
                found.append(child)
        return found

    def first(self, name: str) -> etree._Element | None:
        found = self.all(name)
        return found[0] if found else None

    def required(self, name: str) -> etree._Element:
        child = self.first(name)
        if child is None:
            raise MalformedPackage(
                _("The element %(name)s is missing.") % {"name": name}, f"{self.path}/{name}"
            )
        return child

    def text(self, name: str) -> str:
        child = self.first(name)
        return (child.text or "") if child is not None else ""

    def code(self, name: str) -> str:
        """A code or number: surrounding spaces are layout, not value."""
        return self.text(name).strip()

    def integer(self, name: str) -> int | None:
        value = self.code(name)
        if not value:
            return None
        try:
            return int(value)
        except ValueError:
            raise MalformedPackage(
                _("“%(value)s” is not a whole number.") % {"value": value}, f"{self.path}/{name}"
            ) from None

    def date(self, name: str) -> dt.date | None:
        value = self.code(name)
        if not value:
            return None
        # yyyy/MM/dd is the standard's; some senders write ISO dates or add a time of day.
        day = value.split(" ")[0].split("T")[0].replace("-", "/")
        try:
            return dt.datetime.strptime(day, DATE_FORMAT).date()
        except ValueError:
            raise MalformedPackage(
                _("“%(value)s” is not a date written yyyy/MM/dd.") % {"value": value}, f"{self.path}/{name}"
            ) from None

    def timestamp(self, name: str) -> dt.datetime:
        value = self.code(name)
        normalised = value.replace("-", "/").replace("T", " ")
        try:
            return dt.datetime.strptime(normalised, TIMESTAMP_FORMAT)
        except ValueError:
            raise MalformedPackage(
                _("“%(value)s” is not a time written yyyy/MM/dd HH:mm:ss.") % {"value": value},
                f"{self.path}/{name}",
            ) from None

    def identity(self, name: str) -> str:
        value = self.code(name)
        _check_identity(value, f"{self.path}/{name}")
        return value

    def block(self, name: str, read: Callable[[_Reader], _Block]) -> _Block | None:
        child = self.first(name)
        return read(_Reader(child, f"{self.path}/{name}")) if child is not None else None

    def blocks(self, name: str, read: Callable[[_Reader], _Block]) -> list[_Block]:
        return [read(_Reader(child, f"{self.path}/{name}")) for child in self.all(name)]

    def texts(self, container: str, name: str) -> list[str]:
        child = self.first(container)
        if child is None:
            return []
        return [item.text or "" for item in _Reader(child, "").all(name)]

    def foreign(self, tag: str) -> list[etree._Element]:
        """The children with this fully qualified tag (an element of another namespace)."""
        found = []
        for index, child in enumerate(self.element):
            if child.tag == tag:
                self._used.add(index)
                found.append(child)
        return found

    def unknown(self) -> list[str]:
        return [
            _canonical(child, self.path)
            for index, child in enumerate(self.element)
            if index not in self._used and isinstance(child.tag, str)
        ]


def _read_organisation(r: _Reader) -> Organisation:
    return Organisation(
        organ_id=r.identity("OrganId"),
        organization_in_charge=r.text("OrganizationInCharge"),
        organ_name=r.text("OrganName"),
        organ_add=r.text("OrganAdd"),
        email=r.text("Email"),
        telephone=r.text("Telephone"),
        fax=r.text("Fax"),
        website=r.text("Website"),
        extra=r.unknown(),
    )


def _read_response_for(r: _Reader) -> ResponseFor:
    return ResponseFor(
        organ_id=r.code("OrganId"),
        code=r.text("Code"),
        promulgation_date=r.date("PromulgationDate"),
        document_id=r.code("DocumentId"),
        extra=r.unknown(),
    )


def _read_staff_info(r: _Reader) -> StaffInfo:
    return StaffInfo(
        department=r.text("Department"),
        staff=r.text("Staff"),
        mobile=r.text("Mobile"),
        email=r.text("Email"),
        extra=r.unknown(),
    )


def _read_other_info(r: _Reader) -> OtherInfo:
    return OtherInfo(
        priority=r.integer("Priority"),
        sphere_of_promulgation=r.text("SphereOfPromulgation"),
        typer_notation=r.text("TyperNotation"),
        promulgation_amount=r.integer("PromulgationAmount"),
        page_amount=r.integer("PageAmount"),
        appendixes=r.texts("Appendixes", "Appendix"),
        extra=r.unknown(),
    )


def _read_message_header(r: _Reader) -> MessageHeader:
    sender = _read_organisation(_Reader(r.required("From"), f"{r.path}/From"))
    receivers = r.blocks("To", _read_organisation)
    if not receivers:
        raise MalformedPackage(_("A package needs at least one receiving organisation (To)."), f"{r.path}/To")
    return MessageHeader(
        from_=sender,
        to=receivers,
        code=r.block("Code", lambda c: CodeInfo(c.text("CodeNumber"), c.text("CodeNotation"), c.unknown())),
        promulgation_info=r.block(
            "PromulgationInfo",
            lambda p: PromulgationInfo(p.text("Place"), p.date("PromulgationDate"), p.unknown()),
        ),
        document_type=r.block(
            "DocumentType",
            lambda d: DocumentType(d.integer("Type"), d.text("TypeDetail"), d.text("TypeName"), d.unknown()),
        ),
        subject=r.text("Subject"),
        content=r.text("Content"),
        signer_info=r.block(
            "SignerInfo",
            lambda s: SignerInfo(s.text("Competence"), s.text("Position"), s.text("FullName"), s.unknown()),
        ),
        due_date=r.date("DueDate"),
        to_places=r.texts("ToPlaces", "Place"),
        other_info=r.block("OtherInfo", _read_other_info),
        response_for=r.blocks("ResponseFor", _read_response_for),
        steering_type=r.integer("SteeringType"),
        document_id=r.code("DocumentId"),
        extra=r.unknown(),
    )


def _read_doc_type(r: _Reader) -> BussinessDocType:
    value = r.integer("BussinessDocType")
    if value is None:
        return BussinessDocType.NEW
    if value not in BussinessDocType.values:
        raise MalformedPackage(
            _("%(value)s is not a business document type (0 ne1 revoke, 2 update, 3 replace).")
            % {"value": value},
            f"{r.path}/BussinessDocType",
        )
    return BussinessDocType(value)


def _read_receiver(r: _Reader) -> Receiver:
    return Receiver(
        receiver_type=r.integer("ReceiverType") or 0, organ_id=r.code("OrganId"), extra=r.unknown()
    )


def _read_document_info(r: _Reader) -> BussinessDocumentInfo:
    receiver_list = r.first("ReceiverList")
    receivers = (
        _Reader(receiver_list, f"{r.path}/ReceiverList").blocks("Receiver", _read_receiver)
        if receiver_list is not None
        else []
    )
    return BussinessDocumentInfo(
        document_info=r.text("DocumentInfo"),
        document_receiver=r.text("DocumentReceiver"),
        receivers=receivers,
        extra=r.unknown(),
    )


def _read_replacement(r: _Reader) -> ReplacementInfo:
    organs = r.first("OrganIdList")
    organ_ids = (
        [(o.text or "").strip() for o in _Reader(organs, "").all("OrganId")] if organs is not None else []
    )
    return ReplacementInfo(document_id=r.code("DocumentId"), organ_ids=organ_ids, extra=r.unknown())


def _read_bussiness(r: _Reader) -> Bussiness:
    paper = r.code("Paper")
    if paper not in ("", "0", "1"):
        raise MalformedPackage(_("Paper is 0 or 1."), f"{r.path}/Paper")
    replacement_list = r.first("ReplacementInfoList")
    return Bussiness(
        doc_type=_read_doc_type(r),
        doc_reason=r.text("BussinessDocReason"),
        document_id=r.code("DocumentId"),
        document_info=r.block("BussinessDocumentInfo", _read_document_info),
        staff_info=r.block("StaffInfo", _read_staff_info),
        paper=None if paper == "" else paper == "1",
        replacements=(
            _Reader(replacement_list, f"{r.path}/ReplacementInfoList").blocks(
                "ReplacementInfo", _read_replacement
            )
            if replacement_list is not None
            else []
        ),
        extra=r.unknown(),
    )


def _bare_cid(value: str) -> str:
    value = value.strip()
    return value[4:] if value.lower().startswith("cid:") else value


_ZIP_TYPES = frozenset({"application/zip", "application/x-zip-compressed", "application/x-zip"})


def _unzipped(data: bytes, name: str, content_type: str, limit: int, path: str) -> bytes:
    """Some senders zip a file before base64: a one-member archive sent as something other than a zip file
    is that file. A zip file sent as a zip file stays one."""
    if (
        not data.startswith(b"PK\x03\x04")
        or name.lower().endswith(".zip")
        or content_type.lower() in _ZIP_TYPES
    ):
        return data
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [info for info in archive.infolist() if not info.is_dir()]
            if len(members) != 1:
                return data
            if members[0].file_size > limit:
                raise MalformedPackage(
                    _("The zipped attachment unpacks to more than %(limit)s bytes.") % {"limit": limit}, path
                )
            with archive.open(members[0]) as member:
                content = member.read(limit + 1)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError):
        return data
    if len(content) > limit:
        raise MalformedPackage(
            _("The zipped attachment unpacks to more than %(limit)s bytes.") % {"limit": limit}, path
        )
    return content


@dataclass
class _ManifestEntry:
    description: str
    name: str
    content_type: str


def _read_manifest(body: _Reader) -> dict[str, _ManifestEntry]:
    manifest = body.first("edXMLManifest")
    if manifest is None:
        return {}
    entries: dict[str, _ManifestEntry] = {}
    for reference in _Reader(manifest, f"{body.path}/edXMLManifest").blocks("Reference", lambda r: r):
        cid = _bare_cid(reference.text("ContentId") or reference.element.get(f"{{{XLINK_NS}}}href", ""))
        if not cid:
            raise MalformedPackage(
                _("A manifest reference has no content id."), f"{reference.path}/ContentId"
            )
        entries[cid] = _ManifestEntry(
            reference.text("Description"), reference.text("AttachmentName"), reference.code("ContentType")
        )
    return entries


def _read_attachments(root: _Reader, manifest: dict[str, _ManifestEntry], limit: int) -> list[Attachment]:
    attachments: list[Attachment] = []
    for container in root.all("AttachmentEncoded"):
        container_path = f"{root.path}/AttachmentEncoded"
        for index, item in enumerate(_Reader(container, container_path).all("Attachment")):
            r = _Reader(item, f"{container_path}/Attachment[{index + 1}]")
            cid = _bare_cid(r.text("ContentId"))
            if not cid:
                raise MalformedPackage(_("An attachment has no content id."), f"{r.path}/ContentId")
            if any(attachment.content_id == cid for attachment in attachments):
                raise MalformedPackage(
                    _("Two attachments share the content id %(cid)s.") % {"cid": cid}, f"{r.path}/ContentId"
                )
            entry = manifest.pop(cid, None) or _ManifestEntry("", "", "")
            name = r.text("AttachmentName") or entry.name
            content_type = r.code("ContentType") or entry.content_type
            encoded = "".join(r.text("ContentTransferEncoded").split())
            try:
                data = base64.b64decode(encoded, validate=True)
            except (binascii.Error, ValueError):
                raise MalformedPackage(
                    _("The attachment's content is not base64."), f"{r.path}/ContentTransferEncoded"
                ) from None
            attachments.append(
                Attachment(
                    content_id=cid,
                    name=name,
                    content_type=content_type,
                    data=_unzipped(data, name, content_type, limit, f"{r.path}/ContentTransferEncoded"),
                    description=r.text("Description") or entry.description,
                )
            )
    if manifest:
        missing = next(iter(manifest))
        raise MalformedPackage(
            _("The manifest names attachment %(cid)s, which the package does not carry.") % {"cid": missing},
            f"{root.path}/edXMLEnvelope/edXMLBody/edXMLManifest",
        )
    return attachments


def _read_business_document(body: _Reader) -> dict[str, Any] | None:
    found = body.foreign(f"{{{MOTCUA_NS}}}BusinessDocument")
    if not found:
        return None
    path = f"{body.path}/BusinessDocument"
    if len(found) > 1:
        raise MalformedPackage(_("A package carries one business document."), path)
    try:
        document = json.loads(found[0].text or "")
    except ValueError as error:
        raise MalformedPackage(
            _("The business document is not JSON: %(error)s") % {"error": error}, path
        ) from None
    if not isinstance(document, dict):
        raise MalformedPackage(_("The business document is a JSON object."), path)
    return document


def decode_package(data: bytes, *, max_bytes: int | None = None) -> Package:
    """Read an edXML package. Raises MalformedPackage (never an lxml error) naming why and where."""
    return _package(_parse_document(data, max_bytes), data, max_bytes)


def decode_status(data: bytes, *, max_bytes: int | None = None) -> StatusMessage:
    """Read an edXML status message. Raises MalformedPackage naming why and where."""
    root = _parse_document(data, max_bytes)
    status = _status_element(root)
    if status is None:
        raise MalformedPackage(
            _("The root element is %(name)s, not Status.") % {"name": _local(root)}, f"/{_local(root)}"
        )
    return _status(status, data)


def decode_message(data: bytes, *, max_bytes: int | None = None) -> Package | StatusMessage:
    """A package or a status message, told apart by its root: what an inbox receives."""
    root = _parse_document(data, max_bytes)
    status = _status_element(root)
    return _status(status, data) if status is not None else _package(root, data, max_bytes)


def _package(root_element: etree._Element, data: bytes, max_bytes: int | None) -> Package:
    if not _is_ours(root_element) or _local(root_element) != "edXML":
        raise MalformedPackage(
            _("The root element is %(name)s, not edXML.") % {"name": _local(root_element)},
            f"/{_local(root_element)}",
        )
    root = _Reader(root_element, "/edXML")
    envelope = _Reader(root.required("edXMLEnvelope"), "/edXML/edXMLEnvelope")
    header = _Reader(envelope.required("edXMLHeader"), f"{envelope.path}/edXMLHeader")
    message_header = _read_message_header(
        _Reader(header.required("MessageHeader"), f"{header.path}/MessageHeader")
    )
    traces: list[TraceHeader] = []
    bussiness = None
    trace_extra: list[str] = []
    trace_list = header.first("TraceHeaderList")
    if trace_list is not None:
        trace_reader = _Reader(trace_list, f"{header.path}/TraceHeaderList")
        traces = trace_reader.blocks(
            "TraceHeader", lambda t: TraceHeader(t.code("OrganId"), t.timestamp("Timestamp"), t.unknown())
        )
        bussiness = trace_reader.block("Bussiness", _read_bussiness)
        trace_extra = trace_reader.unknown()
    body_element = envelope.first("edXMLBody")
    body = _Reader(
        body_element if body_element is not None else etree.Element("edXMLBody"), f"{envelope.path}/edXMLBody"
    )
    manifest = _read_manifest(body)
    business_document = _read_business_document(body)
    limit = max_package_bytes() if max_bytes is None else max_bytes
    attachments = _read_attachments(root, manifest, limit)
    return Package(
        header=message_header,
        traces=traces,
        bussiness=bussiness,
        attachments=attachments,
        business_document=business_document,
        header_extra=header.unknown(),
        trace_extra=trace_extra,
        body_extra=body.unknown(),
        extra=root.unknown(),
        raw_xml=bytes(data),
    )


def _status_element(root: etree._Element) -> etree._Element | None:
    """The `Status` element: the root, or (as some SDKs wrap it) edXML/edXMLEnvelope/edXMLHeader/Status."""
    if not _is_ours(root):
        return None
    if _local(root) == "Status":
        return root
    element: etree._Element | None = root if _local(root) == "edXML" else None
    for name in ("edXMLEnvelope", "edXMLHeader", "Status"):
        element = _Reader(element, "").first(name) if element is not None else None
    return element


def _status(status: etree._Element, data: bytes) -> StatusMessage:
    path = "/".join(["", *(_local(e) for e in reversed(list(status.iterancestors()))), "Status"])
    r = _Reader(_Reader(status, path).required("MessageHeader"), f"{path}/MessageHeader")
    code = r.code("StatusCode")
    if not (len(code) == 2 and code.isdigit()):
        raise MalformedPackage(
            _("“%(value)s” is not a two-digit status code.") % {"value": code}, f"{r.path}/StatusCode"
        )
    return StatusMessage(
        response_for=r.block("ResponseFor", _read_response_for) or ResponseFor(),
        from_=_read_organisation(_Reader(r.required("From"), f"{r.path}/From")),
        status_code=code,
        timestamp=r.timestamp("Timestamp"),
        description=r.text("Description"),
        staff_info=r.block("StaffInfo", _read_staff_info),
        extra=r.unknown(),
        raw_xml=bytes(data),
    )
