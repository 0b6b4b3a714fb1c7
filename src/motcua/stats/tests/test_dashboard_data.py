"""The dashboards' figures, on a small history whose every number is worked out by hand below.

The case takes 3 working days counted from the day of receipt: received on a Monday at 08:00, a dossier is
due on Wednesday at 17:00. A working day has 480 minutes. "Today" is Tuesday 20 October 2026.

| dossier | competent agency | received | due | then | counts for |
|---|---|---|---|---|---|
| D1 | Sở Tư pháp | Mon 03/08, counter | 05/08 | result 04/08 (1 day), very satisfied | Aug: early |
| D2 | Sở Tư pháp | Tue 04/08, online | 06/08 | result 10/08 (4 days), dissatisfied | Aug: late |
| D3 | Sở Tư pháp | Mon 14/09, counter | 16/09 | result 16/09 (2 days), satisfied | Sep: on time |
| D4 | Sở Tư pháp | Wed 30/09, counter | 02/10 | result 01/10 (1 day) | received Sep, early Oct |
| D5 | Sở Tư pháp | Mon 12/10, counter | 14/10 | forwarded to the Sở's first step | overdue |
| D6 | Sở Tư pháp | Mon 19/10, counter | 21/10 | open at the counter | within, due soon |
| D7 | Sở Tư pháp | Fri 16/10, by post | 20/10 | a supplement asked on Mon 19/10 | within, waiting |
| C1 | UBND Phường Ba Đình | Wed 14/10, commune counter | 16/10 | open at the commune's counter | overdue |

Every dossier is received at 08:00, every result issued at 08:00.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.conftest import PDF_BYTES, VALID_FORM, World
from motcua.core.errors import PermissionDenied
from motcua.dossiers.models import Dossier, SubmittedAs
from motcua.dossiers.services.actions import take_action_from_fields
from motcua.dossiers.services.feedback import rate_dossier
from motcua.dossiers.services.files import store_upload
from motcua.dossiers.services.intake import Applicant, AttachedDocument, Intake, create_dossier
from motcua.org.constants import Role
from motcua.org.models import Agency
from motcua.org.services import create_staff
from motcua.stats.dashboards import Flows, leader_dashboard, public_dashboard
from motcua.worktime.calendar import LOCAL_TZ
from motcua.worktime.services import calendar_for

TODAY = dt.date(2026, 10, 20)
NOW = dt.datetime(2026, 10, 20, 10, 0, tzinfo=LOCAL_TZ)
APPLICANT = Applicant(
    kind="person",
    full_name="Nguyễn Thị Mai",
    id_number="001090012345",
    date_of_birth=dt.date(1990, 5, 4),
    phone="0912345678",
    address="1 Phố Huế, Hà Nội",
)
DUE_ON = {
    "D1": "2026-08-05",
    "D2": "2026-08-06",
    "D3": "2026-09-16",
    "D4": "2026-10-02",
    "D5": "2026-10-14",
    "D6": "2026-10-21",
    "D7": "2026-10-20",
    "C1": "2026-10-16",
}


def at(day: str, hour: int = 8) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), LOCAL_TZ)


def user(username: str) -> User:
    return User.objects.get(username=username)


def act(username: str, code: str, action: str, when: dt.datetime, **payload: Any) -> Dossier:
    version = Dossier.objects.values_list("version", flat=True).get(code=code)
    return take_action_from_fields(user(username), code, action, version, payload, now=when)


def receive(world: World, when: dt.datetime, channel: str = "counter", **changes: Any) -> str:
    """A dossier handed in at the counter (or by post, or online and accepted at once) at `when`."""
    officer = changes.pop("officer", "counter")
    if channel == "online":
        scan = store_upload(user("citizen"), SimpleUploadedFile("scan.pdf", PDF_BYTES))
        document = AttachedDocument(world.documents[0].pk, file=scan.pk)
        changes["result_delivery"] = "online"
    else:
        document = AttachedDocument(world.documents[0].pk, submitted_as=SubmittedAs.ORIGINAL)
    intake = Intake(
        procedure=world.procedure.local_code,
        channel=channel,
        case="standard",
        applicant=APPLICANT,
        form=VALID_FORM,
        documents=[document],
        **changes,
    )
    dossier = create_dossier(user("citizen" if channel == "online" else officer), intake, now=when)
    if channel == "online":
        act(officer, dossier.code, "accept", when)
    return dossier.code


def finish(code: str, issued: dt.datetime, rating: str = "") -> None:
    """Forward to the Sở, pass its three steps, issue the result at `issued`; return and rate it after."""
    act("counter", code, "forward", issued - dt.timedelta(minutes=3))
    act("specialist", code, "forward", issued - dt.timedelta(minutes=2))
    act("leader", code, "forward", issued - dt.timedelta(minutes=1))
    act("leader", code, "issue_result", issued)
    if rating:
        returned = issued + dt.timedelta(hours=2)
        act("counter", code, "return_result", returned)
        rate_dossier(user("counter"), code, rating, channel="kiosk", now=returned)


def build_history(world: World) -> dict[str, str]:
    """The history of the table above; returns the dossier codes by name."""
    create_staff("leader_bd", world.commune_committee.identity_code, Role.UNIT_LEADER, password="pw-12345678")
    codes = {
        "D1": receive(world, at("2026-08-03")),
        "D2": receive(world, at("2026-08-04"), channel="online"),
        "D3": receive(world, at("2026-09-14")),
        "D4": receive(world, at("2026-09-30")),
        "D5": receive(world, at("2026-10-12")),
        "D6": receive(world, at("2026-10-19")),
        "D7": receive(world, at("2026-10-16"), channel="post"),
        "C1": receive(
            world,
            at("2026-10-14"),
            officer="counter_commune",
            receiving_unit=world.commune_committee.identity_code,
            competent_authority=world.commune_committee.identity_code,
        ),
    }
    finish(codes["D1"], at("2026-08-04"), "very_satisfied")
    finish(codes["D2"], at("2026-08-10"), "dissatisfied")
    finish(codes["D3"], at("2026-09-16"), "satisfied")
    finish(codes["D4"], at("2026-10-01"))
    act("counter", codes["D5"], "forward", at("2026-10-12", 9))
    act(
        "counter",
        codes["D7"],
        "request_supplement",
        at("2026-10-19"),
        reason="Thiếu bản sao",
        items=[{"description": "Bản sao giấy chứng sinh"}],
    )
    return codes


@pytest.fixture
def history(world: World) -> dict[str, str]:
    return build_history(world)


def every_agency() -> list[int]:
    return list(Agency.objects.values_list("pk", flat=True))


def test_due_dates_are_as_the_table_says(history):
    due = dict(Dossier.objects.values_list("code", "due_at"))
    assert {
        name: due[code].astimezone(LOCAL_TZ).date().isoformat() for name, code in history.items()
    } == DUE_ON


def test_each_month_counts_received_by_channel_resolved_and_ratings(history):
    dashboard = public_dashboard(every_agency(), TODAY)

    months = {m.month: m for m in dashboard.months}
    assert [m.month for m in dashboard.months] == [dt.date(2025, month, 1) for month in (10, 11, 12)] + [
        dt.date(2026, month, 1) for month in range(1, 11)
    ]
    assert [m.complete for m in dashboard.months] == [True] * 12 + [False]
    august = months[dt.date(2026, 8, 1)].flows
    assert august == Flows(
        received_counter=1,
        received_online=1,
        resolved_early=1,
        resolved_late=1,
        rated_very_satisfied=1,
        rated_dissatisfied=1,
    )
    assert (august.on_time_rate, august.online_share, august.satisfied_share) == (50.0, 50.0, 50.0)
    september = months[dt.date(2026, 9, 1)].flows
    # D4 was received in September and resolved in October: it counts in each month for what happened then.
    assert september == Flows(received_counter=2, resolved_on_time=1, rated_satisfied=1)
    assert (september.on_time_rate, september.satisfied_share) == (100.0, 100.0)
    october = months[dt.date(2026, 10, 1)].flows
    assert october == Flows(received_counter=3, received_post=1, resolved_early=1)
    assert (october.on_time_rate, october.satisfied_share) == (100.0, None)
    quiet = [m.flows for m in dashboard.months if m.month.month not in (8, 9, 10) or m.month.year == 2025]
    assert quiet == [Flows()] * 10


def test_headlines_cover_the_year_to_date_the_last_30_days_and_what_is_pending_today(history):
    dashboard = public_dashboard(every_agency(), TODAY)

    year = dashboard.year_to_date
    assert (year.period.first, year.period.last) == (dt.date(2026, 1, 1), TODAY)
    assert year.flows == Flows(
        received_counter=6,
        received_online=1,
        received_post=1,
        resolved_early=2,
        resolved_on_time=1,
        resolved_late=1,
        rated_very_satisfied=1,
        rated_satisfied=1,
        rated_dissatisfied=1,
    )
    # 3 of 4 resolved in time; 1 of 8 online; 2 of 3 ratings satisfied.
    assert (year.flows.on_time_rate, year.flows.online_share, year.flows.satisfied_share) == (
        75.0,
        12.5,
        66.7,
    )
    recent = dashboard.last_30_days
    assert (recent.period.first, recent.period.last) == (dt.date(2026, 9, 21), TODAY)
    # Received from 21/09: D4, D5, D6, C1 at counters and D7 by post; resolved: D4, early.
    assert recent.flows == Flows(received_counter=4, received_post=1, resolved_early=1)
    # Within: D6 (due tomorrow) and D7 (the clock waits for the applicant); overdue: D5 and C1.
    assert (dashboard.pending_within, dashboard.pending_overdue) == (2, 2)


def test_a_year_ending_today_is_still_read_month_by_month(history):
    """On 31 December the trend spans a whole calendar year, which the rollups also keep as one year row."""
    dashboard = public_dashboard(every_agency(), dt.date(2026, 12, 31))

    assert dashboard.months[0].month == dt.date(2025, 12, 1)
    assert all(m.complete for m in dashboard.months[:-1]) and not dashboard.months[-1].complete
    by_month = {m.month: m.flows.received_total for m in dashboard.months}
    assert (by_month[dt.date(2026, 8, 1)], by_month[dt.date(2026, 9, 1)], by_month[dt.date(2026, 10, 1)]) == (
        2,
        2,
        4,
    )
    # D6 fell overdue after its due day, 21/10; D7 still waits for the applicant.
    assert (dashboard.pending_within, dashboard.pending_overdue) == (1, 3)


def test_an_agency_sees_its_own_dossiers_only(history, world):
    dashboard = public_dashboard([world.commune_committee.pk], TODAY)

    assert dashboard.months[-1].flows == Flows(received_counter=1)
    assert all(m.flows == Flows() for m in dashboard.months[:-1])
    assert (dashboard.pending_within, dashboard.pending_overdue) == (0, 1)
    assert dashboard.year_to_date.flows.received_total == 1


def test_the_766_score_is_the_indicator_module_s_for_the_year_to_date(history):
    from motcua.stats.index766 import index766
    from motcua.stats.periods import Period

    score = public_dashboard(every_agency(), TODAY).score_766
    index = index766(every_agency(), Period(dt.date(2026, 1, 1), TODAY), TODAY)

    assert (score.points, score.max_points, score.scaled, score.band) == (
        index.points,
        index.max_points,
        index.scaled,
        index.band,
    )
    assert [g.code for g in score.groups] == [g.code for g in index.groups if g.max_points]


# --- the leader's dashboard ---------------------------------------------------------------------------------


def test_a_department_leader_sees_the_department_s_workload_deadlines_and_slowest_procedures(history, world):
    dashboard = leader_dashboard(user("leader"), None, TODAY, NOW)

    # D5 waits at the Sở's first step; D6, D7 and C1 are at counters outside the Sở.
    assert [(r.unit.code, r.step, r.in_progress, r.waiting) for r in dashboard.workload] == [
        (world.department.identity_code, "Thẩm định", 1, 0)
    ]
    # Due soon: D6, due 21/10, within 3 working days; overdue: D5, due 14/10. D7's clock waits.
    assert [(r.unit.code, r.procedure_code, r.due_soon, r.overdue) for r in dashboard.deadlines] == [
        (world.department.identity_code, world.procedure.local_code, 1, 1)
    ]
    assert (dashboard.due_soon_until, dashboard.due_soon, dashboard.overdue) == (dt.date(2026, 10, 23), 1, 1)
    # D1–D4 took 1, 4, 2 and 1 working days.
    [slow] = dashboard.slowest
    assert (slow.procedure_code, slow.completed, slow.average_days) == (world.procedure.local_code, 4, 2.0)
    assert dashboard.slow_since == dt.date(2026, 7, 23)


def test_a_commune_leader_sees_only_the_commune(history, world):
    dashboard = leader_dashboard(user("leader_bd"), None, TODAY, NOW)

    assert [(r.unit.code, r.in_progress, r.waiting) for r in dashboard.workload] == [
        (world.commune_committee.identity_code, 1, 0)
    ]
    assert [(r.unit.code, r.due_soon, r.overdue) for r in dashboard.deadlines] == [
        (world.commune_committee.identity_code, 0, 1)
    ]
    assert dashboard.slowest == []
    with pytest.raises(PermissionDenied):
        leader_dashboard(user("leader_bd"), [world.department.pk], TODAY, NOW)


def test_the_city_leader_sees_every_unit_and_may_narrow_to_one(history, world):
    dashboard = leader_dashboard(user("city_leader"), None, TODAY, NOW)

    by_unit = {r.unit.code: (r.in_progress, r.waiting) for r in dashboard.workload_by_unit()}
    assert by_unit == {
        world.centre.identity_code: (1, 1),  # D6 at the counter, D7 waiting for the applicant
        world.department.identity_code: (1, 0),
        world.commune_committee.identity_code: (1, 0),
    }
    assert (dashboard.in_progress, dashboard.waiting, dashboard.due_soon, dashboard.overdue) == (3, 1, 1, 2)
    narrowed = leader_dashboard(user("city_leader"), [world.commune_committee.pk], TODAY, NOW)
    assert (narrowed.in_progress, narrowed.overdue, narrowed.due_soon) == (1, 1, 0)


def test_due_soon_is_the_inboxs_horizon_read_by_day(history, settings):
    # Friday 23/10 is the third working day after Tuesday 20/10; from Friday, the weekend is skipped.
    calendar = calendar_for()
    assert calendar.nth_working_day_after(TODAY, 3) == dt.date(2026, 10, 23)
    assert calendar.nth_working_day_after(dt.date(2026, 10, 23), 1) == dt.date(2026, 10, 26)
    assert calendar.working_days_after(dt.date(2026, 10, 23), dt.date(2026, 10, 26)) == 1
    # 24 working hours from Tuesday 10:00 end on Friday 10:00: the inbox's "due soon", three working days.
    dashboard = leader_dashboard(user("leader"), None, TODAY, NOW)
    assert (dashboard.due_soon_until, dashboard.due_soon_days) == (dt.date(2026, 10, 23), 3)
    settings.MOTCUA_DUE_SOON_WORKING_HOURS = 8
    dashboard = leader_dashboard(user("leader"), None, TODAY, NOW)
    assert (dashboard.due_soon_until, dashboard.due_soon_days) == (dt.date(2026, 10, 21), 1)
    settings.MOTCUA_DUE_SOON_WORKING_HOURS = 0
    dashboard = leader_dashboard(user("leader"), None, TODAY, NOW)
    assert (dashboard.due_soon_until, dashboard.due_soon, dashboard.overdue) == (TODAY, 0, 1)
