"""The calendar's admin pages: declared days listed by date, one entry per province and date, kinds that match
the day, and office hours the clock can read; every refusal is shown next to its field and writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from motcua.worktime.constants import DayKind
from motcua.worktime.models import CalendarOverride, ProvinceCalendarSettings
from motcua.worktime.tests.factories import (
    DayOffFactory,
    ExtraWorkingDayFactory,
    ProvinceCalendarSettingsFactory,
)

pytestmark = pytest.mark.django_db

ADD_OVERRIDE = "/admin/worktime/calendaroverride/add/"


@pytest.fixture
def superuser_client(django_user_model) -> Client:
    user = django_user_model.objects.create_superuser("calendar-admin", "admin@example.vn", "pw-12345678")
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def override_form(**fields: object) -> dict[str, object]:
    return {
        "province_code": "01",
        "date": "2026-09-01",
        "is_working_day": "",
        "kind": DayKind.COMPENSATORY,
        "name": "Nghỉ bù Quốc khánh",
        "note": "Thông báo 123/TB-UBND",
        **fields,
    }


def test_every_calendar_page_answers(superuser_client):
    override = DayOffFactory.create()
    settings_row = ProvinceCalendarSettingsFactory.create()
    for url in [
        "/admin/worktime/",
        "/admin/worktime/calendaroverride/",
        "/admin/worktime/calendaroverride/?is_working_day__exact=0&date__year=2025",
        f"/admin/worktime/calendaroverride/{override.pk}/change/",
        ADD_OVERRIDE,
        "/admin/worktime/provincecalendarsettings/",
        f"/admin/worktime/provincecalendarsettings/{settings_row.pk}/change/",
        "/admin/worktime/provincecalendarsettings/add/",
    ]:
        assert superuser_client.get(url).status_code == 200, url


def test_declared_days_are_listed_newest_first_with_their_weekday(superuser_client):
    DayOffFactory.create(date=dt.date(2025, 7, 22), name="Nghỉ tránh bão")
    ExtraWorkingDayFactory.create(date=dt.date(2026, 1, 3), name="Làm bù thứ Bảy")

    page = superuser_client.get("/admin/worktime/calendaroverride/").content.decode()

    assert page.index("Làm bù thứ Bảy") < page.index("Nghỉ tránh bão")
    assert "Saturday" in page and "Tuesday" in page


def test_the_form_explains_each_field_and_starts_with_this_province(superuser_client, settings):
    settings.MOTCUA_PROVINCE_CODE = "79"

    response = superuser_client.get(ADD_OVERRIDE)

    form = response.context["adminform"].form
    assert form.initial["province_code"] == "79"
    page = response.content.decode()
    assert "such as 01 for Hà Nội" in page
    assert "offices open that day, even a Saturday or Sunday" in page


def test_a_new_declared_day_is_saved(superuser_client):
    response = superuser_client.post(ADD_OVERRIDE, override_form())

    assert response.status_code == 302
    saved = CalendarOverride.objects.get()
    assert (saved.date, saved.kind, saved.is_working_day) == (
        dt.date(2026, 9, 1),
        DayKind.COMPENSATORY,
        False,
    )


def test_a_province_declares_a_date_once(superuser_client):
    DayOffFactory.create(date=dt.date(2026, 9, 1), name="Nghỉ tránh bão")

    response = superuser_client.post(ADD_OVERRIDE, override_form())

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["date"] == [
        "The province already declares this date (“Nghỉ tránh bão”); change that entry."
    ]
    assert CalendarOverride.objects.count() == 1


def test_another_province_may_declare_the_same_date(superuser_client):
    DayOffFactory.create(date=dt.date(2026, 9, 1))

    assert superuser_client.post(ADD_OVERRIDE, override_form(province_code="79")).status_code == 302
    assert CalendarOverride.objects.count() == 2


def test_a_working_day_must_have_a_working_kind(superuser_client):
    response = superuser_client.post(ADD_OVERRIDE, override_form(is_working_day="on"))

    assert response.status_code == 200
    assert "kind" in response.context["adminform"].form.errors
    assert not CalendarOverride.objects.exists()


def test_office_hours_the_clock_cannot_read_are_refused(superuser_client):
    response = superuser_client.post(
        "/admin/worktime/provincecalendarsettings/add/", {"province_code": "01", "office_hours": "8h-17h"}
    )

    assert response.status_code == 200
    assert "office_hours" in response.context["adminform"].form.errors
    assert not ProvinceCalendarSettings.objects.exists()


def test_office_hours_are_listed_with_the_length_of_a_working_day(superuser_client):
    ProvinceCalendarSettingsFactory.create(province_code="01", office_hours="07:30-11:30,13:00-16:30")

    page = superuser_client.get("/admin/worktime/provincecalendarsettings/").content.decode()

    assert "7 h 30 min" in page
