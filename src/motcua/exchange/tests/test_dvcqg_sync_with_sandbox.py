"""Dossiers and their changes reach the national portal, played by `motcua sandbox` as a real process: one
worker cycle delivers them, in order, once each, whether the portal was down meanwhile or its session expired;
a record the portal refuses is a dead letter with the portal's reason."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from motcua.conftest import act
from motcua.delivery.models import MessageStatus, OutboxMessage
from motcua.delivery.outbox import deliver_due
from motcua.exchange.dvcqg.outbound import DOSSIER_KIND, PROGRESS_KIND
from motcua.exchange.models import NationalSync, ProcedureMapping
from motcua.exchange.tests.scenes import counter_intake

# The portal's 503 made the first try fail: the next cycle looks past its wait (the backoff).
AFTER_THE_BACKOFF = dt.timedelta(hours=1)


@pytest.fixture
def mapped(mapped, dvcqg_settings):
    return mapped


def _act(world, username: str, code: str, action: str, **fields) -> None:
    response = act(world, username, code, action, **fields)
    assert response.status_code == 200, response.content


def test_a_counter_intake_is_on_the_portal_received_with_its_appointment(mapped, dvcqg_settings):
    code = counter_intake(mapped)
    run = deliver_due()
    assert (run.delivered, run.failed, run.dead) == (1, 0, 0)
    held = dvcqg_settings.dossier(code)
    assert held is not None
    assert held["record"]["TrangThaiHoSo"] == "2"
    assert held["record"]["NgayHenTra"] != ""
    assert held["progress"] == []
    sync = NationalSync.objects.get(dossier__code=code)
    assert (sync.national_code, sync.synced_status) == (code, "2")
    assert sync.first_synced_at == sync.last_synced_at


def test_each_later_action_adds_a_progress_entry(mapped, dvcqg_settings):
    code = counter_intake(mapped)
    _act(mapped, "counter", code, "forward", note="Đủ giấy tờ")
    _act(mapped, "specialist", code, "request_supplement", reason="Thiếu", items=[{"description": "Bản gốc"}])
    assert deliver_due().delivered == 5
    held = dvcqg_settings.dossier(code)
    assert [entry["TrangThai"] for entry in held["progress"]] == ["4", "5"]
    assert held["record"]["TrangThaiHoSo"] == "5"
    assert held["record"]["DanhSachHoSoBoSung"][0]["NoiDungBoSung"] == "Thiếu; Bản gốc"
    sync = NationalSync.objects.get(dossier__code=code)
    assert sync.synced_status == "5"
    assert sync.last_synced_at > sync.first_synced_at


def test_an_online_submission_is_new_until_it_is_received(mapped, dvcqg_settings):
    code = counter_intake(mapped, "citizen", channel="online", result_delivery="online")
    deliver_due()
    assert dvcqg_settings.dossier(code)["record"]["TrangThaiHoSo"] == "1"
    assert dvcqg_settings.dossier(code)["record"]["NgayTiepNhan"] == ""
    _act(mapped, "counter", code, "accept")
    deliver_due()
    held = dvcqg_settings.dossier(code)
    assert held["record"]["TrangThaiHoSo"] == "2"
    assert [entry["TrangThai"] for entry in held["progress"]] == ["2"]


def test_while_the_portal_is_down_work_goes_on_and_everything_arrives_once_in_order(mapped, dvcqg_settings):
    dvcqg_settings.outage(True)
    code = counter_intake(mapped)
    _act(mapped, "counter", code, "forward")
    _act(mapped, "specialist", code, "request_supplement", reason="Thiếu", items=[{"description": "Bản gốc"}])
    run = deliver_due()
    # The first message failed; those behind it under the dossier's key waited without a try.
    assert (run.delivered, run.failed) == (0, 1)
    assert OutboxMessage.objects.filter(status=MessageStatus.PENDING).count() == 5
    assert dvcqg_settings.dossier(code) is None

    dvcqg_settings.outage(False)
    run = deliver_due(now=timezone.now() + AFTER_THE_BACKOFF)
    assert (run.delivered, run.failed, run.dead) == (5, 0, 0)
    held = dvcqg_settings.dossier(code)
    assert held["record"]["TrangThaiHoSo"] == "5"
    assert [entry["TrangThai"] for entry in held["progress"]] == ["4", "5"]
    seen = dvcqg_settings.requests()["dvcqg"]["idempotency_keys"]
    keys = [
        str(key) for key in OutboxMessage.objects.order_by("id").values_list("idempotency_key", flat=True)
    ]
    assert {key: seen.get(key) for key in keys} == dict.fromkeys(keys, 1)
    assert deliver_due().delivered == 0  # nothing is left to send again


def test_an_expired_session_is_renewed_without_a_failure(mapped, dvcqg_settings):
    code = counter_intake(mapped)
    deliver_due()
    dvcqg_settings.expire_sessions()
    _act(mapped, "counter", code, "forward")
    run = deliver_due()
    assert (run.delivered, run.failed, run.dead) == (2, 0, 0)
    assert len(dvcqg_settings.dossier(code)["progress"]) == 1


def test_a_record_the_portal_refuses_is_dead_with_its_reason_and_holds_back_the_rest(world, dvcqg_settings):
    ProcedureMapping.objects.create(procedure=world.procedure, national_code="9.999999")
    code = counter_intake(world)
    _act(world, "counter", code, "forward")
    run = deliver_due()
    assert (run.delivered, run.dead) == (0, 1)
    dead = OutboxMessage.objects.get(kind=DOSSIER_KIND, status=MessageStatus.DEAD)
    assert dead.last_error.startswith("DVCQG error -1: ")
    assert "data[0].MaTTHC: thủ tục 9.999999 không có trên Cổng" in dead.last_error
    assert dead.attempts == 1
    # Behind it, the dossier's later messages wait: the portal must not hear of a step before the dossier.
    assert set(OutboxMessage.objects.filter(status=MessageStatus.PENDING).values_list("kind", flat=True)) == {
        DOSSIER_KIND,
        PROGRESS_KIND,
    }
    assert dvcqg_settings.dossier(code) is None
    assert not NationalSync.objects.exists()
