"""What the partner answers decides the fate of our package: a real HTTP server stands in for its inbox.
A 5xx or no answer is tried again later; a 4xx refusal is dead at once, its status message quoted and recorded
on the dossier, which comes back to the step that sent it; a 2xx delivers it with our credential and key."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine

from motcua.conftest import act, post_json
from motcua.core.tests.liveserver import free_port
from motcua.delivery.models import MessageStatus, OutboxMessage
from motcua.delivery.outbox import deliver_due
from motcua.dossiers.models import Dossier
from motcua.exchange.edxml.codec import Organisation, ResponseFor, StatusCode, StatusMessage, encode_status
from motcua.exchange.partners import add_partner

MONDAY_9 = "2026-03-02T09:00:00+07:00"
OUR_CREDENTIAL = "we-present-this-to-the-partner-0002"


class Inbox:
    """The partner's inbox: answers every POST with `status` and `body`, and keeps what it was sent."""

    def __init__(self) -> None:
        self.status = 200
        self.body = b""
        self.received: list[tuple[dict[str, str], bytes]] = []


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    state = Inbox()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            data = self.rfile.read(int(self.headers["Content-Length"]))
            state.received.append((dict(self.headers), data))
            self.send_response(state.status)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(state.body)))
            self.end_headers()
            self.wfile.write(state.body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state, server.server_address[1]
    server.shutdown()
    server.server_close()


def _transferred(world, port: int) -> str:
    partner = add_partner(
        world.other_commune.identity_code,
        inbox_url=f"http://127.0.0.1:{port}/api/v1/edxml/inbox",
        outbound_credential=OUR_CREDENTIAL,
        inbound_credential="partner-presents-this-credential-0002",
    ).partner
    response = post_json(world.client("counter"), "/api/v1/dossiers", world.intake_body("counter"))
    code = str(response.json()["code"])
    act(world, "counter", code, "forward")
    assert act(world, "leader", code, "transfer", to_unit=partner.identity_code).status_code == 200
    return code


def _status(code: str, status: StatusCode, description: str) -> bytes:
    return encode_status(
        StatusMessage(
            response_for=ResponseFor(organ_id="000.00.21.H26", code=code, document_id=code),
            from_=Organisation(organ_id="000.A1.02.H26", organ_name="UBND Phường Ngọc Hà"),
            status_code=str(status),
            timestamp=dt.datetime(2026, 3, 2, 9, 30),
            description=description,
        )
    )


@time_machine.travel(MONDAY_9, tick=False)
def test_a_2xx_answer_delivers_the_package_with_our_credential_and_key(world, inbox):
    state, port = inbox
    code = _transferred(world, port)
    state.body = _status(
        code, StatusCode.RECEIVED, "Đã tiếp nhận, vào sổ với mã hồ sơ 000.A1.02.H26-260302-0001"
    )
    assert deliver_due().delivered == 1
    message = OutboxMessage.objects.get()
    headers, body = state.received[0]
    assert headers["Authorization"] == f"Bearer {OUR_CREDENTIAL}"
    assert headers["Idempotency-Key"] == str(message.idempotency_key)
    assert headers["Content-Type"] == "application/xml"
    assert body.startswith(b"<?xml") and code.encode() in body
    assert message.answer is not None and message.answer["status_code"] == "03"
    assert "000.A1.02.H26-260302-0001" in message.answer["description"]
    assert Dossier.objects.get(code=code).events.filter(action="partner_status").count() == 1


@time_machine.travel(MONDAY_9, tick=False)
def test_a_5xx_answer_or_none_is_tried_again_later(world, inbox):
    state, port = inbox
    code = _transferred(world, port)
    state.status = 503
    assert deliver_due().failed == 1
    message = OutboxMessage.objects.get()
    assert message.status == MessageStatus.PENDING and message.attempts == 1
    assert "HTTP 503" in message.last_error
    assert OUR_CREDENTIAL not in message.last_error
    # Nobody listens on the partner's address any more.
    partner = world.other_commune.partner
    partner.inbox_url = f"http://127.0.0.1:{free_port()}/api/v1/edxml/inbox"
    partner.save()
    assert deliver_due(now=message.next_attempt_at + dt.timedelta(seconds=1)).failed == 1
    message.refresh_from_db()
    assert "ConnectError" in message.last_error
    assert Dossier.objects.get(code=code).current_unit_id == world.other_commune.pk


@time_machine.travel(MONDAY_9, tick=False)
def test_a_refusal_is_dead_at_once_recorded_and_hands_the_dossier_back(world, inbox):
    state, port = inbox
    code = _transferred(world, port)
    state.status = 422
    state.body = _status(
        code, StatusCode.REFUSED, "Thủ tục tại đây không yêu cầu giấy tờ nào tên là “Giấy chứng sinh”."
    )
    assert deliver_due().dead == 1
    message = OutboxMessage.objects.get()
    assert message.status == MessageStatus.DEAD
    assert "(HTTP 422): 02 Thủ tục tại đây" in message.last_error
    dossier = Dossier.objects.get(code=code)
    refusal = dossier.events.get(action="partner_status")
    assert refusal.data["status_code"] == "02"
    assert dossier.current_unit_id == world.department.pk
