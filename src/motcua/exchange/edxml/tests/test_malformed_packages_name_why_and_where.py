"""A package that breaks the rules, read or about to be written, raises one MalformedPackage saying why and
where; never an lxml error, never a half-read package. Hostile XML (entities, DTDs, huge input, deep trees,
zip bombs) is refused without being expanded."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import io
import zipfile
from collections.abc import Iterator

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.exchange.edxml.codec import (
    EDXML_NS,
    Attachment,
    MalformedPackage,
    MessageHeader,
    Organisation,
    Package,
    ResponseFor,
    StatusMessage,
    decode_package,
    decode_status,
    encode_package,
    encode_status,
)
from motcua.exchange.edxml.tests.strategies import packages


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The reasons are read in English here; their Vietnamese is the catalogue's business."""
    with translation.override("en"):
        yield


HEADER = "/edXML/edXMLEnvelope/edXMLHeader/MessageHeader"
FROM = "<From><OrganId>000.00.01.H26</OrganId></From>"
TO = "<To><OrganId>000.00.02.H27</OrganId></To>"


def package_xml(header: str = FROM + TO, rest: str = "", body: str = "", outside: str = "") -> bytes:
    return (
        f'<edXML xmlns="{EDXML_NS}" xmlns:xlink="http://www.w3.org/1999/xlink"><edXMLEnvelope><edXMLHeader>'
        f"<MessageHeader>{header}</MessageHeader>{rest}</edXMLHeader>"
        f"<edXMLBody>{body}</edXMLBody></edXMLEnvelope>{outside}</edXML>"
    ).encode()


def attachment_xml(content_id: str = "a1", encoded: str = "aGVsbG8=", name: str = "a.pdf") -> str:
    return (
        f"<AttachmentEncoded><Attachment><ContentType>application/pdf</ContentType><ContentId>{content_id}"
        f"</ContentId><ContentTransferEncoded>{encoded}</ContentTransferEncoded>"
        f"<AttachmentName>{name}</AttachmentName></Attachment></AttachmentEncoded>"
    )


