"""Hypothesis strategies for edXML packages and status messages, and rewrites of a package into the other
spellings senders use (another namespace, no prefix, zipped attachments)."""

from __future__ import annotations

import base64
import datetime as dt
import io
import zipfile

from hypothesis import strategies as st
from lxml import etree

from motcua.core.identifiers import IDENTITY_CODE_RE
from motcua.exchange.edxml.codec import (
    EDXML_NS,
    Attachment,
    Bussiness,
    BussinessDocType,
    BussinessDocumentInfo,
    CodeInfo,
    DocumentType,
    MessageHeader,
    Organisation,
    OtherInfo,
    Package,
    PromulgationInfo,
    Receiver,
    ReplacementInfo,
    ResponseFor,
    SignerInfo,
    StaffInfo,
    StatusCode,
    StatusMessage,
    TraceHeader,
)

# Any character XML 1.0 can carry (UTF-8 encodable: no lone surrogate), spaces, line breaks and carriage
# returns included.
_XML_EXCLUDED = [chr(c) for c in range(32) if chr(c) not in "\t\n\r"] + ["\ufffe", "\uffff"]
texts = st.text(alphabet=st.characters(codec="utf-8", exclude_characters=_XML_EXCLUDED), max_size=30)
# Codes and identifiers are read without their surrounding spaces (layout, not value).
codes = st.from_regex(r"[0-9A-Za-z][0-9A-Za-z.,/ _-]{0,20}[0-9A-Za-z]|", fullmatch=True)
identity_codes = st.from_regex(IDENTITY_CODE_RE, fullmatch=True)
numbers = st.integers(min_value=0, max_value=10**9)
dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31))
timestamps = st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2100, 12, 31)).map(
    lambda moment: moment.replace(microsecond=0)
)


def _foreign_element(name: str, text: str, in_edxml_namespace: bool) -> str:
    namespace, prefix = (EDXML_NS, "edXML") if in_edxml_namespace else ("urn:example:extension", "ext")
    element = etree.Element(f"{{{namespace}}}{name}", nsmap={prefix: namespace})
    element.text = text
    return etree.tostring(element, method="c14n", exclusive=True).decode()


def extras(in_edxml_namespace: bool = True) -> st.SearchStrategy[list[str]]:
    """Elements a newer sender might add: of another namespace, or of edXML's own under a name we do not know
    (Future…, which no block reads)."""
    element = st.builds(
        _foreign_element,
        st.from_regex(r"Future[A-Z][a-z]{0,8}", fullmatch=True),
        texts,
        st.booleans() if in_edxml_namespace else st.just(False),
    )
    return st.lists(element, max_size=2)


def organisations(extra: st.SearchStrategy[list[str]]) -> st.SearchStrategy[Organisation]:
    return st.builds(
        Organisation,
        organ_id=identity_codes,
        organ_name=texts,
        organization_in_charge=texts,
        organ_add=texts,
        email=texts,
        telephone=texts,
        fax=texts,
        website=texts,
        extra=extra,
    )


def staff_infos(extra: st.SearchStrategy[list[str]]) -> st.SearchStrategy[StaffInfo]:
    return st.builds(StaffInfo, texts, texts, texts, texts, extra)


def response_fors(extra: st.SearchStrategy[list[str]]) -> st.SearchStrategy[ResponseFor]:
    return st.builds(ResponseFor, codes, texts, st.none() | dates, codes, extra)


def message_headers(extra: st.SearchStrategy[list[str]]) -> st.SearchStrategy[MessageHeader]:
    return st.builds(
        MessageHeader,
        from_=organisations(extra),
        to=st.lists(organisations(extra), min_size=1, max_size=3),
        code=st.none() | st.builds(CodeInfo, texts, texts, extra),
        promulgation_info=st.none() | st.builds(PromulgationInfo, texts, st.none() | dates, extra),
        document_type=st.none() | st.builds(DocumentType, st.none() | numbers, texts, texts, extra),
        subject=texts,
        content=texts,
        signer_info=st.none() | st.builds(SignerInfo, texts, texts, texts, extra),
        due_date=st.none() | dates,
        to_places=st.lists(texts, max_size=3),
        other_info=st.none()
        | st.builds(
            OtherInfo,
            st.none() | numbers,
            texts,
            texts,
            st.none() | numbers,
            st.none() | numbers,
            st.lists(texts, max_size=2),
            extra,
        ),
        response_for=st.lists(response_fors(extra), max_size=2),
        steering_type=st.none() | numbers,
        document_id=codes,
        extra=extra,
    )


