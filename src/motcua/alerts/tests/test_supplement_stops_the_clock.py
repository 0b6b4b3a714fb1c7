"""A dossier waiting for the applicant's supplement is not late however long it waits; once the supplement is
accepted its deadline is counted again, and the new deadline is warned about afresh."""

from __future__ import annotations

import pytest

from motcua.alerts.constants import Level, WarningKind
from motcua.alerts.models import DeadlineWarning
from motcua.alerts.tests.scenes import DUE, AlertDesk, local, scan, warned


@pytest.fixture
def desk(world) -> AlertDesk:
    return AlertDesk(world)


def test_no_warning_while_the_applicant_is_expected_and_fresh_ones_for_the_recounted_deadline(desk):
    dossier = desk.at_the_department()
    scan("2026-03-04 10:00")  # due soon: Thursday 09:00
    dossier = desk.act(
        "specialist",
        dossier,
        "request_supplement",
        "2026-03-04 11:00",
        reason="Thiếu giấy chứng sinh bản chính",
        items=[{"description": "Giấy chứng sinh"}],
    )

    quiet = scan("2026-03-09 16:00")  # long past Thursday, still waiting for the applicant

    assert quiet.warned == []
    assert warned(dossier, WarningKind.OVERDUE, step=False) == set()

    dossier = desk.act("counter", dossier, "submit_supplement", "2026-03-10 09:00", documents=[])
    dossier = desk.act("specialist", dossier, "accept_supplement", "2026-03-10 10:00")
    dossier.refresh_from_db()
    assert dossier.due_at == local("2026-03-13 10:00"), "counted again from the acceptance"

    scan("2026-03-12 14:00")  # 4 working hours before the new date

    due_soon = DeadlineWarning.objects.filter(dossier=dossier, kind=WarningKind.DUE_SOON, step=None)
    assert sorted(w.due_at for w in due_soon) == [DUE, dossier.due_at]
    assert warned(dossier, WarningKind.OVERDUE, step=False) == set()
    assert warned(dossier, WarningKind.DUE_SOON, step=False) == {(Level.ASSIGNEE, "specialist")}
