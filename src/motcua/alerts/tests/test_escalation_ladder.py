"""A missed deadline climbs the ladder as working time passes: the assignee at once, the unit leader after 8
working hours, the head of agency (the leaders of the agency above) after 24."""

from __future__ import annotations

import pytest

from motcua.alerts.constants import Level, WarningKind
from motcua.alerts.tests.scenes import AlertDesk, overdue_levels, scan, warned

ASSIGNEE = {(Level.ASSIGNEE, "specialist")}
LEADER = {(Level.UNIT_LEADER, "leader")}
HEAD = {(Level.HEAD_OF_AGENCY, "city_leader")}


@pytest.fixture
def desk(world) -> AlertDesk:
    return AlertDesk(world)


def test_each_level_is_warned_when_the_working_time_overdue_passes_its_threshold(desk):
    dossier = desk.at_the_department()  # due Thursday 09:00

    scan("2026-03-05 09:00")
    assert overdue_levels(dossier) == set(), "due, not yet missed"

    scan("2026-03-05 09:01")
    assert overdue_levels(dossier) == ASSIGNEE

    scan("2026-03-06 08:59")  # 7 h 59 of working time over: Thursday's office hours, none yet on Friday
    assert overdue_levels(dossier) == ASSIGNEE

    scan("2026-03-06 09:00")  # 8 working hours
    assert overdue_levels(dossier) == ASSIGNEE | LEADER

    scan("2026-03-10 08:59")  # the weekend does not count: Friday, Monday and Tuesday before 09:00
    assert overdue_levels(dossier) == ASSIGNEE | LEADER

    scan("2026-03-10 09:00")  # 24 working hours
    assert overdue_levels(dossier) == ASSIGNEE | LEADER | HEAD


def test_a_late_scan_warns_every_level_reached_at_once(desk):
    dossier = desk.at_the_department()

    scan("2026-03-12 09:00")

    assert overdue_levels(dossier) == ASSIGNEE | LEADER | HEAD


def test_a_deadline_missed_after_hours_is_overdue_before_any_working_minute_passes(desk):
    # Received at Monday's opening and not handed on: due on Wednesday at 17:00, at the counter.
    dossier = desk.receive_with_email("2026-03-02 08:00")

    scan("2026-03-04 17:30")

    assert overdue_levels(dossier) == {(Level.ASSIGNEE, "counter")}


def test_the_step_deadline_climbs_its_own_ladder(desk):
    dossier = desk.at_the_department()  # the step is due on Tuesday at 14:30

    scan("2026-03-04 14:30")  # Wednesday 14:30: 8 working hours over

    assert warned(dossier, WarningKind.OVERDUE, step=True) == ASSIGNEE | LEADER
    assert overdue_levels(dossier) == set(), "the appointment date itself is Thursday"


def test_the_ladder_follows_the_configured_thresholds(desk, settings):
    settings.MOTCUA_ESCALATION_AFTER_HOURS = "2,4"
    dossier = desk.at_the_department()

    scan("2026-03-05 10:59")
    assert overdue_levels(dossier) == set()

    scan("2026-03-05 14:00")  # 4 working hours over; no third level configured
    assert overdue_levels(dossier) == ASSIGNEE | LEADER
    scan("2026-03-12 14:00")
    assert overdue_levels(dossier) == ASSIGNEE | LEADER
