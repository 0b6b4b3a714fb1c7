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
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

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
    REVOKE = 1, gettext_lazy("Revocation of a document")
    UPDATE = 2, gettext_lazy("Update of a document")
    REPLACE = 3, gettext_lazy("Replacement of a document")


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
    receiver_type: int | None
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

# ---- the schema: each block's elements in the standard's order, one table for writing and reading ----------

_Block = TypeVar("_Block")

TEXT, CODE, IDENTITY, INTEGER, DATE, TIMESTAMP, BOOL = (
    "text",
    "code",
    "identity",
    "integer",
    "date",
    "timestamp",
    "bool",
)
DOC_TYPE, STATUS_CODE = "doc_type", "status_code"
TEXTS, CODES = "texts", "codes"  # "Container/Item": a list of texts (codes: read without surrounding spaces)
BLOCK, BLOCKS = "block", "blocks"  # a nested block, or repeated ones ("Container/Item" when wrapped)


@dataclass(frozen=True)
class _Field:
    element: str
    attribute: str
    kind: str = TEXT
    block: type | None = None
    required: bool = False


_SCHEMA: dict[type, tuple[_Field, ...]] = {
    Organisation: (
        _Field("OrganId", "organ_id", IDENTITY),
        _Field("OrganizationInCharge", "organization_in_charge"),
        _Field("OrganName", "organ_name"),
        _Field("OrganAdd", "organ_add"),
        _Field("Email", "email"),
        _Field("Telephone", "telephone"),
        _Field("Fax", "fax"),
        _Field("Website", "website"),
    ),
    CodeInfo: (_Field("CodeNumber", "code_number"), _Field("CodeNotation", "code_notation")),
    PromulgationInfo: (_Field("Place", "place"), _Field("PromulgationDate", "promulgation_date", DATE)),
    DocumentType: (
        _Field("Type", "type", INTEGER),
        _Field("TypeDetail", "type_detail"),
        _Field("TypeName", "type_name"),
    ),
    SignerInfo: (
        _Field("Competence", "competence"),
        _Field("Position", "position"),
        _Field("FullName", "full_name"),
    ),
    OtherInfo: (
        _Field("Priority", "priority", INTEGER),
        _Field("SphereOfPromulgation", "sphere_of_promulgation"),
        _Field("TyperNotation", "typer_notation"),
        _Field("PromulgationAmount", "promulgation_amount", INTEGER),
        _Field("PageAmount", "page_amount", INTEGER),
        _Field("Appendixes/Appendix", "appendixes", TEXTS),
    ),
    ResponseFor: (
        _Field("OrganId", "organ_id", CODE),
        _Field("Code", "code"),
        _Field("PromulgationDate", "promulgation_date", DATE),
        _Field("DocumentId", "document_id", CODE),
    ),
    MessageHeader: (
        _Field("From", "from_", BLOCK, Organisation, required=True),
        _Field("To", "to", BLOCKS, Organisation, required=True),
        _Field("Code", "code", BLOCK, CodeInfo),
        _Field("PromulgationInfo", "promulgation_info", BLOCK, PromulgationInfo),
        _Field("DocumentType", "document_type", BLOCK, DocumentType),
        _Field("Subject", "subject"),
        _Field("Content", "content"),
        _Field("SignerInfo", "signer_info", BLOCK, SignerInfo),
        _Field("DueDate", "due_date", DATE),
        _Field("ToPlaces/Place", "to_places", TEXTS),
        _Field("OtherInfo", "other_info", BLOCK, OtherInfo),
        _Field("ResponseFor", "response_for", BLOCKS, ResponseFor),
        _Field("SteeringType", "steering_type", INTEGER),
        _Field("DocumentId", "document_id", CODE),
    ),
    TraceHeader: (_Field("OrganId", "organ_id", CODE), _Field("Timestamp", "timestamp", TIMESTAMP)),
    StaffInfo: (
        _Field("Department", "department"),
        _Field("Staff", "staff"),
        _Field("Mobile", "mobile"),
        _Field("Email", "email"),
    ),
    Receiver: (_Field("ReceiverType", "receiver_type", INTEGER), _Field("OrganId", "organ_id", CODE)),
    BussinessDocumentInfo: (
        _Field("DocumentInfo", "document_info"),
        _Field("DocumentReceiver", "document_receiver"),
        _Field("ReceiverList/Receiver", "receivers", BLOCKS, Receiver),
    ),
    ReplacementInfo: (
        _Field("DocumentId", "document_id", CODE),
        _Field("OrganIdList/OrganId", "organ_ids", CODES),
    ),
    Bussiness: (
        _Field("BussinessDocType", "doc_type", DOC_TYPE),
        _Field("BussinessDocReason", "doc_reason"),
        _Field("DocumentId", "document_id", CODE),
        _Field("BussinessDocumentInfo", "document_info", BLOCK, BussinessDocumentInfo),
        _Field("StaffInfo", "staff_info", BLOCK, StaffInfo),
        _Field("Paper", "paper", BOOL),
        _Field("ReplacementInfoList/ReplacementInfo", "replacements", BLOCKS, ReplacementInfo),
    ),
    # The status message's MessageHeader (§9.4).
    StatusMessage: (
        _Field("ResponseFor", "response_for", BLOCK, ResponseFor, required=True),
        _Field("From", "from_", BLOCK, Organisation, required=True),
        _Field("StatusCode", "status_code", STATUS_CODE),
        _Field("Description", "description"),
        _Field("Timestamp", "timestamp", TIMESTAMP),
        _Field("StaffInfo", "staff_info", BLOCK, StaffInfo),
    ),
}