def bussinesses(extra: st.SearchStrategy[list[str]]) -> st.SearchStrategy[Bussiness]:
    return st.builds(
        Bussiness,
        doc_type=st.sampled_from(BussinessDocType),
        doc_reason=texts,
        document_id=codes,
        document_info=st.none()
        | st.builds(
            BussinessDocumentInfo,
            texts,
            texts,
            st.lists(st.builds(Receiver, numbers, codes, extra), max_size=2),
            extra,
        ),
        staff_info=st.none() | staff_infos(extra),
        paper=st.none() | st.booleans(),
        replacements=st.lists(
            st.builds(ReplacementInfo, codes, st.lists(codes, max_size=2), extra), max_size=2
        ),
        extra=extra,
    )


content_types = st.from_regex(r"(application|image|text)/[a-z0-9.+-]{1,20}", fullmatch=True)


@st.composite
def attachment_lists(draw: st.DrawFn) -> list[Attachment]:
    content_ids = draw(st.lists(st.uuids().map(str), unique=True, max_size=3))
    return [
        Attachment(
            content_id=content_id,
            name=draw(texts.filter(str.strip)),
            content_type=draw(content_types),
            data=draw(st.binary(max_size=300)),
            description=draw(texts),
        )
        for content_id in content_ids
    ]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | texts,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(texts, children, max_size=3),
    max_leaves=10,
)


def packages(in_edxml_namespace: bool = True) -> st.SearchStrategy[Package]:
    extra = extras(in_edxml_namespace)
    return st.builds(
        Package,
        header=message_headers(extra),
        traces=st.lists(st.builds(TraceHeader, codes, timestamps, extra), max_size=3),
        bussiness=st.none() | bussinesses(extra),
        attachments=attachment_lists(),
        business_document=st.none() | st.dictionaries(texts, json_values, max_size=4),
        header_extra=extra,
        trace_extra=extra,
        body_extra=extra,
        extra=extras(in_edxml_namespace=False),
    )


status_messages = st.builds(
    StatusMessage,
    response_for=response_fors(extras()),
    from_=organisations(extras()),
    status_code=st.sampled_from(StatusCode.values),
    timestamp=timestamps,
    description=texts,
    staff_info=st.none() | staff_infos(extras()),
    extra=extras(),
)


def renamespaced(xml: bytes, namespace: str | None) -> bytes:
    """The same package with every edXML element moved to `namespace` (None: no namespace at all)."""
    root = etree.fromstring(xml)
    for element in root.iter():
        if isinstance(element.tag, str) and etree.QName(element).namespace == EDXML_NS:
            local = etree.QName(element).localname
            element.tag = f"{{{namespace}}}{local}" if namespace else local
    etree.cleanup_namespaces(root)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def unprefixed(xml: bytes) -> bytes:
    """The same package with the edXML namespace as the default one everywhere, no prefix at all."""
    return (
        xml.replace(b"<edXML:", b"<")
        .replace(b"</edXML:", b"</")
        .replace(f' xmlns:edXML="{EDXML_NS}"'.encode(), b"")
    )


def zipped(data: bytes, member: str = "file.bin") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, data)
    return buffer.getvalue()


def with_zipped_attachments(xml: bytes) -> bytes:
    """The same package with each attachment zipped before base64, as some senders do."""
    root = etree.fromstring(xml)
    for encoded in root.iter(f"{{{EDXML_NS}}}ContentTransferEncoded"):
        encoded.text = base64.b64encode(zipped(base64.b64decode(encoded.text or ""))).decode()
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