def one_member_zip(name: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE edXML [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">&d;</edXML>"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE edXML [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"><edXMLEnvelope><edXMLHeader><MessageHeader>
<From><OrganId>000.00.01.H26</OrganId><OrganName>&secret;</OrganName></From>
<To><OrganId>000.00.02.H27</OrganId></To></MessageHeader></edXMLHeader></edXMLEnvelope></edXML>"""
ZIP_BOMB = one_member_zip("bomb.pdf", b"\0" * 2_000_000)

CASES = {
    "not XML": (b"<edXML><unclosed></edXML>", "Not well-formed XML", "line 1, column"),
    "empty": (b"  \n", "empty", "/"),
    "entity expansion": (BILLION_LAUGHS, "DTD", "/"),
    "external entity": (XXE, "DTD", "/"),
    "too deep": (b"<a>" * 300 + b"</a>" * 300, "Not well-formed XML", "line 1"),
    "another root": (b"<html xmlns='http://www.w3.org/1999/xhtml'/>", "not edXML", "/html"),
    "no envelope": (
        f'<edXML xmlns="{EDXML_NS}"/>'.encode(),
        "edXMLEnvelope is missing",
        "/edXML/edXMLEnvelope",
    ),
    "no message header": (
        f'<edXML xmlns="{EDXML_NS}"><edXMLEnvelope><edXMLHeader/></edXMLEnvelope></edXML>'.encode(),
        "MessageHeader is missing",
        "/edXML/edXMLEnvelope/edXMLHeader/MessageHeader",
    ),
    "no sender": (package_xml(TO), "From is missing", f"{HEADER}/From"),
    "a sender that is not an agency code": (
        package_xml("<From><OrganId>UBND-HN</OrganId></From>" + TO),
        "UBND-HN is not an agency identity code",
        f"{HEADER}/From/OrganId",
    ),
    "no receiver": (package_xml(FROM), "At least one To element is required", f"{HEADER}/To"),
    "a receiver that is not an agency code": (
        package_xml(FROM + TO + "<To><OrganId>000.00.02</OrganId></To>"),
        "000.00.02 is not an agency identity code",
        f"{HEADER}/To/OrganId",
    ),
    "an unknown element canonical XML refuses": (
        package_xml(FROM + TO + '<x:Odd xmlns:x="relative/uri"/>'),
        "Odd cannot be kept",
        f"{HEADER}/Odd",
    ),
    "a date that is not one": (
        package_xml(FROM + TO + "<DueDate>20/12/2026</DueDate>"),
        "not a date written yyyy/MM/dd",
        f"{HEADER}/DueDate",
    ),
    "a number that is not one": (
        package_xml(FROM + TO + "<SteeringType>chỉ đạo</SteeringType>"),
        "not a whole number",
        f"{HEADER}/SteeringType",
    ),
    "a trace without a time": (
        package_xml(
            rest="<TraceHeaderList><TraceHeader><OrganId>000.00.01.H26</OrganId></TraceHeader>"
            "</TraceHeaderList>"
        ),
        "not a time written yyyy/MM/dd HH:mm:ss",
        "/edXML/edXMLEnvelope/edXMLHeader/TraceHeaderList/TraceHeader/Timestamp",
    ),
    "an unknown business type": (
        package_xml(
            rest="<TraceHeaderList><Bussiness><BussinessDocType>7</BussinessDocType></Bussiness>"
            "</TraceHeaderList>"
        ),
        "7 is not a business document type",
        "/edXML/edXMLEnvelope/edXMLHeader/TraceHeaderList/Bussiness/BussinessDocType",
    ),
    "an attachment that is not base64": (
        package_xml(outside=attachment_xml(encoded="%%%not base64")),
        "not base64",
        "/edXML/AttachmentEncoded/Attachment[1]/ContentTransferEncoded",
    ),
    "an attachment without an id": (
        package_xml(outside=attachment_xml(content_id="")),
        "no content id",
        "/edXML/AttachmentEncoded/Attachment[1]/ContentId",
    ),
    "two attachments with one id": (
        package_xml(outside=attachment_xml() + attachment_xml()),
        "share the content id a1",
        "/edXML/AttachmentEncoded/Attachment[1]/ContentId",
    ),
    "a manifest naming a missing attachment": (
        package_xml(
            body="<edXMLManifest><Reference><ContentId>cid:gone</ContentId></Reference></edXMLManifest>"
        ),
        "names attachment gone, which the package does not carry",
        "/edXML/edXMLEnvelope/edXMLBody/edXMLManifest",
    ),
    "a zip bomb": (
        package_xml(outside=attachment_xml(encoded=base64.b64encode(ZIP_BOMB).decode())),
        "unpacks to more than",
        "/edXML/AttachmentEncoded/Attachment[1]/ContentTransferEncoded",
    ),
    "a business document that is not JSON": (
        package_xml(
            body='<m:BusinessDocument xmlns:m="urn:motcua:edxml:business-document:1">{oops'
            "</m:BusinessDocument>"
        ),
        "not JSON",
        "/edXML/edXMLEnvelope/edXMLBody/BusinessDocument",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_a_malformed_package_is_refused_with_its_reason_and_place(case: str) -> None:
    data, reason, path = CASES[case]
    with pytest.raises(MalformedPackage) as refused:
        decode_package(data, max_bytes=1_000_000)
    assert reason in refused.value.reason
    assert refused.value.path.startswith(path)


def test_an_entity_is_never_expanded_nor_a_file_read() -> None:
    with pytest.raises(MalformedPackage) as refused:
        decode_package(XXE)
    assert "root:" not in str(refused.value)


def test_a_package_over_the_size_limit_is_refused_unread(settings: pytest.FixtureRequest) -> None:
    settings.MOTCUA_EDXML_MAX_BYTES = 100  # type: ignore[attr-defined]
    with pytest.raises(MalformedPackage) as refused:
        decode_package(b"<" * 101)  # not even XML: the size is checked first
    assert "more than the 100 accepted" in refused.value.reason
    with pytest.raises(MalformedPackage, match="more than the 100 accepted"):
        decode_status(b" " * 101)


ANSWERED = "<ResponseFor><OrganId>000.00.01.H26</OrganId><DocumentId>d-1</DocumentId></ResponseFor>"
SENT = "<StatusCode>03</StatusCode><Timestamp>2026/12/08 10:00:00</Timestamp>"
STATUS_CASES = {
    "a code that is not two digits": (
        ANSWERED + FROM + "<StatusCode>X1</StatusCode><Timestamp>2026/12/08 10:00:00</Timestamp>",
        "not a two-digit status code",
        "/Status/MessageHeader/StatusCode",
    ),
    "no time": (
        ANSWERED + FROM + "<StatusCode>03</StatusCode>",
        "not a time",
        "/Status/MessageHeader/Timestamp",
    ),
    "no sender": (ANSWERED + SENT, "From is missing", "/Status/MessageHeader/From"),
    "nothing it answers": (FROM + SENT, "ResponseFor is missing", "/Status/MessageHeader/ResponseFor"),
}


@pytest.mark.parametrize("case", STATUS_CASES)
def test_a_malformed_status_message_is_refused_with_its_reason_and_place(case: str) -> None:
    inner, reason, path = STATUS_CASES[case]
    with pytest.raises(MalformedPackage) as refused:
        decode_status(f"<Status><MessageHeader>{inner}</MessageHeader></Status>".encode())
    assert reason in refused.value.reason
    assert refused.value.path == path


def test_a_package_is_not_a_status_message() -> None:
    with pytest.raises(MalformedPackage, match="Status"):
        decode_status(package_xml())


# ---- writing is strict ------------------------------------------------------------------------------------

GOOD = Package(
    header=MessageHeader(
        from_=Organisation("000.00.01.H26"), to=[Organisation("000.00.02.H27")], document_id="d-1"
    ),
    attachments=[Attachment("a1", "don.pdf", "application/pdf", b"%PDF")],
)


@pytest.mark.parametrize(
    ("change", "reason", "path"),
    [
        ({"header": dataclasses.replace(GOOD.header, to=[])}, "At least one To element", f"{HEADER}/To"),
        (
            {"header": dataclasses.replace(GOOD.header, from_=Organisation("H26"))},
            "H26 is not an agency identity code",
            f"{HEADER}/From/OrganId",
        ),
        (
            {"header": dataclasses.replace(GOOD.header, subject="bell \x07")},
            "control characters",
            f"{HEADER}/Subject",
        ),
        (
            {"attachments": [*GOOD.attachments, Attachment("a1", "b.pdf", "application/pdf", b"")]},
            "share the content id a1",
            "/edXML/AttachmentEncoded/Attachment[2]",
        ),
        (
            {"attachments": [Attachment("cid:a1", "don.pdf", "application/pdf", b"")]},
            "bare identifier",
            "/edXML/AttachmentEncoded/Attachment[1]/ContentId",
        ),
        (
            {"attachments": [Attachment("a1", " ", "application/pdf", b"")]},
            "needs a name",
            "/edXML/AttachmentEncoded/Attachment[1]/AttachmentName",
        ),
        (
            {"attachments": [Attachment("a1", "scan.pdf", "application/pdf", b"\0" * 7_500_001)]},
            "larger than an edXML package can carry",
            "/edXML/AttachmentEncoded/Attachment[1]/ContentTransferEncoded",
        ),
        (
            {"business_document": {"when": dt.date(2026, 12, 8)}},
            "not plain JSON",
            "/edXML/edXMLEnvelope/edXMLBody/BusinessDocument",
        ),
        ({"extra": ["<broken"]}, "not well-formed", "/edXML"),
    ],
)
def test_a_package_that_breaks_the_rules_is_not_written(change: dict, reason: str, path: str) -> None:
    with pytest.raises(MalformedPackage) as refused:
        encode_package(dataclasses.replace(GOOD, **change))
    assert reason in refused.value.reason
    assert refused.value.path == path


def test_a_status_code_outside_the_list_is_not_written() -> None:
    status = StatusMessage(ResponseFor(), Organisation("000.00.02.H27"), "07", dt.datetime(2026, 12, 8, 10))
    with pytest.raises(MalformedPackage) as refused:
        encode_status(status)
    assert refused.value.path == "/Status/MessageHeader/StatusCode"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(packages(), st.data())
def test_a_damaged_package_reads_or_is_refused_never_anything_else(
    package: Package, data: st.DataObject
) -> None:
    encoded = encode_package(package)
    cut = data.draw(st.integers(min_value=0, max_value=len(encoded) - 1))
    damage = data.draw(st.sampled_from(["truncate", "flip", "delete"]))
    if damage == "truncate":
        damaged = encoded[:cut]
    elif damage == "flip":
        damaged = encoded[:cut] + bytes([encoded[cut] ^ data.draw(st.integers(1, 255))]) + encoded[cut + 1 :]
    else:
        damaged = encoded[:cut] + encoded[cut + data.draw(st.integers(1, 40)) :]
    try:
        decode_package(damaged)
    except MalformedPackage as refused:
        assert refused.reason and refused.path
