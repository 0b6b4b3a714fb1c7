"""After `motcua simulate`, `motcua stats verify` finds the rollups equal to the dossiers, and `motcua stats
rebuild` from the events gives the same rollups back."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from motcua.stats.models import UnitFieldTally


def _verify(capsys, **period) -> str:
    call_command("stats", "verify", **period)
    return capsys.readouterr().out


def _stock_rows() -> list[tuple]:
    return sorted(UnitFieldTally.objects.exclude(open_delta=0).values_list("grain", "period", "open_delta"))


def test_simulated_history_verifies_and_rebuilds(db, capsys):
    call_command("loaddemo", verbosity=0)
    call_command("simulate", days=20, per_day=6, seed=5, verbosity=0)
    capsys.readouterr()
    today = timezone.localdate()
    first = today.replace(day=1) if today.day > 1 else today
    assert "agree" in _verify(capsys, first=(today - timezone.timedelta(days=40)).isoformat())
    assert "agree" in _verify(capsys, first=first.isoformat(), last=today.isoformat(), unit="000.A1.01.H26")
    rows = _stock_rows()
    call_command("stats", "rebuild")
    assert "Rebuilt the rollups from the events of" in capsys.readouterr().out
    assert _stock_rows() == rows


def test_verify_reports_a_tampered_rollup(db, capsys):
    call_command("loaddemo", verbosity=0)
    call_command("simulate", days=8, per_day=4, seed=2, verbosity=0)
    row = UnitFieldTally.objects.filter(grain="d", received_counter__gt=0).order_by("-period").first()
    UnitFieldTally.objects.filter(pk=row.pk).update(received_counter=row.received_counter + 1)
    with pytest.raises(CommandError, match="differences"):
        call_command("stats", "verify", first=row.period.isoformat(), last=row.period.isoformat())
    assert "received_counter" in capsys.readouterr().out


def test_verify_names_a_bad_date(db):
    with pytest.raises(CommandError, match="--from/--to"):
        call_command("stats", "verify", first="2026-02-30")
