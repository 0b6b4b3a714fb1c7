import dataclasses
import datetime as dt

import pytest

from motcua.catalog.forms_schema import with_field_order
from motcua.catalog.models import Case, Procedure, ProcedureVersion, WorkflowStep
from motcua.catalog.services import (
    Outcome,
    StepSpec,
    VersionSpec,
    case_budget_hours,
    publish_version,
    workflow_problem,
)
from motcua.catalog.tests.sample_catalogue import make_agencies, small_procedure
from motcua.core.errors import InvalidInput
from motcua.worktime.constants import DurationUnit
from motcua.worktime.tests.factories import ProvinceCalendarSettingsFactory

JULY = dt.date(2025, 7, 1)


@pytest.fixture
def spec(db) -> VersionSpec:
    make_agencies()
    return small_procedure()


def _with_case(spec, **changes):
    return dataclasses.replace(spec, cases=(dataclasses.replace(spec.cases[0], **changes),))


def test_first_publication_creates_version_one(spec):
    publication = publish_version(spec, JULY)

    assert publication.outcome == Outcome.CREATED
    version = publication.version
    assert (version.number, version.valid_from, version.valid_to) == (1, JULY, None)
    case = version.cases.get()
    assert [s.budget_hours for s in case.steps.all()] == [16, 8]
    assert list(version.receiving_units.values_list("identity_code", flat=True)) == ["000.00.21.H26"]


def test_same_content_publishes_nothing(spec):
    first = publish_version(spec, JULY)

    again = publish_version(spec, dt.date(2026, 1, 1))

    assert again.outcome == Outcome.UNCHANGED
    assert again.version == first.version
    assert ProcedureVersion.objects.count() == 1


def test_change_is_a_new_version_and_closes_the_previous_one(spec):
    first = publish_version(spec, JULY).version

    second = publish_version(dataclasses.replace(spec, name="Thủ tục đã sửa"), dt.date(2026, 1, 1))

    assert second.outcome == Outcome.NEW_VERSION
    assert (second.version.number, second.version.valid_from) == (2, dt.date(2026, 1, 1))
    first.refresh_from_db()
    assert (first.name, first.valid_to) == ("Thủ tục thử nghiệm", dt.date(2025, 12, 31))


def test_local_settings_left_out_are_kept_from_the_previous_version(spec):
    publish_version(spec, JULY)
    from_portal = dataclasses.replace(
        _with_case(spec, form_schema=None, steps=None, same_day_cutoff=None, time_value=5),
        receiving_unit_codes=None,
    )

    version = publish_version(from_portal, dt.date(2026, 1, 1)).version

    case = version.cases.get()
    assert case.time_value == 5
    assert case.same_day_cutoff == dt.time(15)
    assert case.form_schema == with_field_order(spec.cases[0].form_schema)
    assert [s.name for s in case.steps.all()] == ["Thẩm định", "Ký"]
    assert list(version.receiving_units.values_list("identity_code", flat=True)) == ["000.00.21.H26"]


def test_a_new_version_must_start_after_the_previous_one(spec):
    publish_version(spec, JULY)

    with pytest.raises(InvalidInput) as error:
        publish_version(dataclasses.replace(spec, name="Khác"), JULY)

    assert error.value.errors[0].field == "valid_from"
    assert ProcedureVersion.objects.count() == 1


def test_workflow_over_the_case_time_is_refused_and_nothing_is_written(spec):
    too_long = _with_case(
        spec, steps=(StepSpec("Thẩm định", "specialist", 20), StepSpec("Ký", "unit_leader", 8))
    )

    with pytest.raises(InvalidInput) as error:
        publish_version(too_long, JULY)

    assert error.value.errors[0].field == "cases.TH1.steps"
    assert "28" in error.value.errors[0].message and "24" in error.value.errors[0].message
    assert not Procedure.objects.exists()
    assert not Case.objects.exists()


def test_invalid_e_form_is_refused(spec):
    with pytest.raises(InvalidInput) as error:
        publish_version(_with_case(spec, form_schema={"type": "object", "properties": []}), JULY)

    assert error.value.errors[0].field == "cases.TH1.form_schema"


def test_unknown_agency_is_refused(spec):
    with pytest.raises(InvalidInput) as error:
        publish_version(dataclasses.replace(spec, competent_agency_code="000.99.99.H26"), JULY)

    assert "000.99.99.H26" in error.value.errors[0].message


@pytest.mark.parametrize(
    ("value", "unit", "hours"),
    [
        (1, DurationUnit.WORKING_DAYS, 8),
        (3, DurationUnit.WORKING_DAYS, 24),
        (15, DurationUnit.DAYS, 120),
        (4, DurationUnit.WORKING_HOURS, 4),
        (0, DurationUnit.NONE, None),
    ],
)
@pytest.mark.django_db
def test_case_budget_in_working_hours(value, unit, hours):
    assert case_budget_hours(value, unit) == hours


@pytest.mark.django_db
def test_a_working_day_is_worth_the_provinces_configured_office_hours():
    # Seven office hours a day: three working days let the steps use 21 hours.
    ProvinceCalendarSettingsFactory(office_hours="08:00-12:00,13:00-16:00")
    assert case_budget_hours(3, DurationUnit.WORKING_DAYS) == 21


def test_workflow_problem_reads_the_stored_steps(spec):
    case = publish_version(spec, JULY).version.cases.get()
    assert workflow_problem(case) is None

    WorkflowStep.objects.create(case=case, order=3, name="Trả", role="clerk", budget_hours=1)

    assert "25" in (workflow_problem(case) or "")


def test_an_e_form_keeps_its_field_order_whatever_the_database_does_with_keys():
    schema = {
        "type": "object",
        "properties": {
            "zeta": {"type": "string"},
            "alpha": {"type": "object", "properties": {"y": {"type": "string"}, "b": {"type": "string"}}},
            "mu": {"type": "string"},
        },
    }
    ordered = with_field_order(schema)
    assert ordered["x-order"] == ["zeta", "alpha", "mu"]
    assert ordered["properties"]["alpha"]["x-order"] == ["y", "b"]
    assert with_field_order({**schema, "x-order": ["mu"]})["x-order"] == ["mu"]
