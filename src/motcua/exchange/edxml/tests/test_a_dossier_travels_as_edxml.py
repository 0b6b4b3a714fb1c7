"""One of our dossiers becomes an edXML package for a partner, with its scans and only the personal data the
partner needs; read back, the package gives the intake everything it needs, or names what is missing."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator

import pytest
from django.utils import timezone, translation

from motcua.conftest import CITIZEN_ID, PDF_BYTES, VALID_FORM, World, post_json
from motcua.core.errors import Conflict
from motcua.dossiers.models import Dossier
from motcua.exchange.edxml.codec import MalformedPackage, Organisation, decode_package, encode_package
from motcua.exchange.edxml.documents import dossier_package, incoming_dossier

PARTNER = Organisation(organ_id="000.00.02.H27", organ_name="Sở Tư pháp tỉnh bạn")
SENT_AT = timezone.make_aware(dt.datetime(2026, 12, 8, 9, 30, 15))
DOCUMENT = "/edXML/edXMLEnvelope/edXMLBody/BusinessDocument"


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def received_dossier(world: World) -> Dossier:
    response = post_json(world.client("counter"), "/api/v1/dossiers", world.intake_body("counter"))
    assert response.status_code == 201, response.content
    return Dossier.objects.get(code=response.json()["code"])


@pytest.mark.django_db
def test_a_dossier_goes_out_with_its_scans_and_comes_back_as_an_intake(world: World) -> None:
    dossier = received_dossier(world)
    package = dossier_package(
        dossier, sender=world.centre, to=PARTNER, sent_at=SENT_AT, note="Chuyển liên thông"
    )
    xml = encode_package(package)
    # The same dossier sent again (a retry) is the same package, byte for byte.
    assert (
        encode_package(
            dossier_package(
                dossier, sender=world.centre, to=PARTNER, sent_at=SENT_AT, note="Chuyển liên thông"
            )
        )
        == xml
    )

    received = decode_package(xml)
    header = received.header
    assert header.from_.organ_id == world.centre.identity_code
    assert header.from_.organization_in_charge == world.city.identity_code
    assert [to.organ_id for to in header.to] == ["000.00.02.H27"]
    assert header.code is not None and header.code.code_number == dossier.code
    assert (
        header.document_id == f"{world.centre.identity_code},{timezone.localdate():%Y/%m/%d},{dossier.code}"
    )
    assert header.subject == "Đăng ký khai sinh – Nguyễn Thị Mai"
    assert header.content == "Chuyển liên thông"
    assert header.due_date == timezone.localtime(dossier.due_at).date()
    assert received.traces[0].timestamp == dt.datetime(2026, 12, 8, 9, 30, 15)

    incoming = incoming_dossier(received)
    assert incoming.sender.organ_id == world.centre.identity_code
    assert incoming.receivers == ["000.00.02.H27"]
    assert incoming.origin_code == dossier.code
    assert incoming.document_id == header.document_id
    assert (incoming.procedure_local_code, incoming.procedure_national_code, incoming.case_code) == (
        "1.001193.000.00.00.H26",
        "1.001193",
        "standard",
    )
    assert incoming.applicant.full_name == "Nguyễn Thị Mai"
    assert incoming.applicant.id_number == CITIZEN_ID
    assert incoming.applicant.date_of_birth == dt.date(1990, 5, 4)
    assert incoming.form == VALID_FORM
    assert incoming.received_at == dossier.received_at
    assert incoming.due_at == dossier.due_at
    [document] = incoming.documents
    assert (document.requirement_order, document.requirement_name) == (1, "Giấy chứng sinh")
    assert document.attachment is not None
    assert document.attachment.data == PDF_BYTES
    assert document.attachment.content_type == "application/pdf"
    assert document.attachment.description == "Giấy chứng sinh"


@pytest.mark.django_db
def test_the_package_carries_no_more_personal_data_than_the_partner_needs(world: World) -> None:
    dossier = received_dossier(world)
    package = dossier_package(dossier, sender=world.centre, to=PARTNER, sent_at=SENT_AT)
    assert package.business_document is not None
    assert set(package.business_document) == {
        "kind", "version", "code", "procedure", "case", "channel", "result_delivery", "submitted_at",
        "received_at", "due_at", "applicant", "representative", "form", "documents", "note",
    }  # fmt: skip
    xml = encode_package(package).decode()
    # Nothing of our own handling: the lookup key, the officer who received it, the applicant's account.
    assert dossier.lookup_key not in xml
    assert set(package.business_document["applicant"]) == {
        "kind", "full_name", "id_number", "tax_code", "date_of_birth", "phone", "email", "address",
    }  # fmt: skip
    assert package.bussiness is not None and package.bussiness.staff_info is None


@pytest.mark.django_db
def test_a_scan_changed_in_storage_is_not_sent(world: World) -> None:
    dossier = received_dossier(world)
    upload = dossier.documents.get().file
    assert upload is not None
    upload.sha256 = "0" * 64
    upload.save()
    with pytest.raises(Conflict, match="no longer matches its fingerprint"):
        dossier_package(dossier, sender=world.centre, to=PARTNER, sent_at=SENT_AT)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "reason", "path"),
    [
        (lambda d: None, "carries no dossier", DOCUMENT),
        (lambda d: {**d, "kind": "invoice"}, "not a dossier", f"{DOCUMENT}/kind"),
        (lambda d: {**d, "version": 2}, "Version 2", f"{DOCUMENT}/version"),
        (lambda d: {**d, "applicant": {**d["applicant"], "full_name": " "}}, "text is required",
         f"{DOCUMENT}/applicant/full_name"),
        (lambda d: {**d, "applicant": {**d["applicant"], "date_of_birth": "04/05/1990"}},
         "not an ISO 8601 date", f"{DOCUMENT}/applicant/date_of_birth"),
        (lambda d: {**d, "case": "standard"}, "object is expected", f"{DOCUMENT}/case"),
        (lambda d: {**d, "due_at": "tomorrow"}, "not an ISO 8601 time", f"{DOCUMENT}/due_at"),
        (lambda d: {**d, "documents": [{**d["documents"][0], "content_id": "gone"}]},
         "scan gone is not among", f"{DOCUMENT}/documents[1]/content_id"),
        (lambda d: {**d, "documents": [{**d["documents"][0], "copies": "two"}]}, "whole number",
         f"{DOCUMENT}/documents[1]/copies"),
    ],
)  # fmt: skip
def test_a_package_without_what_an_intake_needs_names_the_field(
    world: World, change, reason: str, path: str
) -> None:
    dossier = received_dossier(world)
    package = dossier_package(dossier, sender=world.centre, to=PARTNER, sent_at=SENT_AT)
    damaged = dataclasses.replace(package, business_document=change(package.business_document))
    with pytest.raises(MalformedPackage) as refused:
        incoming_dossier(decode_package(encode_package(damaged)))
    assert reason in refused.value.reason
    assert refused.value.path == path
