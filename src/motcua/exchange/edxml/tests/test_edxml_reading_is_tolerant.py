"""Senders spell edXML in several ways: without prefixes, in the simplified eDoc namespace or in none, in any
element order, with attachments zipped, line-wrapped base64, ISO dates, metadata only in the manifest. The
codec reads them all as the same package."""

from __future__ import annotations

import base64
import datetime as dt

from hypothesis import HealthCheck, given, settings
from lxml import etree

from motcua.exchange.edxml.codec import (
    EDOC_NS,
    EDXML_NS,
    Attachment,
    BussinessDocType,
    MessageHeader,
    Organisation,
    Package,
    StatusCode,
    decode_package,
    decode_status,
    encode_package,
)
from motcua.exchange.edxml.tests.strategies import (
    packages,
    renamespaced,
    unprefixed,
    with_zipped_attachments,
    zipped,
)

PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Packages whose unknown elements are all of another namespace: moving edXML's own elements to another
# namespace leaves those untouched.
foreign_only = packages(in_edxml_namespace=False)


@PROPERTY
@given(foreign_only)
def test_the_edoc_namespace_and_no_namespace_read_as_edxml(package: Package) -> None:
    encoded = encode_package(package)
    assert decode_package(renamespaced(encoded, EDOC_NS)) == package
    assert decode_package(renamespaced(encoded, None)) == package
    assert decode_package(unprefixed(encoded)) == package


@PROPERTY
@given(packages())
def test_zipped_attachments_read_as_their_content(package: Package) -> None:
    assert decode_package(with_zipped_attachments(encode_package(package))) == package


def test_a_zip_file_sent_as_a_zip_file_stays_one() -> None:
    archive = zipped(b"inner")
    package = _package(Attachment("z1", "hoso.zip", "application/zip", archive))
    assert decode_package(encode_package(package)).attachments[0].data == archive


def _package(*attachments: Attachment) -> Package:
    return Package(
        header=MessageHeader(
            from_=Organisation("000.00.01.H26", "Văn phòng UBND"),
            to=[Organisation("000.00.02.H27", "Sở Tư pháp")],
            subject="Hồ sơ liên thông",
            document_id="000.00.01.H26,2026/12/08,12",
        ),
        attachments=list(attachments),
    )


# A package as another vendor's SDK writes it: the eDoc namespace as default, elements in its own order,
# a signature the codec does not read, ISO dates, padded codes, base64 wrapped at 76 columns, the attachment's
# name and type only in the manifest, its content id with the cid: prefix.
FOREIGN_PACKAGE = f"""<?xml version="1.0" encoding="UTF-8"?>
<edXML xmlns="{EDOC_NS}" xmlns:xlink="http://www.w3.org/1999/xlink">
 <edXMLEnvelope>
  <edXMLHeader>
   <MessageHeader>
    <Subject>V/v chuyển hồ sơ</Subject>
    <To><OrganId> 000.00.02.H27 </OrganId><OrganName>Sở Tư pháp</OrganName></To>
    <From><OrganName>UBND xã A</OrganName><OrganId>000.00.01.H26</OrganId></From>
    <PromulgationInfo><Place>Hà Nội</Place><PromulgationDate>2026-12-08</PromulgationDate></PromulgationInfo>
    <DueDate>2026-12-20 00:00:00</DueDate>
    <DocumentId>000.00.01.H26,2026,10</DocumentId>
   </MessageHeader>
   <TraceHeaderList>
    <Bussiness><BussinessDocType>2</BussinessDocType><Paper>1</Paper></Bussiness>
    <TraceHeader><OrganId>000.00.01.H26</OrganId><Timestamp>2026-12-08T09:30:00</Timestamp></TraceHeader>
   </TraceHeaderList>
   <Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignatureValue>c2ln</SignatureValue></Signature>
  </edXMLHeader>
  <edXMLBody>
   <edXMLManifest>
    <Reference xlink:href="cid:f-1">
     <AttachmentName>to-trinh.pdf</AttachmentName><ContentType>application/pdf</ContentType>
     <ContentId>f-1</ContentId>
    </Reference>
   </edXMLManifest>
  </edXMLBody>
 </edXMLEnvelope>
 <AttachmentEncoded>
  <Attachment>
   <ContentId>cid:f-1</ContentId>
   <ContentTransferEncoded>
{base64.encodebytes(b"%PDF-1.4 " + bytes(range(256)) * 2).decode()}   </ContentTransferEncoded>
  </Attachment>
 </AttachmentEncoded>
</edXML>
""".encode()


