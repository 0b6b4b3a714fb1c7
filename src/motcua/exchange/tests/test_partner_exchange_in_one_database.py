"""The partner exchange inside one database: a transfer to a partner writes its package into the outbox, the
inbox takes a partner's package in once and refuses bad ones with a status message, and a partner's status
messages join the history of the dossier we sent it. The two-deployment test does the same over HTTP."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client

from motcua.conftest import act, post_json
from motcua.delivery.models import OutboxMessage
from motcua.dossiers.models import Dossier, Origin
from motcua.exchange.edxml.codec import (
    Organisation,
    ResponseFor,
    StatusCode,
    StatusMessage,
    decode_status,
    encode_package,
    encode_status,
)
from motcua.exchange.edxml.outbound import PACKAGE_KIND, STATUS_KIND
from motcua.exchange.edxml.transfer_package import package_from_payload
from motcua.exchange.partners import add_partner

MONDAY_9 = "2026-03-02T09:00:00+07:00"
PARTNER_CREDENTIAL = "partner-presents-this-credential-0001"
OUR_CREDENTIAL = "we-present-this-to-the-partner-0001"


@pytest.fixture
def partner(world):
    """Phường Ngọc Hà's committee, as if another deployment served it."""
    return add_partner(
        world.other_commune.identity_code,
        inbox_url="http://partner.example/api/v1/edxml/inbox",
        outbound_credential=OUR_CREDENTIAL,
        inbound_credential=PARTNER_CREDENTIAL,
    ).partner


def _received(world) -> str:
    response = post_json(world.client("counter"), "/api/v1/dossiers", world.intake_body("counter"))
    assert response.status_code == 201, response.content
    return str(response.json()["code"])


def _transferred(world, partner) -> str:
    """A dossier in process at the department, whose leader transfers it to the partner."""
    code = _received(world)
    assert act(world, "counter", code, "forward").status_code == 200
    response = act(world, "leader", code, "transfer", to_unit=partner.identity_code)
    assert response.status_code == 200, response.content
    return code


def _inbox(client, body: bytes, credential: str = PARTNER_CREDENTIAL, key: str = ""):
    # The tests read the English source texts of the reasons (a partner is answered in Vietnamese by default).
    headers = {"Authorization": f"Bearer {credential}", "Accept-Language": "en"}
    if key:
        headers["Idempotency-Key"] = key
    return client.post("/api/v1/edxml/inbox", body, content_type="application/xml", headers=headers)


def _as_partners_package(world, payload: dict[str, Any]) -> bytes:
    """The package of our transfer turned round: from the partner, to Phường Ba Đình's committee."""
    turned = {
        **payload,
        "from": {"organ_id": world.other_commune.identity_code, "name": "UBND Phường Ngọc Hà", "address": ""},
        "to": {
            "organ_id": world.commune_committee.identity_code,
            "name": "UBND Phường Ba Đình",
            "address": "",
        },
    }
    return encode_package(package_from_payload(turned))


@time_machine.travel(MONDAY_9, tick=False)
def test_a_transfer_to_a_partner_writes_its_package_and_waits_at_the_partner(world, partner):
    code = _transferred(world, partner)
    message = OutboxMessage.objects.get(kind=PACKAGE_KIND)
    assert message.destination == f"partner:{partner.identity_code}"
    assert message.ordering_key == f"dossier:{code}"
    assert message.payload["document"]["procedure"] == "1.001193"
    assert message.payload["document"]["documents"][0]["requirement"] == "Giấy chứng sinh"
    dossier = Dossier.objects.get(code=code)
    assert dossier.current_unit_id == partner.agency_id
    assert dossier.status == "in_process"
    # Nobody here works at the partner: no officer of ours can move the dossier on meanwhile.
    assert act(world, "leader", code, "forward").status_code == 403


@time_machine.travel(MONDAY_9, tick=False)
def test_a_dossier_is_not_transferred_to_a_partner_at_receipt(world, partner):
    """A transfer at receipt would make the partner the deciding agency, and the result would never come
    back here to be handed over."""
    code = _received(world)
    response = act(world, "counter", code, "transfer", to_unit=partner.identity_code)
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "partner_at_receipt"
    assert Dossier.objects.get(code=code).status == "received"
    assert not OutboxMessage.objects.exists()


