"""POST /files: scans, photos and office documents are kept with their size and sha256; anything else, judged
by its content and not its name, is refused."""

from __future__ import annotations

import hashlib
import io
import struct
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from motcua.conftest import PDF_BYTES
from motcua.dossiers.models import UploadedFile


def _png() -> bytes:
    """A real 1×1 white PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff"))


OOXML = "http://schemas.openxmlformats.org"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOCX_PARTS = {
    "[Content_Types].xml": f'<Types xmlns="{OOXML}/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    f'<Override PartName="/word/document.xml" ContentType="{DOCX_TYPE}.main+xml"/></Types>',
    "_rels/.rels": f'<Relationships xmlns="{OOXML}/package/2006/relationships"><Relationship Id="rId1" '
    f'Type="{OOXML}/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    "</Relationships>",
    "word/document.xml": f'<w:document xmlns:w="{OOXML}/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>Đơn đề nghị</w:t></w:r></w:p></w:body></w:document>",
}


def _zip(parts: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, '<?xml version="1.0" encoding="UTF-8"?>' + text)
    return buffer.getvalue()


PNG = _png()
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
DOCX = _zip(DOCX_PARTS)  # the smallest Word document: content types, package relationships, the main part


def upload(client: Client, name: str, content: bytes):
    return client.post("/api/v1/files", {"file": SimpleUploadedFile(name, content)})


def problem_fields(response, status: int) -> list[str]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["status"] == status
    return [error["field"] for error in response.json()["errors"]]


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("giay-chung-sinh.pdf", PDF_BYTES, "application/pdf"),
        ("anh-the.png", PNG, "image/png"),
        ("anh-the.jpg", JPEG, "image/jpeg"),
        ("don-de-nghi.docx", DOCX, DOCX_TYPE),
        ("scan.pdf", PNG, "image/png"),  # the content decides, not the name
        ("photo.jpg", PDF_BYTES, "application/pdf"),
        ("no-extension", DOCX, DOCX_TYPE),
    ],
    ids=["pdf", "png", "jpeg", "docx", "png_named_pdf", "pdf_named_jpg", "docx_without_extension"],
)
def test_accepted_file_is_kept_with_its_size_hash_and_type(world, name, content, content_type):
    response = upload(world.client("counter"), name, content)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["size"] == len(content)
    assert body["sha256"] == hashlib.sha256(content).hexdigest()
    assert body["content_type"] == content_type
    assert body["name"] == name
    stored = UploadedFile.objects.get(pk=body["id"])
    assert stored.owner.username == "counter"
    with stored.file.open("rb") as handle:
        assert handle.read() == content


NOT_DOCUMENTS = {
    "empty": ("empty.pdf", b""),
    "text_named_pdf": ("letter.pdf", "Đơn xin cấp giấy khai sinh\n".encode()),
    "html_named_docx": ("page.docx", b"<!DOCTYPE html><html><body>hello</body></html>"),
    "executable_named_pdf": (
        "setup.pdf",
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64,
    ),
    "plain_zip_named_docx": ("archive.docx", _zip({"notes.txt": "not an office document"})),
    "noise_named_jpg": ("random.jpg", bytes(range(256)) * 4),
}


@pytest.mark.parametrize(("name", "content"), NOT_DOCUMENTS.values(), ids=NOT_DOCUMENTS.keys())
def test_file_that_is_not_a_document_is_422(world, name, content):
    response = upload(world.client("counter"), name, content)
    assert problem_fields(response, 422) == ["file"]
    assert UploadedFile.objects.count() == 0


@override_settings(MOTCUA_MAX_UPLOAD_BYTES=1024)
def test_file_over_the_limit_is_413(world):
    at_the_limit = PDF_BYTES + b"%" * (1024 - len(PDF_BYTES))
    assert upload(world.client("counter"), "big.pdf", at_the_limit).status_code == 201
    problem_fields(upload(world.client("counter"), "bigger.pdf", at_the_limit + b"%"), 413)
    assert UploadedFile.objects.count() == 1


@pytest.mark.parametrize(
    "data", [{}, {"document": SimpleUploadedFile("scan.pdf", PDF_BYTES)}, {"file": "scan.pdf"}],
    ids=["nothing", "wrong_field_name", "text_instead_of_a_file"],
)  # fmt: skip
def test_request_without_a_file_is_422_naming_the_file_field(world, data):
    assert problem_fields(world.client("counter").post("/api/v1/files", data), 422) == ["file"]
    assert UploadedFile.objects.count() == 0


@pytest.mark.parametrize("authorization", [None, "Bearer garbage"], ids=["anonymous", "garbage_token"])
def test_upload_needs_authentication(world, authorization):
    client = Client(headers={"Authorization": authorization} if authorization else {})
    problem_fields(upload(client, "scan.pdf", PDF_BYTES), 401)
    assert UploadedFile.objects.count() == 0


def test_citizen_may_upload_too(world):
    response = upload(world.client("citizen"), "cccd.jpg", JPEG)
    assert response.status_code == 201, response.content
    assert UploadedFile.objects.get(pk=response.json()["id"]).owner.username == "citizen"
