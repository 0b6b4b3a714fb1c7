import time_machine

from motcua.conftest import act, post_json


def test_remaining_elapsed_overdue_and_punctuality(world):
    with time_machine.travel("2026-03-02T09:00:00+07:00", tick=False):  # Monday; due Thursday 09:00
        code = post_json(world.client("counter"), "/api/v1/dossiers", world.intake_body("counter")).json()[
            "code"
        ]
        act(world, "counter", code, "forward")
    with time_machine.travel("2026-03-03T11:00:00+07:00", tick=False):
        dossier = (
            world.client("leader").get(f"/api/v1/dossiers/{code}", headers={"Accept-Language": "en"}).json()
        )
        assert dossier["elapsed"] == "1 day 2 hours"
        assert dossier["remaining"] == "1 day 6 hours left"
        assert dossier["overdue"] is False and dossier["punctuality"] is None
        step = dossier["current_step"]  # 12 working hours from Monday 09:00: Tuesday 14:00
        assert (step["elapsed"], step["remaining"], step["overdue"]) == (
            "1 day 2 hours",
            "2 hours left",
            False,
        )
        vietnamese = world.client("leader").get(f"/api/v1/dossiers/{code}").json()
        assert vietnamese["remaining"] == "còn 1 ngày 6 giờ"
    with time_machine.travel("2026-03-05T15:00:00+07:00", tick=False):
        dossier = (
            world.client("leader").get(f"/api/v1/dossiers/{code}", headers={"Accept-Language": "en"}).json()
        )
        # Hours past its due moment, on its due day: still within the deadline (ADR 0009); its step, due on
        # Tuesday, is over.
        assert dossier["overdue"] is False and dossier["remaining"] == "due today"
        assert dossier["current_step"]["overdue"] is True
        dossier = act(world, "leader", code, "issue_result").json()
    # Finished on the due date itself: on time at day granularity, though hours past the due time.
    assert dossier["punctuality"] == "on_time" and dossier["remaining"] is None