@time_machine.travel(MONDAY_9, tick=False)
def test_a_transfer_to_a_switched_off_partner_is_refused_and_nothing_is_written(world, partner):
    partner.is_active = False
    partner.save()
    code = _received(world)
    act(world, "counter", code, "forward")
    response = act(world, "leader", code, "transfer", to_unit=partner.identity_code)
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "partner_inactive"
    assert Dossier.objects.get(code=code).current_unit_id == world.department.pk
    assert not OutboxMessage.objects.exists()


@time_machine.travel(MONDAY_9, tick=False)
def test_the_inbox_registers_a_partners_dossier_once(world, partner, client):
    code = _transferred(world, partner)
    package = _as_partners_package(world, OutboxMessage.objects.get(kind=PACKAGE_KIND).payload)

    first = _inbox(client, package)
    again = _inbox(client, package)

    assert first.status_code == again.status_code == 200, first.content
    answer = decode_status(first.content)
    assert answer.status_code == StatusCode.RECEIVED
    assert answer.response_for.code == code
    assert decode_status(again.content).description == answer.description
    created = Dossier.objects.get(origin=Origin.PARTNER)
    assert created.code in answer.description
    assert (created.origin_party, created.origin_code) == (partner.identity_code, code)
    assert created.status == "received" and created.channel == "counter"
    assert created.receiving_unit_id == world.commune_committee.pk
    stored = created.documents.get().file
    assert stored is not None and stored.original_name == "scan.pdf"


@time_machine.travel(MONDAY_9, tick=False)
@pytest.mark.parametrize(
    ("body", "status", "reason"),
    [
        (b"not xml at all", 400, ""),
        (b"<edXML xmlns='http://www.mic.gov.vn/TBT/QCVN_102_2016'/>", 400, "edXMLEnvelope"),
    ],
)
def test_a_malformed_package_gets_a_refusal_status_message(world, partner, client, body, status, reason):
    response = _inbox(client, body)
    assert response.status_code == status
    answer = decode_status(response.content)
    assert answer.status_code == StatusCode.REFUSED
    assert reason in answer.description
    assert not Dossier.objects.exists()


@time_machine.travel(MONDAY_9, tick=False)
def test_packages_in_another_agencys_name_or_for_nobody_here_are_refused(world, partner, client):
    _transferred(world, partner)
    payload = OutboxMessage.objects.get(kind=PACKAGE_KIND).payload
    # Our own package names us as the sender: not the partner whose credential came with it.
    impostor = _inbox(client, encode_package(package_from_payload(payload)))
    assert impostor.status_code == 403
    assert "credential" in decode_status(impostor.content).description
    not_ours = {**payload, "to": {"organ_id": "000.00.01.H27", "name": "Elsewhere", "address": ""}}
    turned = _as_partners_package(world, not_ours).replace(b"000.A1.01.H26", b"000.00.01.H27")
    nobody = _inbox(client, turned)
    assert nobody.status_code == 422
    assert decode_status(nobody.content).status_code == StatusCode.REFUSED
    assert Dossier.objects.filter(origin=Origin.PARTNER).count() == 0


def test_an_unknown_credential_is_401(world, partner, client):
    assert _inbox(client, b"<x/>", credential="not-a-partner-credential-000000").status_code == 401
    assert client.post("/api/v1/edxml/inbox", b"<x/>", content_type="application/xml").status_code == 401


@time_machine.travel(MONDAY_9, tick=False)
def test_a_dossier_from_a_partner_reports_its_progress_back(world, partner, client):
    code = _transferred(world, partner)
    _inbox(client, _as_partners_package(world, OutboxMessage.objects.get(kind=PACKAGE_KIND).payload))
    ours = Dossier.objects.get(origin=Origin.PARTNER)
    assert act(world, "counter_commune", ours.code, "forward").status_code == 200
    statuses = OutboxMessage.objects.filter(kind=STATUS_KIND)
    assert [m.payload["status_code"] for m in statuses] == [StatusCode.PROCESSING]
    assert statuses.get().payload["response_for"]["code"] == code
    assert statuses.get().destination == f"partner:{partner.identity_code}"