def _wrapped(element: str) -> tuple[str | None, str]:
    """("Container", "Item") for a wrapped list, (None, "Item") for one repeated in place."""
    container, _slash, item = element.rpartition("/")
    return container or None, item


def _at_least_one(name: str, path: str) -> MalformedPackage:
    return MalformedPackage(
        _("At least one %(name)s element is required.") % {"name": name}, f"{path}/{name}"
    )


# ---- writing ---------------------------------------------------------------------------------------------


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


def _written(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime(TIMESTAMP_FORMAT)
    if isinstance(value, dt.date):
        return value.strftime(DATE_FORMAT)
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(int(value))  # an IntegerChoices member too
    return str(value)


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


def _write_block(parent: etree._Element, name: str, block: Any, parent_path: str) -> None:
    path = f"{parent_path}/{name}"
    element = _element(parent, name)
    for spec in _SCHEMA[type(block)]:
        _write_field(element, spec, getattr(block, spec.attribute), path)
    _extra(element, block.extra, path)


def _write_field(element: etree._Element, spec: _Field, value: Any, path: str) -> None:
    container, item = _wrapped(spec.element)
    if spec.kind == BLOCK:
        if value is not None:
            _write_block(element, spec.element, value, path)
    elif spec.kind in (BLOCKS, TEXTS, CODES):
        if spec.required and not value:
            raise _at_least_one(item, path)
        if not value:
            return
        target, target_path = (
            (_element(element, container), f"{path}/{container}") if container else (element, path)
        )
        for each in value:
            if spec.kind == BLOCKS:
                _write_block(target, item, each, target_path)
            else:
                _text(target, item, each, target_path)
    elif value is not None:
        if spec.kind == IDENTITY:
            _check_identity(value, f"{path}/{spec.element}")
        if spec.kind == STATUS_CODE and value not in StatusCode.values:
            raise MalformedPackage(
                _("%(code)s is not a status code (01–06, 13, 15, 16).") % {"code": value},
                f"{path}/{spec.element}",
            )
        _text(element, spec.element, _written(value), path)


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
    _write_block(header, "MessageHeader", package.header, header_path)
    traces = _element(header, "TraceHeaderList")
    traces_path = f"{header_path}/TraceHeaderList"
    for trace in package.traces:
        _write_block(traces, "TraceHeader", trace, traces_path)
    if package.bussiness is not None:
        _write_block(traces, "Bussiness", package.bussiness, traces_path)
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
    root = etree.Element(_tag("Status"), nsmap={EDXML_PREFIX: EDXML_NS})
    _write_block(root, "MessageHeader", status, "/Status")
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

    def scalar(self, name: str, kind: str) -> Any:
        if kind == TEXT:
            return self.text(name)
        if kind == CODE:
            return self.code(name)
        if kind == IDENTITY:
            value = self.code(name)
            _check_identity(value, f"{self.path}/{name}")
            return value
        if kind == INTEGER:
            return self.integer(name)
        if kind == DATE:
            return self.date(name)
        if kind == TIMESTAMP:
            return self.timestamp(name)
        if kind == BOOL:
            return self.flag(name)
        if kind == DOC_TYPE:
            return self.doc_type(name)
        return self.status_code(name)

    def flag(self, name: str) -> bool | None:
        value = self.code(name)
        if value not in ("", "0", "1"):
            raise MalformedPackage(_("%(name)s is 0 or 1.") % {"name": name}, f"{self.path}/{name}")
        return None if value == "" else value == "1"

    def doc_type(self, name: str) -> BussinessDocType:
        value = self.integer(name)
        if value is None:
            return BussinessDocType.NEW
        if value not in BussinessDocType.values:
            raise MalformedPackage(
                _("%(value)s is not a business document type (0 new, 1 revoke, 2 update, 3 replace).")
                % {"value": value},
                f"{self.path}/{name}",
            )
        return BussinessDocType(value)

    def status_code(self, name: str) -> str:
        """Any two digits: the list differs between SDKs (DOMAIN.md Appendix A)."""
        value = self.code(name)
        if not (len(value) == 2 and value.isdigit()):
            raise MalformedPackage(
                _("“%(value)s” is not a two-digit status code.") % {"value": value}, f"{self.path}/{name}"
            )
        return value

    def block(self, name: str, cls: type[_Block], *, required: bool = False) -> _Block | None:
        child = self.required(name) if required else self.first(name)
        return _read_block(cls, _Reader(child, f"{self.path}/{name}")) if child is not None else None

    def blocks(self, name: str, cls: type[_Block]) -> list[_Block]:
        return [_read_block(cls, _Reader(child, f"{self.path}/{name}")) for child in self.all(name)]

    def field(self, spec: _Field) -> Any:
        container, item = _wrapped(spec.element)
        if spec.kind == BLOCK:
            assert spec.block is not None
            return self.block(spec.element, spec.block, required=spec.required)
        if spec.kind not in (BLOCKS, TEXTS, CODES):
            return self.scalar(spec.element, spec.kind)
        inside = self
        if container:
            wrapper = self.first(container)
            if wrapper is None:
                return _missing_list(spec, item, self.path)
            inside = _Reader(wrapper, f"{self.path}/{container}")
        if spec.kind == BLOCKS:
            assert spec.block is not None
            found: list[Any] = inside.blocks(item, spec.block)
        else:
            found = [child.text or "" for child in inside.all(item)]
            found = [text.strip() for text in found] if spec.kind == CODES else found
        return found or _missing_list(spec, item, self.path)

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


def _missing_list(spec: _Field, item: str, path: str) -> list[Any]:
    if spec.required:
        raise _at_least_one(item, path)
    return []


def _read_block(cls: type[_Block], r: _Reader) -> _Block:
    values = {spec.attribute: r.field(spec) for spec in _SCHEMA[cls]}
    # Each block is a dataclass taking its schema's attributes and `extra` (the type checker sees a class).
    build = cast(Callable[..., _Block], cls)
    return build(**values, extra=r.unknown())


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
    manifest_path = f"{body.path}/edXMLManifest"
    for element in _Reader(manifest, manifest_path).all("Reference"):
        reference = _Reader(element, f"{manifest_path}/Reference")
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
    message_header = _read_block(
        MessageHeader, _Reader(header.required("MessageHeader"), f"{header.path}/MessageHeader")
    )
    traces: list[TraceHeader] = []
    bussiness = None
    trace_extra: list[str] = []
    trace_list = header.first("TraceHeaderList")
    if trace_list is not None:
        trace_reader = _Reader(trace_list, f"{header.path}/TraceHeaderList")
        traces = trace_reader.blocks("TraceHeader", TraceHeader)
        bussiness = trace_reader.block("Bussiness", Bussiness)
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
    message = _read_block(
        StatusMessage, _Reader(_Reader(status, path).required("MessageHeader"), f"{path}/MessageHeader")
    )
    message.raw_xml = bytes(data)
    return message
