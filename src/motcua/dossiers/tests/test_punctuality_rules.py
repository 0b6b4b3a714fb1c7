"""One definition of late (dossiers.punctuality, ADR 0009): classes by local day, warnings to the minute."""

from datetime import UTC, date, datetime

import pytest

from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import DossierStep
from motcua.dossiers.punctuality import (
    dossier_outcome,
    dossier_overdue,
    finished_punctuality,
    is_due_soon,
    overdue_on,
    past_due_moment,
    step_outcome,
    step_overdue,
    working_minutes_past_due,
)
from motcua.worktime.calendar import WorkingCalendar
from motcua.worktime.constants import Punctuality
from motcua.worktime.tests.clock import at

DUE = at(2025, 3, 12, 10)


@pytest.mark.parametrize(
    ("finished_at", "punctuality"),
    [
        pytest.param(at(2025, 3, 11, 16), Punctuality.EARLY, id="the day before"),
        pytest.param(at(2025, 3, 12, 9), Punctuality.ON_TIME, id="the due day, before the hour"),
        pytest.param(at(2025, 3, 12, 23), Punctuality.ON_TIME, id="the due day, late in the evening"),
        pytest.param(at(2025, 3, 13, 0, 1), Punctuality.LATE, id="the day after"),
        # 17:30 UTC on the 11th is 00:30 on the 12th in Hà Nội: the local date decides.
        pytest.param(datetime(2025, 3, 11, 17, 30, tzinfo=UTC), Punctuality.ON_TIME, id="local date counts"),
    ],
)
def test_a_finished_dossier_is_classified_by_date(finished_at: datetime, punctuality: Punctuality):
    assert finished_punctuality(finished_at, DUE) == punctuality
    assert dossier_outcome(Status.RETURNED, finished_at, DUE) == punctuality


def test_without_a_due_date_a_finished_dossier_is_on_time():
    assert finished_punctuality(at(2030, 1, 1), None) == Punctuality.ON_TIME


def test_a_withdrawn_dossier_is_on_time_whatever_its_dates():
    assert dossier_outcome(Status.WITHDRAWN, at(2025, 4, 1), DUE) == Punctuality.ON_TIME


def test_an_open_dossier_has_no_class_yet():
    assert dossier_outcome(Status.IN_PROCESS, None, DUE) is None


@pytest.mark.parametrize(
    ("period_end", "overdue"),
    [
        pytest.param(date(2025, 3, 11), False, id="due after the period end"),
        pytest.param(date(2025, 3, 12), False, id="due on the period end"),
        pytest.param(date(2025, 3, 13), True, id="due before the period end"),
    ],
)
def test_an_open_dossier_is_overdue_when_due_before_the_period_end(period_end: date, overdue: bool):
    assert overdue_on(DUE, period_end) is overdue


def test_an_open_dossier_without_due_date_is_never_overdue():
    assert overdue_on(None, date(2099, 1, 1)) is False


def test_past_the_due_moment_on_the_due_day_is_a_warning_not_a_class():
    evening = at(2025, 3, 12, 17, 15)
    assert past_due_moment(DUE, evening)
    assert working_minutes_past_due(WorkingCalendar(), DUE, evening) == 6 * 60  # 10:00-12:00 and 13:00-17:00
    assert not dossier_overdue(Status.IN_PROCESS, DUE, evening)
    assert dossier_overdue(Status.IN_PROCESS, DUE, at(2025, 3, 13, 8))


def test_waiting_for_the_applicant_is_never_overdue():
    assert not dossier_overdue(Status.SUPPLEMENT_REQUESTED, DUE, at(2025, 4, 1))


def test_due_today_stays_due_soon_after_its_hour():
    cutoff = at(2025, 3, 13, 10)
    assert is_due_soon(Status.IN_PROCESS, DUE, at(2025, 3, 12, 16), cutoff)
    assert not is_due_soon(Status.IN_PROCESS, DUE, at(2025, 3, 13, 8), cutoff)  # overdue now
    assert not is_due_soon(Status.SUPPLEMENT_REQUESTED, DUE, at(2025, 3, 12, 9), cutoff)


def test_a_step_is_judged_by_the_same_rule():
    step = DossierStep(started_at=at(2025, 3, 10, 8), due_at=DUE)
    assert step_outcome(step) is None
    assert not step_overdue(step, at(2025, 3, 12, 16))
    assert step_overdue(step, at(2025, 3, 13, 8))
    step.finished_at = at(2025, 3, 12, 16)
    assert step_outcome(step) == Punctuality.ON_TIME
    assert not step_overdue(step, at(2025, 3, 20))
