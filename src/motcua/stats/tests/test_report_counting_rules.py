"""Biểu 06 on hand-built dossiers whose every cell is known: each row of DOMAIN.md §4.4 and each rule of §10.

The case is 3 working days: a dossier received on Monday 2 March 2026 at 09:00 is due on Thursday 5 March.
"""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.stats.periods import Period
from motcua.stats.recount import verify
from motcua.stats.report import Counts, handling_report
from motcua.stats.scan import scanned_report
from motcua.stats.tests.scenario import at, dossier, receive, step


@pytest.fixture
def march(world):
    """The dossiers of the scenario, by letter (see the module's test for what each one is)."""
    codes = {}
    monday = at("2026-03-02")
    for letter in "ABCDEFG":
        codes[letter] = receive(world, monday)
        step(world, "counter", codes[letter], "forward", at("2026-03-02", 10))
    assert dossier(codes["A"]).due_at == at("2026-03-05")
    step(world, "leader", codes["A"], "issue_result", at("2026-03-04", 10))  # early
    step(world, "leader", codes["B"], "issue_result", at("2026-03-05", 15))  # on the due day, after the hour
    step(world, "leader", codes["C"], "issue_result", at("2026-03-06", 10))  # late
    step(world, "counter", codes["D"], "withdraw", at("2026-03-09", 10))  # withdrawn after the due day
    step(world, "leader", codes["E"], "stop", at("2026-03-10", 10), reason="Không đủ điều kiện")  # late
    # F stays in process past its due day.
    step(
        world,
        "specialist",
        codes["G"],
        "request_supplement",
        at("2026-03-03", 10),
        reason="Thiếu giấy tờ",
        items=[{"description": "Bản sao giấy chứng sinh"}],
    )
    codes["H"] = receive(world, at("2026-03-30"))  # due on 2 April
    codes["I"] = receive(world, at("2026-02-27"))  # carried over: due 4 March
    step(world, "counter", codes["I"], "forward", at("2026-02-27", 10))
    step(world, "leader", codes["I"], "issue_result", at("2026-03-03", 10))
    codes["J"] = receive(world, at("2026-02-20"))  # resolved before March
    step(world, "counter", codes["J"], "forward", at("2026-02-20", 10))
    step(world, "leader", codes["J"], "issue_result", at("2026-02-26", 10))
    codes["K"] = receive(world, at("2026-03-02"), channel="online")  # submitted, never received: excluded
    codes["L"] = receive(world, at("2026-03-02"), channel="online")  # refused at receipt: excluded
    step(world, "counter", codes["L"], "refuse", at("2026-03-02", 11), reason="Sai thẩm quyền")
    codes["M"] = receive(world, at("2026-04-02"))  # after the period
    return codes


def report(world, first: str, last: str) -> Counts:
    period = Period(dt.date.fromisoformat(first), dt.date.fromisoformat(last))
    result = handling_report([world.department.pk], period)
    assert list(result.rows) == [world.version.field_id]
    assert result.rows[world.version.field_id] == result.total
    assert result.total.balanced, "carried over + received = resolved + pending"
    scanned = scanned_report([world.department.pk], period)
    assert scanned.total == result.total, "the rollups and a plain GROUP BY of the dossiers agree"
    assert verify(period, [world.department.pk]) == []
    return result.total


def test_the_month_of_march(world, march):
    total = report(world, "2026-03-01", "2026-03-31")
    assert total.carried_over == 1  # I: received in February, resolved in March
    assert (total.received_online, total.received_direct) == (0, 8)  # A–H; K, L (statuses 1, 3) excluded
    # Early: A and I. On time: B (the due day, whatever the hour) and D (withdrawn counts as on time).
    # Late: C, and E (a stop is resolved, judged by its date).
    assert (total.resolved_early, total.resolved_on_time, total.resolved_late) == (2, 2, 2)
    # Pending on 31 March: F over its deadline; G waiting for a supplement (within, though past its due day);
    # H received on 30 March, due in April.
    assert (total.pending_within, total.pending_overdue) == (2, 1)
    assert total.on_time_rate == 66.7


def test_a_period_ending_before_any_due_day(world, march):
    total = report(world, "2026-03-01", "2026-03-04")
    assert total.carried_over == 1
    assert total.received_total == 7  # A–G on 2 March
    assert (total.resolved_early, total.resolved_on_time, total.resolved_late) == (2, 0, 0)  # A, I
    assert (total.pending_within, total.pending_overdue) == (6, 0)  # due on the 5th ≥ the 4th


def test_one_day_after_the_due_day(world, march):
    total = report(world, "2026-03-06", "2026-03-06")
    assert total.carried_over == 5  # C, D, E, F, G were open at the end of the 5th
    assert total.received_total == 0
    assert (total.resolved_early, total.resolved_on_time, total.resolved_late) == (0, 0, 1)  # C
    # D, E, F are over their deadline on the 6th; G is waiting for the applicant.
    assert (total.pending_within, total.pending_overdue) == (1, 3)


def test_other_agencies_see_none_of_it(world, march):
    period = Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert handling_report([world.commune_committee.pk], period).rows == {}
