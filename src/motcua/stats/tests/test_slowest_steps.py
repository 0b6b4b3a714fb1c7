"""The leader's dashboard lists the slowest workflow steps from the step rollup, kept as steps finish and
rebuilt the same from the history. Office hours 08:00–12:00 and 13:00–17:00; the first step's budget is 12
working hours."""

from __future__ import annotations

import datetime as dt

from motcua.stats.dashboards import leader_dashboard
from motcua.stats.models import StepMonthTally
from motcua.stats.recount import rebuild
from motcua.stats.tests.indicators_walk import user
from motcua.stats.tests.scenario import at, receive, step


def _rows() -> list[tuple]:
    return sorted(
        StepMonthTally.objects.values_list(
            "month", "agency_id", "step", "finished", "late", "working_minutes"
        )
    )


def test_slowest_steps_are_averaged_in_working_hours(world):
    quick, slow = receive(world, at("2026-03-02")), receive(world, at("2026-03-02"))
    for code in (quick, slow):
        step(world, "counter", code, "forward", at("2026-03-02", 10))
    step(world, "specialist", quick, "forward", at("2026-03-02", 14))  # appraisal: 10–12, 13–14 = 3 h
    step(world, "leader", quick, "issue_result", at("2026-03-03", 9))  # approval: 14–17, 8–9 = 4 h
    step(world, "specialist", slow, "forward", at("2026-03-04", 10))  # appraisal: 6 + 8 + 2 = 16 h, late

    steps = leader_dashboard(user("leader"), None, dt.date(2026, 3, 20), at("2026-03-20")).slowest_steps

    assert [(s.step, s.average_hours, s.finished, s.late) for s in steps] == [
        ("Thẩm định", 9.5, 2, 1),
        ("Phê duyệt", 4.0, 1, 0),
    ]
    assert {s.unit.code for s in steps} == {world.department.identity_code}
    kept = _rows()
    rebuild()
    assert _rows() == kept


def test_a_commune_leader_sees_no_department_steps(world):
    code = receive(world, at("2026-03-02"))
    step(world, "counter", code, "forward", at("2026-03-02", 10))
    step(world, "specialist", code, "forward", at("2026-03-02", 14))
    commune = leader_dashboard(user("other_leader"), None, dt.date(2026, 3, 20), at("2026-03-20"))
    assert commune.slowest_steps == []
