"""Reconciliation against the sandbox as a real process: nothing after a clean run, and each kind of
difference when one is planted on the portal or made here; resync puts it right. The dossiers are received
today (local time), the range is today."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from motcua.conftest import act
from motcua.core.errors import Conflict, InvalidInput, NotFound
from motcua.delivery.models import MessageStatus, OutboxMessage
from motcua.delivery.outbox import deliver_due
from motcua.exchange.dvcqg.reconciliation import ReconciliationFailed, reconcile, resync
from motcua.exchange.models import DifferenceKind, NationalSync, ProcedureMapping, ReconciliationRun
from motcua.exchange.tests.scenes import counter_intake

UNKNOWN_NATIONAL_CODE = (
    "9.999999"  # a procedure code the sandbox's portal does not know: it refuses the record
)


def _today():
    return timezone.localdate()


def _kinds(result) -> list[tuple[str, str, str]]:
    return sorted((str(d.kind), d.code, d.field) for d in result.differences)


def test_a_clean_run_finds_nothing_and_is_stored(dvcqg_settings, mapped):
    first, second = counter_intake(mapped), counter_intake(mapped)
    assert act(mapped, "counter", second, "forward").status_code == 200
    assert deliver_due().dead == 0
    assert not OutboxMessage.objects.exclude(status=MessageStatus.DELIVERED).exists()

    result = reconcile(_today(), _today())

    assert result.differences == []
    run = ReconciliationRun.objects.get()
    assert (run.expected_count, run.portal_count, run.difference_count, run.error) == (2, 2, 0, "")
    assert run.finished_at is not None and {first, second} == {d["MaHoSo"] for d in dvcqg_settings.dossiers()}


def test_a_planted_status_and_date_are_reported_field_by_field(dvcqg_settings, mapped):
    code = counter_intake(mapped)
    deliver_due()
    held = dvcqg_settings.dossier(code)["record"]
    dvcqg_settings.plant(code, {**held, "TrangThaiHoSo": "9", "NgayHenTra": "20991231170000"})

    result = reconcile(_today(), _today())

    assert _kinds(result) == [("wrong_date", code, "NgayHenTra"), ("wrong_status", code, "TrangThaiHoSo")]
    status = next(d for d in result.differences if d.kind == DifferenceKind.WRONG_STATUS)
    assert (status.dossier, status.ours, status.theirs) == (code, "2", "9")
    date = next(d for d in result.differences if d.kind == DifferenceKind.WRONG_DATE)
    assert (date.ours, date.theirs) == (held["NgayHenTra"], "20991231170000")


def test_a_record_only_the_portal_holds_is_missing_here(dvcqg_settings, mapped):
    stranger = "G22.99-261208-9999"
    received = timezone.localtime().strftime("%Y%m%d%H%M%S")
    dvcqg_settings.plant(
        stranger, {"MaHoSo": stranger, "MaTTHC": "1.001193", "TrangThaiHoSo": "4", "NgayTiepNhan": received}
    )

    result = reconcile(_today(), _today())

    assert [(d.kind, d.code, d.dossier, d.theirs) for d in result.differences] == [
        (DifferenceKind.MISSING_HERE, stranger, "", "4")
    ]


def test_a_dossier_never_sent_is_missing_on_the_portal(dvcqg_settings, mapped, settings):
    settings.MOTCUA_DVCQG_URL = ""  # received while synchronisation was off: nothing queued
    code = counter_intake(mapped)
    settings.MOTCUA_DVCQG_URL = dvcqg_settings.url

    result = reconcile(_today(), _today())

    assert _kinds(result) == [("missing_on_portal", code, "")]


def test_a_dossier_the_portal_dates_elsewhere_is_looked_up_alone(dvcqg_settings, mapped):
    code = counter_intake(mapped)
    deliver_due()
    assert NationalSync.objects.filter(dossier__code=code).exists()
    held = dvcqg_settings.dossier(code)["record"]
    dvcqg_settings.plant(code, {**held, "NgayTiepNhan": "20200102080000"})
    before = dvcqg_settings.requests()["dvcqg"]["services"].get("TraCuuHoSo", 0)

    result = reconcile(_today(), _today())

    assert [(d.kind, d.field, d.theirs) for d in result.differences] == [
        (DifferenceKind.WRONG_DATE, "NgayTiepNhan", "20200102080000")
    ]
    # One call for the range, one for the dossier it did not list.
    assert dvcqg_settings.requests()["dvcqg"]["services"]["TraCuuHoSo"] == before + 2


def test_dead_and_failing_messages_are_reported_with_the_portals_words(dvcqg_settings, mapped):
    mapping = ProcedureMapping.objects.get()
    mapping.national_code = UNKNOWN_NATIONAL_CODE
    mapping.save()
    refused = counter_intake(mapped)
    assert deliver_due().dead == 1
    mapping.national_code = "1.001193"
    mapping.save()
    dvcqg_settings.outage(True)
    failing = counter_intake(mapped)
    assert deliver_due().failed == 1
    dvcqg_settings.outage(False)

    result = reconcile(_today(), _today())

    assert _kinds(result) == sorted(
        [
            ("missing_on_portal", refused, ""),
            ("outbox_dead", refused, "dvcqg.dossier"),
            ("missing_on_portal", failing, ""),
            ("outbox_failing", failing, "dvcqg.dossier"),
        ]
    )
    dead = next(d for d in result.differences if d.kind == DifferenceKind.OUTBOX_DEAD)
    assert "MaTTHC" in dead.detail
    failing_one = next(d for d in result.differences if d.kind == DifferenceKind.OUTBOX_FAILING)
    assert "503" in failing_one.detail


def test_resync_replaces_a_refused_record_and_the_portal_then_agrees(dvcqg_settings, mapped):
    mapping = ProcedureMapping.objects.get()
    mapping.national_code = UNKNOWN_NATIONAL_CODE
    mapping.save()
    code = counter_intake(mapped)
    assert act(mapped, "counter", code, "forward").status_code == 200
    deliver_due()  # the record is refused; the progress entry waits behind it
    mapping.national_code = "1.001193"
    mapping.save()
    result = reconcile(_today(), _today())
    index = next(i for i, d in enumerate(result.differences) if d.kind == DifferenceKind.OUTBOX_DEAD)

    resync(result.run.pk, index)
    delivered = deliver_due()

    assert (delivered.delivered, delivered.dead) == (3, 0)
    held = dvcqg_settings.dossier(code)
    assert (held["record"]["MaTTHC"], held["record"]["TrangThaiHoSo"], len(held["progress"])) == (
        "1.001193",
        "4",
        1,
    )
    assert reconcile(_today(), _today()).differences == []
    assert ReconciliationRun.objects.get(pk=result.run.pk).differences[index]["resynced_at"]


def test_resync_of_a_record_unknown_here_is_refused(dvcqg_settings, mapped):
    dvcqg_settings.plant(
        "G22.99-261208-0001",
        {
            "MaHoSo": "G22.99-261208-0001",
            "MaTTHC": "1.001193",
            "TrangThaiHoSo": "2",
            "NgayTiepNhan": timezone.localtime().strftime("%Y%m%d%H%M%S"),
        },
    )
    run = reconcile(_today(), _today()).run
    with pytest.raises(Conflict):
        resync(run.pk, 0)
    with pytest.raises(NotFound):
        resync(run.pk, 5)


def test_an_unreachable_portal_fails_the_run_with_the_reason(dvcqg_settings, mapped):
    dvcqg_settings.outage(True)
    with pytest.raises(ReconciliationFailed, match="503") as failure:
        reconcile(_today(), _today())
    run = ReconciliationRun.objects.get()
    assert run == failure.value.run and "503" in run.error and run.finished_at is not None


def test_sync_off_fails_the_run(world, settings):
    settings.MOTCUA_DVCQG_URL = ""
    with pytest.raises(ReconciliationFailed, match="MOTCUA_DVCQG_URL"):
        reconcile(_today(), _today())


def test_a_wrong_range_names_its_field(world):
    with pytest.raises(InvalidInput) as error:
        reconcile(dt.date(2026, 12, 8), dt.date(2026, 12, 1))
    assert [p.field for p in error.value.errors] == ["to"]
    with pytest.raises(InvalidInput) as error:
        reconcile(None, dt.date(2026, 12, 1))
    assert [p.field for p in error.value.errors] == ["from"]
    assert not ReconciliationRun.objects.exists()
