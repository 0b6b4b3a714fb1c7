"""The inbox's remaining time is the dossier page's, without the working time used that lists do not show."""

from __future__ import annotations

import time_machine

from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.inbox_fixtures import Desk, local
from motcua.dossiers.timing import dossier_timing, remaining_timing, step_remaining_timing, step_timing


def test_remaining_time_of_open_and_finished_dossiers_and_their_steps(world):
    desk = Desk(world)
    late = desk.act("counter", desk.receive("2025-10-06 09:00"), "forward", "2025-10-06 09:30")
    waiting = desk.act("counter", desk.receive("2025-10-08 09:00"), "forward", "2025-10-08 09:30")
    waiting = desk.act(
        "specialist",
        waiting,
        "request_supplement",
        "2025-10-08 10:00",
        reason="Thiếu giấy chứng sinh",
        items=[{"description": "Giấy chứng sinh", "requirement": "bản chính"}],
    )
    done = desk.act("counter", desk.receive("2025-10-07 09:00"), "forward", "2025-10-07 09:30")
    done = desk.act("leader", done, "issue_result", "2025-10-08 15:00")

    now = local("2025-10-10 10:00")
    with time_machine.travel(now, tick=False):
        for dossier in (late, waiting, done):
            dossier = Dossier.objects.select_related("current_step").get(pk=dossier.pk)
            full, short = dossier_timing(dossier, now, "vi"), remaining_timing(dossier, now, "vi")
            assert (short.remaining, short.overdue, short.punctuality) == (
                full.remaining,
                full.overdue,
                full.punctuality,
            )
            step = dossier.current_step
            full_step, short_step = step_timing(step, now, "en"), step_remaining_timing(step, now, "en")
            assert (short_step.remaining, short_step.overdue) == (full_step.remaining, full_step.overdue)

        late = Dossier.objects.get(pk=late.pk)
        assert remaining_timing(late, now, "vi").remaining == "quá hạn 1 ngày 1 giờ"
        assert remaining_timing(late, now, "vi").elapsed is None  # not counted for a list
        # Waiting for the applicant: past its date, yet not overdue (DOMAIN.md §4.4).
        assert remaining_timing(Dossier.objects.get(pk=waiting.pk), now, "vi").overdue is False
        assert remaining_timing(Dossier.objects.get(pk=done.pk), now, "vi").punctuality == "early"
