"""The scan as a django-tasks task that queues its next run, `motcua worker` that makes sure one is queued and
runs them, `motcua alerts scan` that runs one now, and the check of the settings."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from motcua.alerts.models import DeadlineWarning
from motcua.alerts.tasks import scan_deadlines_task, schedule_scan
from motcua.alerts.tests.scenes import AlertDesk, local

NOW = "2026-03-10 09:00"


def scan_tasks(status: str):
    return DBTaskResult.objects.filter(task_path=scan_deadlines_task.module_path, status=status)


@pytest.mark.django_db
def test_a_scan_is_queued_once_however_often_it_is_asked_for():
    assert schedule_scan() is True
    assert schedule_scan() is False
    assert schedule_scan(local(NOW)) is False
    assert scan_tasks(TaskResultStatus.READY).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("_signals_restored")
def test_the_worker_runs_the_scan_which_queues_the_next_one_an_interval_later(world, settings):
    settings.MOTCUA_ALERT_INTERVAL_MINUTES = 15
    dossier = AlertDesk(world).at_the_department()
    out = StringIO()

    with time_machine.travel(local(NOW), tick=False):
        call_command("worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0, stdout=out)

    assert "Scheduled the deadline scan." in out.getvalue()
    [done] = scan_tasks(TaskResultStatus.SUCCESSFUL)
    assert done.return_value["warned"] == DeadlineWarning.objects.filter(dossier=dossier).count() > 0
    [following] = scan_tasks(TaskResultStatus.READY)
    assert following.run_after == local(NOW) + dt.timedelta(minutes=15)


@pytest.mark.django_db
def test_the_scan_command_prints_what_it_warned(world):
    dossier = AlertDesk(world).at_the_department()
    out = StringIO()

    with time_machine.travel(local("2026-03-05 09:30"), tick=False):
        call_command("alerts", "scan", stdout=out)

    printed = out.getvalue()
    assert f"overdue level 0: {dossier.code} due 05/03/2026 09:00 → specialist" in printed
    assert f"apology_owed level 0: {dossier.code} due 05/03/2026 09:00 → mai@example.vn" in printed
    assert "e-mails sent: 1," in printed


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("MOTCUA_ESCALATION_AFTER_HOURS", "8,0"),
        ("MOTCUA_ESCALATION_AFTER_HOURS", "0,8,24,48"),
        ("MOTCUA_ESCALATION_AFTER_HOURS", "soon"),
        ("MOTCUA_ALERT_DUE_SOON_HOURS", -1),
        ("MOTCUA_ALERT_INTERVAL_MINUTES", 0),
    ],
)
def test_a_wrong_setting_is_reported_by_the_checks(settings, name, value):
    setattr(settings, name, value)

    with pytest.raises(SystemCheckError, match=name):
        call_command("check")
