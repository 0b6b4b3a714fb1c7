"""A deadline within the due-soon window is flagged once to whoever does the work, however often scanned."""

from __future__ import annotations

import pytest

from motcua.alerts.constants import Level, WarningKind
from motcua.alerts.models import DeadlineWarning
from motcua.alerts.tests.scenes import DUE, AlertDesk, scan, warned


@pytest.fixture
def desk(world) -> AlertDesk:
    return AlertDesk(world)


def test_the_appointment_date_within_a_working_day_is_flagged_once_to_the_assignee(desk):
    dossier = desk.at_the_department()

    # Wednesday 10:00: 7 working hours before Thursday 09:00, within the default 8.
    first = scan("2026-03-04 10:00")
    second = scan("2026-03-04 10:10")

    assert warned(dossier, WarningKind.DUE_SOON, step=False) == {(Level.ASSIGNEE, "specialist")}
    assert [(line.dossier, line.kind) for line in first.warned if not line.step] == [
        (dossier.code, WarningKind.DUE_SOON)
    ]
    assert second.warned == []
    warning = DeadlineWarning.objects.get(dossier=dossier, kind=WarningKind.DUE_SOON, step=None)
    assert warning.due_at == DUE


def test_a_deadline_further_than_the_window_is_not_flagged(desk):
    dossier = desk.at_the_department()

    # Tuesday 16:00: 10 working hours before Thursday 09:00.
    scan("2026-03-03 16:00")

    assert warned(dossier, WarningKind.DUE_SOON, step=False) == set()


def test_the_window_is_working_time_so_a_monday_deadline_is_flagged_on_friday(desk):
    # Received on Wednesday 09:00 and not handed on yet: due on Monday 9 March at 09:00, at the counter.
    dossier = desk.receive_with_email("2026-03-04 09:00")

    scan("2026-03-06 08:00")  # Friday 08:00: 9 working hours before
    assert warned(dossier, WarningKind.DUE_SOON) == set()

    scan("2026-03-06 10:00")  # Friday 10:00: 7 working hours before, though 71 hours on the clock
    assert warned(dossier, WarningKind.DUE_SOON) == {(Level.ASSIGNEE, "counter")}


def test_an_unassigned_step_is_flagged_to_the_officers_holding_its_role(desk):
    dossier = desk.at_the_department(assigned=False)

    # Tuesday 08:00: the first step, a specialist's, is due at 14:30, 5.5 working hours later.
    scan("2026-03-03 08:00")

    assert warned(dossier, WarningKind.DUE_SOON, step=True) == {
        (Level.ASSIGNEE, "specialist"),
        (Level.ASSIGNEE, "specialist2"),
    }
