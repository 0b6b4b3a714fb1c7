"""Every entry of a dossier's history writes its messages for the national portal in the same transaction:
the record (and, after the first entry, the progress entry), under the dossier's ordering key; nothing while
synchronisation is off or the procedure is not mapped."""

from __future__ import annotations

import logging
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from motcua.conftest import act
from motcua.delivery.models import OutboxMessage
from motcua.exchange.dvcqg.outbound import DESTINATION, DOSSIER_KIND, PROGRESS_KIND
from motcua.exchange.mappings import UnmappedProcedure, unmapped_procedures
from motcua.exchange.models import ProcedureMapping
from motcua.exchange.tests.scenes import counter_intake


@pytest.fixture
def sync_on(settings):
    settings.MOTCUA_DVCQG_URL = "http://127.0.0.1:9/"  # never called: these tests deliver nothing
    settings.MOTCUA_DVCQG_USER = "motcua"
    settings.MOTCUA_DVCQG_PASSWORD = "secret"
    settings.MOTCUA_DVCQG_DSTCODE = "000.00.00.H26"
    return settings


def test_an_intake_queues_its_record_and_each_action_a_record_then_its_progress(sync_on, mapped):
    code = counter_intake(mapped)
    [created] = OutboxMessage.objects.all()
    assert (created.destination, created.kind, created.ordering_key) == (
        DESTINATION,
        DOSSIER_KIND,
        f"dossier:{code}",
    )
    assert created.payload["dossier"] == code
    assert created.payload["fields"]["isUpdating"] == "false"
    assert created.payload["fields"]["data"][0]["TrangThaiHoSo"] == "2"

    assert act(mapped, "counter", code, "forward").status_code == 200
    record, progress = OutboxMessage.objects.filter(pk__gt=created.pk).order_by("id")
    assert (record.kind, progress.kind) == (DOSSIER_KIND, PROGRESS_KIND)
    assert record.ordering_key == progress.ordering_key == f"dossier:{code}"
    assert record.payload["fields"]["isUpdating"] == "true"
    assert record.payload["fields"]["data"][0]["TrangThaiHoSo"] == "4"
    assert progress.payload["fields"]["data"][0]["TrangThai"] == "4"


def test_nothing_is_queued_while_sync_is_off(settings, mapped):
    settings.MOTCUA_DVCQG_URL = ""
    code = counter_intake(mapped)
    assert act(mapped, "counter", code, "forward").status_code == 200
    assert not OutboxMessage.objects.exists()


def test_nothing_is_queued_for_an_unmapped_procedure_which_is_listed(sync_on, world, caplog):
    caplog.set_level(logging.INFO, logger="motcua.exchange.dvcqg.outbound")
    code = counter_intake(world)
    assert not OutboxMessage.objects.exists()
    assert f"Dossier {code} is not synchronised" in caplog.text
    assert unmapped_procedures() == [UnmappedProcedure(world.procedure.local_code, "1.001193", 1)]
    out = StringIO()
    call_command("exchange", "unmapped", stdout=out)
    assert out.getvalue().splitlines() == [
        f"{world.procedure.local_code}\t1.001193\t1 dossier(s)",
        "1 procedure(s) without a national code.",
    ]


def test_a_change_rolled_back_queues_nothing(sync_on, mapped):
    with pytest.raises(RuntimeError), transaction.atomic():
        counter_intake(mapped)
        assert OutboxMessage.objects.count() == 1
        raise RuntimeError("the change is undone")
    assert not OutboxMessage.objects.exists()


def test_an_action_refused_by_the_lifecycle_queues_nothing(sync_on, mapped):
    code = counter_intake(mapped)
    assert act(mapped, "counter", code, "return_result").status_code == 409
    assert OutboxMessage.objects.count() == 1


def test_the_first_record_sent_is_not_an_update_even_after_the_creation(sync_on, world):
    code = counter_intake(world)
    ProcedureMapping.objects.create(procedure=world.procedure, national_code="1.001193")
    assert act(world, "counter", code, "forward").status_code == 200
    assert act(world, "leader", code, "assign", assignee="specialist").status_code == 200
    updating = [
        m.payload["fields"]["isUpdating"]
        for m in OutboxMessage.objects.filter(kind=DOSSIER_KIND).order_by("id")
    ]
    assert updating == ["false", "true"]
