"""The public calendar endpoints: answers in +07:00, and bad input as problem+json 422, never a 500."""

import pytest
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.worktime.tests.factories import DayOffFactory

pytestmark = pytest.mark.django_db

DEADLINE = "/api/v1/calendar/deadline"
DAYS = "/api/v1/calendar/non-working-days"


def problem_fields(response) -> list[tuple[str, str]]:
    assert response.status_code == 422, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    return [(error["field"], error["code"]) for error in response.json()["errors"]]


class TestDeadline:
    @pytest.mark.parametrize(
        "start",
        [
            pytest.param("2026-02-13T10:00:00+07:00", id="local offset"),
            pytest.param("2026-02-13T03:00:00Z", id="UTC"),
            pytest.param("2026-02-13T10:00", id="no offset is local time"),
        ],
    )
    def test_a_deadline_across_tet_2026(self, client, start):
        response = client.get(DEADLINE, {"start": start, "amount": 3, "unit": "working_days"})

        assert response.status_code == 200
        assert response.json() == {
            "counting_from": "2026-02-13T10:00:00+07:00",
            "due": "2026-02-25T10:00:00+07:00",
        }

    def test_a_receipt_after_the_cut_off(self, client):
        response = client.get(
            DEADLINE, {"start": "2025-03-10T15:30", "amount": 1, "unit": "working_days", "cutoff": "15:00"}
        )

        assert response.json() == {
            "counting_from": "2025-03-10T15:30:00+07:00",
            "due": "2025-03-11T17:00:00+07:00",
        }

    def test_no_appointment_date(self, client):
        response = client.get(DEADLINE, {"start": "2025-03-09T10:00+07:00", "amount": 0, "unit": "none"})

        assert response.json() == {"counting_from": "2025-03-10T08:00:00+07:00", "due": None}

    def test_a_province_day_off_is_counted(self, client):
        DayOffFactory.create(date="2025-07-22")

        response = client.get(DEADLINE, {"start": "2025-07-21T10:00", "amount": 1, "unit": "working_days"})

        assert response.json()["due"] == "2025-07-23T10:00:00+07:00"

    @pytest.mark.parametrize(
        ("query", "field", "code"),
        [
            pytest.param({"amount": -1}, "amount", "out_of_range", id="negative amount"),
            pytest.param({"amount": 3651}, "amount", "out_of_range", id="amount too large"),
            pytest.param({"amount": "three"}, "amount", "int_parsing", id="amount not a number"),
            pytest.param({"unit": "months"}, "unit", "enum", id="unknown unit"),
            pytest.param({"start": "13/02/2026 10:00"}, "start", "invalid_datetime", id="not ISO 8601"),
            pytest.param({"start": "2026-02-30T10:00"}, "start", "invalid_datetime", id="no such date"),
            pytest.param({"start": "1900-01-01T10:00"}, "start", "out_of_range", id="year not covered"),
            pytest.param({"start": "9999-12-31T23:00-12:00"}, "start", "out_of_range", id="last year, west"),
            pytest.param({"start": "0001-01-01T00:00+14:00"}, "start", "out_of_range", id="first year, east"),
            pytest.param({"cutoff": "3pm"}, "cutoff", "invalid_time", id="malformed cut-off"),
            pytest.param({"cutoff": "15:00", "unit": "days"}, "cutoff", "not_applicable", id="cut-off, days"),
            pytest.param({"cutoff": "15:00", "amount": 0}, "amount", "out_of_range", id="cut-off and no day"),
        ],
    )
    def test_bad_input_is_a_problem_naming_the_field(self, client, query, field, code):
        params = {"start": "2025-03-10T10:00", "amount": 1, "unit": "working_days"} | query

        assert problem_fields(client.get(DEADLINE, params)) == [(field, code)]

    def test_a_missing_parameter_is_a_problem_naming_it(self, client):
        fields = problem_fields(client.get(DEADLINE, {"amount": 1, "unit": "working_days"}))

        assert [field for field, _ in fields] == ["start"]

    @settings(max_examples=60, deadline=None)
    @given(
        start=st.text(max_size=40),
        amount=st.one_of(st.integers(), st.text(max_size=5)),
        unit=st.sampled_from(["working_days", "working_hours", "days", "none", "", "weeks"]),
        cutoff=st.one_of(st.none(), st.text(max_size=8)),
    )
    def test_no_input_gives_a_server_error(self, start, amount, unit, cutoff):
        params = {"start": start, "amount": amount, "unit": unit} | ({"cutoff": cutoff} if cutoff else {})

        assert Client().get(DEADLINE, params).status_code in {200, 422}


class TestNonWorkingDays:
    def test_days_off_and_worked_weekends_around_may_2025(self, client):
        response = client.get(DAYS, {"from": "2025-04-25", "to": "2025-05-04"})

        assert response.status_code == 200
        assert response.json() == {
            "non_working_days": [
                {"date": "2025-04-30", "kind": "holiday", "name": "Ngày Chiến thắng"},
                {"date": "2025-05-01", "kind": "holiday", "name": "Ngày Quốc tế Lao động"},
                {
                    "date": "2025-05-02",
                    "kind": "swapped_dayoff",
                    "name": "Ngày nghỉ (thay cho ngày 26/04/2025)",
                },
            ],
            "working_weekend_days": [{"date": "2025-04-26", "name": "Ngày làm việc bù"}],
        }

    def test_a_province_day_off_is_listed(self, client):
        DayOffFactory.create(date="2025-07-22")

        response = client.get(DAYS, {"from": "2025-07-01", "to": "2025-07-31"})

        assert response.json()["non_working_days"] == [
            {"date": "2025-07-22", "kind": "extra_day_off", "name": "Nghỉ tránh bão"}
        ]

    def test_three_years_can_be_asked_at_once(self, client):
        response = client.get(DAYS, {"from": "2024-01-01", "to": "2026-12-31"})

        assert response.status_code == 200
        assert len(response.json()["working_weekend_days"]) == 3

    @pytest.mark.parametrize(
        ("date_from", "date_to", "field", "code"),
        [
            pytest.param("2025-05-04", "2025-05-01", "to", "before_start", id="from after to"),
            pytest.param("2024-01-01", "2027-01-01", "to", "range_too_long", id="more than three years"),
            pytest.param("2025-02-30", "2025-03-01", "from", "date_from_datetime_parsing", id="no such date"),
            pytest.param("2025-01-01", "3000-01-01", "to", "out_of_range", id="year not covered"),
            pytest.param(None, "2025-03-01", "from", "missing", id="missing from"),
        ],
    )
    def test_bad_input_is_a_problem_naming_the_field(self, client, date_from, date_to, field, code):
        query = {"to": date_to} | ({"from": date_from} if date_from else {})

        assert problem_fields(client.get(DAYS, query)) == [(field, code)]
