"""Each inbox tab lists exactly the dossiers it should for each officer, and never another unit's."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import time_machine

from motcua.catalog.models import Case
from motcua.conftest import BIRTH_FORM
from motcua.dossiers.inbox import InboxQuery, Tab, due_soon_cutoff, inbox_dossiers, tab_counts
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.inbox_fixtures import Desk, local
from motcua.worktime.constants import DurationUnit

NOW = "2025-10-10 10:00"  # a Friday; the standard case takes 3 working days of 8 hours


@dataclass
class Office:
    desk: Desk
    new: Dossier  # received this morning, waiting at the counter to be handed on
    long: Dossier  # received this morning, 10 working days to go
    specialist_step: Dossier  # at the department's appraisal step, nobody assigned
    assigned: Dossier  # at the appraisal step, assigned to specialist2
    approval: Dossier  # at the leader's approval step, due Monday 09:00
    late: Dossier  # at the appraisal step, due yesterday
    supplement: Dossier  # waiting for the applicant's supplement
    payment: Dossier  # waiting for the fee
    ready: Dossier  # result issued, waiting at the counter to be handed over
    commune: Dossier  # received by the commune's counter, appraised at the department


@pytest.fixture
def office(world) -> Office:
    Case.objects.create(
        version=world.version,
        code="long",
        name="Có xác minh",
        time_value=10,
        time_unit=DurationUnit.WORKING_DAYS,
        form_schema=BIRTH_FORM,
    )
    desk = Desk(world)

    def at_appraisal(received: str) -> Dossier:
        dossier = desk.receive(received)
        return desk.act("counter", dossier, "forward", received.replace(":00", ":30", 1))

    new = desk.receive("2025-10-10 08:00")
    long = desk.receive("2025-10-10 08:10", case="long")
    specialist_step = at_appraisal("2025-10-09 09:00")
    assigned = desk.act(
        "leader", at_appraisal("2025-10-09 09:00"), "assign", "2025-10-09 10:00", assignee="specialist2"
    )
    approval = desk.act("specialist", at_appraisal("2025-10-08 09:00"), "forward", "2025-10-08 11:00")
    late = at_appraisal("2025-10-06 09:00")
    supplement = desk.act(
        "specialist",
        at_appraisal("2025-10-08 09:00"),
        "request_supplement",
        "2025-10-08 14:00",
        reason="Thiếu giấy chứng sinh bản chính",
        items=[{"description": "Giấy chứng sinh", "requirement": "bản chính"}],
    )
    payment = desk.act(
        "specialist", at_appraisal("2025-10-09 09:00"), "request_payment", "2025-10-09 14:00", amount=8000
    )
    ready = at_appraisal("2025-10-07 09:00")
    ready = desk.act("specialist", ready, "forward", "2025-10-07 10:00")
    ready = desk.act("leader", ready, "issue_result", "2025-10-07 11:00")
    commune = desk.receive("2025-10-09 08:00", counter="counter_commune")
    commune = desk.act("counter_commune", commune, "forward", "2025-10-09 08:30")
    return Office(
        desk, new, long, specialist_step, assigned, approval, late, supplement, payment, ready, commune
    )


def listed(office: Office, username: str, tab: Tab) -> set[str]:
    with time_machine.travel(local(NOW), tick=False):
        dossiers = inbox_dossiers(office.desk.user(username), InboxQuery(tab=tab), local(NOW))
        return set(dossiers.values_list("code", flat=True))


def codes(*dossiers: Dossier) -> set[str]:
    return {d.code for d in dossiers}


def test_due_soon_counts_24_working_hours_across_the_weekend(db):
    # Friday 10:00 + 24 office hours: 6 on Friday, 8 on Monday, 8 on Tuesday, 2 on Wednesday.
    assert due_soon_cutoff(local("2025-10-10 10:00")) == local("2025-10-15 10:00")
    # Outside office hours (Saturday evening) the count starts at the next opening.
    assert due_soon_cutoff(local("2025-10-11 20:00")) == local("2025-10-15 17:00")


def test_counter_officer_tabs(office):
    o = office
    assert listed(o, "counter", Tab.MINE) == codes(o.new, o.long, o.ready)
    assert listed(o, "counter", Tab.UNIT) == codes(
        o.new, o.long, o.specialist_step, o.assigned, o.approval, o.late, o.supplement, o.payment
    )
    # The approval is due Monday 09:00: 71 clock hours away but 8 working hours.
    assert listed(o, "counter", Tab.DUE_SOON) == codes(
        o.new, o.specialist_step, o.assigned, o.approval, o.payment
    )
    assert listed(o, "counter", Tab.OVERDUE) == codes(o.late)
    assert listed(o, "counter", Tab.SUPPLEMENT) == codes(o.supplement)
    assert listed(o, "counter", Tab.PAYMENT) == codes(o.payment)
    assert listed(o, "counter", Tab.ALL) == codes(
        o.new, o.long, o.specialist_step, o.assigned, o.approval, o.late, o.supplement, o.payment, o.ready
    )


def test_my_work_follows_the_step_role_and_the_assignment(office):
    o = office
    unassigned_appraisals = codes(o.specialist_step, o.late, o.supplement, o.payment, o.commune)
    assert listed(o, "specialist", Tab.MINE) == unassigned_appraisals
    assert listed(o, "specialist2", Tab.MINE) == unassigned_appraisals | codes(o.assigned)
    assert listed(o, "leader", Tab.MINE) == codes(o.approval)
    assert listed(o, "clerk", Tab.MINE) == set()
    assert listed(o, "counter_commune", Tab.MINE) == set()


def test_a_step_assigned_to_someone_else_leaves_my_work(office):
    o = office
    o.desk.act("leader", o.specialist_step, "assign", "2025-10-10 09:00", assignee="specialist2")
    assert o.specialist_step.code not in listed(o, "specialist", Tab.MINE)
    assert o.specialist_step.code in listed(o, "specialist2", Tab.MINE)


@pytest.mark.parametrize("tab", list(Tab))
def test_no_tab_shows_another_units_dossiers(office, tab):
    o = office
    assert listed(o, "other_leader", tab) == set()
    assert listed(o, "other_specialist", tab) == set()
    assert listed(o, "counter_commune", tab) <= codes(o.commune)
    assert o.commune.code not in listed(o, "counter", tab)


def test_tab_counts_match_the_tabs_and_stop_at_the_cap(office):
    o = office
    user = o.desk.user("counter")
    with time_machine.travel(local(NOW), tick=False):
        counts = {c.tab: (c.count, c.capped) for c in tab_counts(user, local(NOW))}
        capped = {c.tab: (c.count, c.capped) for c in tab_counts(user, local(NOW), cap=4)}
    assert counts == {tab: (len(listed(o, "counter", tab)), False) for tab in Tab}
    assert capped[Tab.ALL] == (4, True) and capped[Tab.OVERDUE] == (1, False)
