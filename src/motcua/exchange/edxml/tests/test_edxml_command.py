"""`motcua edxml encode` prints a dossier's package; `motcua edxml decode` prints a package or status message
as JSON, and exits non-zero with the reason and the place on a malformed one."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from motcua.conftest import PDF_BYTES, World, post_json
from motcua.exchange.edxml.codec import (
    Organisation,
    ResponseFor,
    StatusCode,
    StatusMessage,
    decode_package,
    encode_status,
)
from motcua.exchange.edxml.transfer_package import incoming_dossier


def encoded(*args: str) -> str:
    out = StringIO()
    call_command("edxml", "encode", *args, stdout=out)
    return out.getvalue()


def decoded(path: Path) -> dict:
    out = StringIO()
    call_command("edxml", "decode", str(path), stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.django_db
def test_a_dossier_is_printed_as_a_package_and_read_back_as_json(world: World, tmp_path: Path) -> None:
    response = post_json(world.client("counter"), "/api/v1/dossiers", world.intake_body("counter"))
    code = response.json()["code"]

    xml = encoded(code, "--to", world.department.identity_code)
    package = decode_package(xml.encode())
    assert package.header.from_.organ_id == world.centre.identity_code
    [to] = package.header.to
    assert (to.organ_id, to.organ_name) == (world.department.identity_code, "Sở Tư pháp")
    # What a transfer to a partner sends: the partner's inbox reads it as the same dossier.
    incoming = incoming_dossier(package)
    assert incoming.sender_code == code
    assert incoming.applicant.full_name == "Nguyễn Thị Mai"

    file = tmp_path / "package.xml"
    file.write_text(xml, encoding="utf-8")
    content = decoded(file)
    assert content["type"] == "package"
    assert content["header"]["from"]["organ_id"] == world.centre.identity_code
    assert content["header"]["to"][0]["organ_id"] == world.department.identity_code
    assert content["business_document"]["code"] == code
    [attachment] = content["attachments"]
    assert attachment["size"] == len(PDF_BYTES)
    assert attachment["sha256"] == hashlib.sha256(PDF_BYTES).hexdigest()
    assert "data" not in attachment
    assert "raw_xml" not in content


@pytest.mark.django_db
def test_encode_says_what_is_wrong(world: World) -> None:
    with pytest.raises(CommandError, match="No dossier has the code NOPE"):
        encoded("NOPE")
    response = post_json(world.client("counter"), "/api/v1/dossiers", world.intake_body("counter"))
    code = response.json()["code"]
    # Still at the unit that received it: there is no one to send it to by default.
    with pytest.raises(CommandError, match="--to CODE"):
        encoded(code)
    with pytest.raises(CommandError, match=r"--to: .*H27X"):
        encoded(code, "--to", "H27X")
    with pytest.raises(CommandError, match=r"no agency has the identity code 000\.00\.02\.H27 here"):
        encoded(code, "--to", "000.00.02.H27")


def test_a_status_message_is_read_as_json(tmp_path: Path) -> None:
    status = StatusMessage(
        ResponseFor("000.00.01.H26", "", None, "000.00.01.H26,2026/12/08,X"),
        Organisation("000.00.02.H27", "Sở Tư pháp"),
        StatusCode.RECEIVED,
        dt.datetime(2026, 12, 8, 10, 0, 0),
        "Đã tiếp nhận",
    )
    file = tmp_path / "status.xml"
    file.write_bytes(encode_status(status))
    content = decoded(file)
    assert content["type"] == "status"
    assert content["status_code"] == "03"
    assert content["timestamp"] == "2026-12-08T10:00:00"
    assert content["response_for"]["document_id"] == "000.00.01.H26,2026/12/08,X"


def test_decode_of_a_malformed_package_names_the_reason_and_place(tmp_path: Path) -> None:
    file = tmp_path / "bad.xml"
    file.write_bytes(
        b'<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"><edXMLEnvelope><edXMLHeader><MessageHeader>'
        b"<From><OrganId>nobody</OrganId></From></MessageHeader></edXMLHeader></edXMLEnvelope></edXML>"
    )
    with pytest.raises(CommandError, match="at /edXML/edXMLEnvelope/edXMLHeader/MessageHeader/From/OrganId"):
        decoded(file)
    with pytest.raises(CommandError, match="No such file"):
        decoded(tmp_path / "missing.xml")


def test_the_console_command_exits_non_zero_on_a_malformed_package(tmp_path: Path) -> None:
    file = tmp_path / "bad.xml"
    file.write_bytes(b"<edXML><oops></edXML>")
    done = subprocess.run(
        [sys.executable, "-m", "motcua", "edxml", "decode", str(file)],
        capture_output=True,
        text=True,
        env={**os.environ, "MOTCUA_DATA_DIR": str(tmp_path)},
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert "Malformed package at line 1, column" in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""
