"""Whatever the codec writes it reads back unchanged, and what it reads back it writes byte for byte the same:
for any package and status message, unknown elements and all."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from lxml import etree

from motcua.exchange.edxml.codec import (
    EDXML_NS,
    Package,
    StatusMessage,
    decode_package,
    decode_status,
    encode_package,
    encode_status,
)
from motcua.exchange.edxml.tests.strategies import packages, status_messages

PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
XLINK = "{http://www.w3.org/1999/xlink}href"


@PROPERTY
@given(packages())
def test_a_package_reads_back_as_written(package: Package) -> None:
    encoded = encode_package(package)
    decoded = decode_package(encoded)
    assert decoded == package
    assert decoded.raw_xml == encoded
    assert encode_package(decoded) == encoded


@PROPERTY
@given(status_messages)
def test_a_status_message_reads_back_as_written(status: StatusMessage) -> None:
    encoded = encode_status(status)
    decoded = decode_status(encoded)
    assert decoded == status
    assert decoded.raw_xml == encoded
    assert encode_status(decoded) == encoded


def _children(element: etree._Element) -> list[str]:
    return [etree.QName(child).localname for child in element if isinstance(child.tag, str)]


@PROPERTY
@given(packages())
def test_a_package_is_written_in_the_standards_order_and_spelling(package: Package) -> None:
    root = etree.fromstring(encode_package(package))
    assert root.tag == f"{{{EDXML_NS}}}edXML"
    envelope = root.find(f"{{{EDXML_NS}}}edXMLEnvelope")
    assert envelope is not None
    # Everything inside the envelope under the edXML prefix; the attachments outside it, unprefixed.
    assert envelope.prefix == "edXML"
    assert all(e.prefix == "edXML" for e in envelope.iter() if etree.QName(e).namespace == EDXML_NS)
    encoded = root.find(f"{{{EDXML_NS}}}AttachmentEncoded")
    assert encoded is not None and encoded.prefix is None

    header = envelope.find(f"{{{EDXML_NS}}}edXMLHeader/{{{EDXML_NS}}}MessageHeader")
    assert header is not None
    order = [
        "From",
        "To",
        "Code",
        "PromulgationInfo",
        "DocumentType",
        "Subject",
        "Content",
        "SignerInfo",
        "DueDate",
        "ToPlaces",
        "OtherInfo",
        "ResponseFor",
        "SteeringType",
        "DocumentId",
    ]
    written = [name for name in _children(header) if not name.startswith("Future")]
    assert written == sorted(written, key=order.index)
    assert written.count("To") == len(package.header.to)

    references = envelope.findall(f".//{{{EDXML_NS}}}Reference")
    attachments = encoded.findall(f"{{{EDXML_NS}}}Attachment")
    assert len(references) == len(attachments) == len(package.attachments)
    for reference, attachment, expected in zip(references, attachments, package.attachments, strict=True):
        assert reference.get(XLINK) == f"cid:{expected.content_id}"
        assert reference.findtext(f"{{{EDXML_NS}}}ContentId") == f"cid:{expected.content_id}"
        assert attachment.findtext(f"{{{EDXML_NS}}}ContentId") == expected.content_id
        assert _children(attachment) == (
            ["ContentType", "ContentId", "Description", "ContentTransferEncoded", "AttachmentName"]
        )