def test_another_vendors_spelling_is_read() -> None:
    package = decode_package(FOREIGN_PACKAGE)
    header = package.header
    assert header.from_.organ_id == "000.00.01.H26"
    assert header.from_.organ_name == "UBND xã A"
    assert [to.organ_id for to in header.to] == ["000.00.02.H27"]
    assert header.subject == "V/v chuyển hồ sơ"
    assert header.promulgation_info is not None
    assert header.promulgation_info.promulgation_date == dt.date(2026, 12, 8)
    assert header.due_date == dt.date(2026, 12, 20)
    assert header.document_id == "000.00.01.H26,2026,10"
    assert package.traces[0].timestamp == dt.datetime(2026, 12, 8, 9, 30)
    assert package.bussiness is not None
    assert package.bussiness.doc_type == BussinessDocType.UPDATE
    assert package.bussiness.paper is True
    [attachment] = package.attachments
    assert (attachment.content_id, attachment.name, attachment.content_type) == (
        "f-1",
        "to-trinh.pdf",
        "application/pdf",
    )
    assert attachment.data == b"%PDF-1.4 " + bytes(range(256)) * 2
    assert package.business_document is None
    assert package.raw_xml == FOREIGN_PACKAGE

    # The signature is kept and written back where it was found, in its own namespace.
    [signature] = package.header_extra
    assert "SignatureValue" in signature
    rewritten = etree.fromstring(encode_package(package))
    assert (
        rewritten.find(
            f"{{{EDXML_NS}}}edXMLEnvelope/{{{EDXML_NS}}}edXMLHeader/{{http://www.w3.org/2000/09/xmldsig#}}Signature"
        )
        is not None
    )
    assert decode_package(encode_package(package)) == package


def test_a_status_message_wrapped_in_an_envelope_and_with_a_code_we_do_not_list_is_read() -> None:
    xml = f"""<edXML xmlns="{EDXML_NS}"><edXMLEnvelope><edXMLHeader><Status><MessageHeader>
        <ResponseFor><OrganId>000.00.01.H26</OrganId><DocumentId>000.00.01.H26,2026,10</DocumentId></ResponseFor>
        <From><OrganId>000.00.02.H27</OrganId></From>
        <StatusCode>07</StatusCode><Description>Đã lưu</Description>
        <Timestamp>2026/12/08 10:00:00</Timestamp>
    </MessageHeader></Status></edXMLHeader></edXMLEnvelope></edXML>""".encode()
    status = decode_status(xml)
    assert status.status_code == "07"
    assert status.known_status is None
    assert status.response_for.document_id == "000.00.01.H26,2026,10"
    assert status.from_.organ_id == "000.00.02.H27"
    assert status.description == "Đã lưu"
    assert status.timestamp == dt.datetime(2026, 12, 8, 10)


def test_a_known_status_code_reads_as_its_meaning() -> None:
    xml = b"""<Status><MessageHeader><ResponseFor><DocumentId>d-1</DocumentId></ResponseFor>
        <From><OrganId>000.00.02.H27</OrganId></From>
        <StatusCode>03</StatusCode><Timestamp>2026/12/08 10:00:00</Timestamp></MessageHeader></Status>"""
    assert decode_status(xml).known_status == StatusCode.RECEIVED
