"""Issue 10, finding 7 (a): a form body that cannot be read answers 400 problem+json (413 when too large),
never 500. On today's code a multipart request without a boundary answered 500, and a body cut short or
written with another boundary was taken as complete (a 422 saying that the file is missing)."""

from __future__ import annotations

import pytest
from django.test import override_settings

from motcua.conftest import PDF_BYTES

PART = (
    b'Content-Disposition: form-data; name="file"; filename="scan.pdf"\r\n'
    b"Content-Type: application/pdf\r\n\r\n"
)
WHOLE = b"--xyz\r\n" + PART + PDF_BYTES + b"\r\n--xyz--\r\n"

MALFORMED = {
    "no_boundary": ("multipart/form-data", WHOLE),
    "boundary_not_allowed": ("multipart/form-data; boundary=a b\x7f", WHOLE),
    "truncated": ("multipart/form-data; boundary=xyz", WHOLE[: len(WHOLE) // 2]),
    "no_closing_delimiter": ("multipart/form-data; boundary=xyz", b"--xyz\r\n" + PART + PDF_BYTES),
    "wrong_boundary": ("multipart/form-data; boundary=abc", WHOLE),
    "garbage": ("multipart/form-data; boundary=xyz", b"\x00\xff" * 100),
}


def _post(world, content_type: str, body: bytes):
    return world.client("counter").generic("POST", "/api/v1/files", body, content_type=content_type)


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    return response.json()


@pytest.mark.parametrize(("content_type", "body"), MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_multipart_is_400(world, content_type, body):
    problem = _problem(_post(world, content_type, body), 400)
    assert problem["errors"][0]["field"] == "body"


def test_a_well_formed_body_is_still_stored(world):
    response = _post(world, "multipart/form-data; boundary=xyz", WHOLE)
    assert response.status_code == 201, response.content


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024)
def test_a_huge_form_field_is_413(world):
    body = b'--xyz\r\nContent-Disposition: form-data; name="note"\r\n\r\n' + b"x" * 4096 + b"\r\n--xyz--\r\n"
    _problem(_post(world, "multipart/form-data; boundary=xyz", body), 413)


@override_settings(MOTCUA_MAX_UPLOAD_BYTES=len(PDF_BYTES) - 1)
def test_a_file_over_the_limit_is_413(world):
    _problem(_post(world, "multipart/form-data; boundary=xyz", WHOLE), 413)


def test_the_pages_refuse_a_malformed_form_too(world):
    from django.test import Client

    client = Client()
    client.login(username="counter", password="pw-12345678")
    response = client.generic("POST", "/office/intake/", WHOLE, content_type="multipart/form-data")
    assert response.status_code == 400