def _status(world, code: str, status: StatusCode, description: str, sender: str | None = None) -> bytes:
    return encode_status(
        StatusMessage(
            response_for=ResponseFor(organ_id=world.centre.identity_code, code=code, document_id=code),
            from_=Organisation(organ_id=sender or world.other_commune.identity_code, organ_name="UBND"),
            status_code=str(status),
            timestamp=dt.datetime(2026, 3, 2, 10, 0),
            description=description,
        )
    )


@time_machine.travel(MONDAY_9, tick=False)
def test_a_partners_status_messages_join_the_history_and_its_result_hands_the_dossier_back(
    world, partner, client
):
    code = _transferred(world, partner)

    processing = _inbox(client, _status(world, code, StatusCode.PROCESSING, "Đang xử lý"), key="k1")
    repeated = _inbox(client, _status(world, code, StatusCode.PROCESSING, "Đang xử lý"), key="k1")
    completed = _inbox(client, _status(world, code, StatusCode.COMPLETED, "Đã xử lý xong: 12/KS"), key="k2")

    assert processing.status_code == repeated.status_code == completed.status_code == 200
    dossier = Dossier.objects.get(code=code)
    reports = list(dossier.events.filter(action="partner_status").order_by("version"))
    assert [(e.data["status_code"], e.note) for e in reports] == [
        ("05", "Đang xử lý"),
        ("06", "Đã xử lý xong: 12/KS"),
    ]
    assert dossier.status == "in_process"
    # Back at the step that transferred it, which carries on.
    assert dossier.current_unit_id == world.department.pk
    assert dossier.current_step is not None and dossier.current_step.name == "Thẩm định"
    assert act(world, "specialist", code, "forward").status_code == 200
    office = Client(headers={"Accept-Language": "en"})
    office.force_login(User.objects.get(username="leader"))
    page = office.get(f"/office/dossiers/{code}/").content.decode()
    assert page.count("Status from the partner agency") == 2 and "Đã xử lý xong: 12/KS" in page


@time_machine.travel(MONDAY_9, tick=False)
def test_a_status_on_a_dossier_not_sent_to_that_partner_is_a_404_status_message(world, partner, client):
    code = _received(world)
    unknown = _inbox(client, _status(world, code, StatusCode.PROCESSING, "?"))
    assert unknown.status_code == 404
    assert decode_status(unknown.content).status_code == StatusCode.REFUSED
    assert not Dossier.objects.get(code=code).events.filter(action="partner_status").exists()
    forged = _inbox(client, _status(world, code, StatusCode.PROCESSING, "?", sender="000.00.21.H26"))
    assert forged.status_code == 403


def test_a_message_over_the_size_limit_is_refused_unread(world, partner, client, settings):
    settings.MOTCUA_EDXML_MAX_BYTES = 200
    response = _inbox(client, b"<edXML>" + b" " * 300 + b"</edXML>")
    assert response.status_code == 413
    # Our own answer is read with room to spare: the limit is the one we apply to partners.
    answer = decode_status(response.content, max_bytes=10_000)
    assert answer.status_code == StatusCode.REFUSED and "200" in answer.description


@time_machine.travel(MONDAY_9, tick=False)
@pytest.mark.parametrize(
    ("change", "status", "said"),
    [
        ({"procedure": "9.999999"}, 422, "9.999999"),
        ({"applicant": {"kind": "person", "full_name": "A" * 300}}, 400, "/applicant/full_name"),
        (
            {"applicant": {"kind": "person", "full_name": "A", "date_of_birth": "1990-13-45"}},
            400,
            "date_of_birth",
        ),
        ({"form": {"child_name": "x\u0000"}}, 400, "cannot be stored"),
    ],
)
def test_a_dossier_the_intake_cannot_take_gets_the_reason_back(world, partner, client, change, status, said):
    _transferred(world, partner)
    payload = OutboxMessage.objects.get(kind=PACKAGE_KIND).payload
    payload["document"] = {**payload["document"], **change}
    response = _inbox(client, _as_partners_package(world, payload))
    assert response.status_code == status, response.content
    answer = decode_status(response.content)
    assert answer.status_code == StatusCode.REFUSED and said in answer.description
    assert not Dossier.objects.filter(origin=Origin.PARTNER).exists()
