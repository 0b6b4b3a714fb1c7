"""`motcua exchange reconcile`: exit 0 when the portal agrees, 1 on differences (listed), 2 when it cannot be
asked; the JSON form carries codes, statuses and dates, never the applicant's personal ID number."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from motcua.conftest import CITIZEN_ID
from motcua.delivery.outbox import deliver_due
from motcua.exchange.tests.scenes import counter_intake


def _reconcile(*extra: str) -> tuple[int, str, str]:
    today = timezone.localdate().isoformat()
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("exchange", "reconcile", "--from", today, "--to", today, *extra, stdout=out, stderr=err)
    except CommandError as error:
        return error.returncode, out.getvalue(), str(error)
    return 0, out.getvalue(), err.getvalue()


def test_exit_0_when_the_portal_holds_what_it_should(dvcqg_settings, mapped):
    counter_intake(mapped)
    deliver_due()
    code, out, _ = _reconcile()
    assert code == 0, out
    assert "1 expected on the portal, 1 listed by it, 0 difference(s)" in out


def test_exit_1_lists_each_difference_and_json_has_no_personal_id(dvcqg_settings, mapped):
    code = counter_intake(mapped)
    deliver_due()
    held = dvcqg_settings.dossier(code)["record"]
    assert held["SoGiayToChuHoSo"] == CITIZEN_ID  # the portal holds it; the reconciliation never repeats it
    dvcqg_settings.plant(code, {**held, "TrangThaiHoSo": "4"})

    exit_code, out, message = _reconcile()
    assert exit_code == 1 and message == "1 difference(s)."
    assert f"wrong_status\t{code}\t{code}\tTrangThaiHoSo: ours 2, portal 4" in out

    exit_code, out, _ = _reconcile("--json")
    body = json.loads(out)
    assert exit_code == 1 and CITIZEN_ID not in out
    assert [(d["kind"], d["code"], d["ours"], d["theirs"]) for d in body["differences"]] == [
        ("wrong_status", code, "2", "4")
    ]
    assert (body["expected"], body["on_portal"]) == (1, 1)


def test_exit_2_with_the_reason_when_the_portal_is_down(dvcqg_settings, mapped):
    dvcqg_settings.outage(True)
    exit_code, _, message = _reconcile()
    assert exit_code == 2 and "could not be asked" in message and "503" in message


def test_exit_2_when_sync_is_off(world, settings):
    settings.MOTCUA_DVCQG_URL = ""
    exit_code, _, message = _reconcile()
    assert exit_code == 2 and "MOTCUA_DVCQG_URL" in message


def test_a_malformed_day_is_named(world):
    with pytest.raises(CommandError, match="not a date written YYYY-MM-DD"):
        call_command("exchange", "reconcile", "--from", "08/12/2026", "--to", "2026-12-08")
    with pytest.raises(CommandError, match="--to: The last day comes before the first day") as error:
        call_command("exchange", "reconcile", "--from", "2026-12-08", "--to", "2026-12-01")
    assert error.value.returncode == 2
