"""The tracking book, the control slip, the inbox and Biểu 06 classify the same dossiers the same way across a
day boundary: late is decided by the due day, once (dossiers.punctuality, ADR 0009)."""

from __future__ import annotations

import datetime as dt

import time_machine

from motcua.dossiers.inbox import InboxQuery, Tab, inbox_dossiers, inbox_page
from motcua.printing.services import printed_dossier_form
from motcua.printing.tests.conftest import BASE_URL, act, at, receive, user
from motcua.printing.tracking_book import tracking_book
from motcua.stats.periods import Period
from motcua.stats.report import Counts, handling_report
from motcua.stats.scan import scanned_report

RECEIVED = "2026-03-02 16:30"  # Monday: three working days later is Thursday 16:30
DUE_DAY_EVENING = "2026-03-05 17:15"  # Thursday, 45 minutes past the due moment
NEXT_MORNING = "2026-03-06 08:30"  # Friday


def _through_to_result(code: str, issued: str) -> None:
    act("counter", code, "forward", at(RECEIVED))
    act("specialist", code, "forward", at("2026-03-03 09:00"))
    act("leader", code, "forward", at("2026-03-04 09:00"))
    act("leader", code, "issue_result", at(issued))


def _book_notes(unit_code: str, day: str) -> dict[str, str]:
    with time_machine.travel(at(day), tick=False):
        book = tracking_book(user("counter"), unit_code, dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    return {row.code: row.note for row in book.rows}


def _slip_results(code: str, day: str) -> list[str]:
    page = printed_dossier_form(user("leader"), code, "control-slip", base_url=BASE_URL, now=at(day))
    return [row.result for row in page.context["hand_offs"]]


def _inbox(day: str) -> tuple[set[str], dict[str, bool]]:
    """The overdue tab's dossiers, and each listed dossier's overdue flag."""
    leader = user("leader")
    overdue_tab = {d.code for d in inbox_dossiers(leader, InboxQuery(tab=Tab.OVERDUE), at(day))}
    page = inbox_page(leader, InboxQuery(tab=Tab.UNIT, page_size=100), at(day), "vi")
    return overdue_tab, {row.dossier.code: row.timing.overdue for row in page.rows}


def _report(last_day: str, agency: int) -> tuple[Counts, Counts]:
    """Biểu 06 for the month to `last_day`, from the rollups and from the dossier table."""
    period = Period(dt.date(2026, 3, 1), dt.date.fromisoformat(last_day))
    return handling_report([agency], period).total, scanned_report([agency], period).total


def test_a_day_boundary_is_judged_alike_by_every_reading(office):
    evening = receive(office, at(RECEIVED))  # finished on its due day, after the due moment
    morning = receive(office, at(RECEIVED))  # finished the next morning
    still_open = receive(office, at(RECEIVED))  # open, looked at on its due evening and the next morning
    assert evening.due_at == morning.due_at == still_open.due_at == at("2026-03-05 16:30")
    _through_to_result(evening.code, DUE_DAY_EVENING)
    _through_to_result(morning.code, NEXT_MORNING)
    # The open dossier's step is due on the same day as the dossier: Thursday 13:30 (12 working hours).
    act("counter", still_open.code, "forward", at("2026-03-04 08:30"))
    agency = office.department.pk

    # On the due day, after the due moment: the one finished is on time, the open one is within its deadline.
    notes = _book_notes(office.centre.identity_code, DUE_DAY_EVENING)
    assert (notes[evening.code], notes[still_open.code]) == ("Đúng hạn", "")
    assert _slip_results(evening.code, DUE_DAY_EVENING)[-1] == "Đúng hạn"
    assert _slip_results(still_open.code, DUE_DAY_EVENING) == [""]
    overdue_tab, flags = _inbox(DUE_DAY_EVENING)
    assert still_open.code not in overdue_tab and flags[still_open.code] is False
    for counts in _report("2026-03-05", agency):
        assert (counts.resolved_on_time, counts.resolved_late) == (1, 0)
        assert (counts.pending_within, counts.pending_overdue) == (2, 0)

    # The next morning: the one finished now is late, and the open one is over its deadline.
    notes = _book_notes(office.centre.identity_code, NEXT_MORNING)
    assert (notes[evening.code], notes[morning.code], notes[still_open.code]) == (
        "Đúng hạn",
        "Quá hạn",
        "Quá hạn",
    )
    assert _slip_results(evening.code, NEXT_MORNING)[-1] == "Đúng hạn"
    assert _slip_results(morning.code, NEXT_MORNING)[-1] == "Quá hạn"
    assert _slip_results(still_open.code, NEXT_MORNING) == ["Quá hạn"]
    overdue_tab, flags = _inbox(NEXT_MORNING)
    assert still_open.code in overdue_tab and flags[still_open.code] is True
    for counts in _report("2026-03-06", agency):
        assert (counts.resolved_on_time, counts.resolved_late) == (1, 1)
        assert (counts.pending_within, counts.pending_overdue) == (0, 1)
