"""A province's own days off and working days, its office hours, and the cache that serves them."""

from datetime import date, time

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from motcua.core import memo
from motcua.core.memo import REFERENCE_TTL_SECONDS
from motcua.worktime import services
from motcua.worktime.calendar import WorkingCalendar
from motcua.worktime.constants import DayKind, DurationUnit
from motcua.worktime.models import CalendarOverride, ProvinceCalendarSettings
from motcua.worktime.services import calendar_for
from motcua.worktime.tests.clock import at
from motcua.worktime.tests.factories import (
    DayOffFactory,
    ExtraWorkingDayFactory,
    ProvinceCalendarSettingsFactory,
)

pytestmark = pytest.mark.django_db

TYPHOON_DAY = date(2025, 7, 22)  # a Tuesday
EXTRA_SATURDAY = date(2025, 7, 19)


def due(received_at, amount=1, unit=DurationUnit.WORKING_DAYS, province_code=None):
    return calendar_for(province_code).deadline(received_at, amount, unit).due


class TestDeclaredDays:
    def test_a_typhoon_day_off_pushes_the_deadline(self):
        assert due(at(2025, 7, 21, 10)) == at(2025, 7, 22, 10)

        DayOffFactory.create(date=TYPHOON_DAY)

        assert due(at(2025, 7, 21, 10)) == at(2025, 7, 23, 10)
        assert calendar_for().non_working_days(TYPHOON_DAY, TYPHOON_DAY)[0].name == "Nghỉ tránh bão"

    def test_an_extra_working_saturday_counts(self):
        ExtraWorkingDayFactory.create(date=EXTRA_SATURDAY, name="Thứ bảy làm việc")

        assert due(at(2025, 7, 18, 10)) == at(2025, 7, 19, 10)
        worked = calendar_for().working_weekend_days(EXTRA_SATURDAY, EXTRA_SATURDAY)
        assert [(day.day, day.name) for day in worked] == [(EXTRA_SATURDAY, "Thứ bảy làm việc")]

    def test_an_override_wins_over_the_national_calendar(self):
        ExtraWorkingDayFactory.create(date=date(2025, 5, 2), kind=DayKind.SWAPPED_WORKDAY)
        DayOffFactory.create(date=date(2025, 4, 26), kind=DayKind.SWAPPED_DAY_OFF)

        calendar = calendar_for()

        assert calendar.is_working_day(date(2025, 5, 2))
        assert not calendar.is_working_day(date(2025, 4, 26))

    def test_overrides_belong_to_their_province(self, settings):
        DayOffFactory.create(province_code="79", date=TYPHOON_DAY)

        assert calendar_for().is_working_day(TYPHOON_DAY)
        assert not calendar_for("79").is_working_day(TYPHOON_DAY)
        settings.MOTCUA_PROVINCE_CODE = "79"
        assert not calendar_for().is_working_day(TYPHOON_DAY)


class TestOfficeHoursSettings:
    def test_a_province_without_settings_keeps_the_default_hours(self):
        assert calendar_for().office_hours.periods == ((time(8), time(12)), (time(13), time(17)))

    def test_the_province_office_hours_are_used(self):
        ProvinceCalendarSettingsFactory.create(office_hours="07:00-11:30,13:30-17:00")

        assert calendar_for().next_working_moment(at(2025, 3, 10, 6)) == at(2025, 3, 10, 7)

    def test_unreadable_office_hours_are_never_stored(self):
        with pytest.raises(ValidationError):
            ProvinceCalendarSettings.objects.create(province_code="01", office_hours="8h-17h")


class TestCache:
    def test_saving_an_override_refreshes_the_calendar(self):
        before = calendar_for()
        assert calendar_for() is before

        override = DayOffFactory.create(date=TYPHOON_DAY)
        assert not calendar_for().is_working_day(TYPHOON_DAY)

        override.is_working_day, override.kind = True, DayKind.EXTRA_WORKING_DAY
        override.save()
        assert calendar_for().is_working_day(TYPHOON_DAY)

    def test_deleting_an_override_refreshes_the_calendar(self):
        override = DayOffFactory.create(date=TYPHOON_DAY)
        assert not calendar_for().is_working_day(TYPHOON_DAY)

        override.delete()

        assert calendar_for().is_working_day(TYPHOON_DAY)

    def test_saving_office_hours_refreshes_the_calendar(self):
        assert calendar_for().office_hours.opening == time(8)

        ProvinceCalendarSettingsFactory.create(office_hours="07:30-11:30,13:00-17:00")

        assert calendar_for().office_hours.opening == time(7, 30)

    def test_a_copy_cached_before_the_commit_is_dropped_on_commit(self, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            DayOffFactory.create(date=TYPHOON_DAY)
            # Meanwhile another request, which cannot see the uncommitted override, caches a calendar.
            services._calendar_of._entries[(("01",), ())] = (memo.monotonic(), WorkingCalendar())

        assert not calendar_for().is_working_day(TYPHOON_DAY)

    def test_changes_made_without_signals_show_once_the_copy_expires(self, monkeypatch):
        started = memo.monotonic()
        monkeypatch.setattr(memo, "monotonic", lambda: started)
        assert calendar_for().is_working_day(TYPHOON_DAY)

        # bulk_create sends no signal, like a change made by another process.
        CalendarOverride.objects.bulk_create([DayOffFactory.build(date=TYPHOON_DAY)])
        monkeypatch.setattr(memo, "monotonic", lambda: started + REFERENCE_TTL_SECONDS - 1)
        assert calendar_for().is_working_day(TYPHOON_DAY)

        monkeypatch.setattr(memo, "monotonic", lambda: started + REFERENCE_TTL_SECONDS)
        assert not calendar_for().is_working_day(TYPHOON_DAY)


class TestValidation:
    @pytest.mark.parametrize(
        ("is_working_day", "kind"),
        [
            pytest.param(True, DayKind.HOLIDAY, id="working day typed as a holiday"),
            pytest.param(False, DayKind.EXTRA_WORKING_DAY, id="day off typed as a working day"),
        ],
    )
    def test_the_kind_must_agree_with_the_day(self, is_working_day, kind):
        override = DayOffFactory.build(is_working_day=is_working_day, kind=kind)

        with pytest.raises(ValidationError) as raised:
            override.full_clean()
        assert "kind" in raised.value.message_dict

        with pytest.raises(IntegrityError), transaction.atomic():
            override.save()

    def test_the_weekend_is_not_a_kind_to_declare(self):
        with pytest.raises(ValidationError) as raised:
            DayOffFactory.build(kind=DayKind.WEEKEND).full_clean()
        assert "kind" in raised.value.message_dict

    def test_a_province_declares_a_date_once(self):
        DayOffFactory.create(date=TYPHOON_DAY)

        with pytest.raises(IntegrityError), transaction.atomic():
            DayOffFactory.create(date=TYPHOON_DAY, name="again")

    def test_a_province_code_is_two_digits(self):
        with pytest.raises(ValidationError) as raised:
            DayOffFactory.build(province_code="1").full_clean()
        assert "province_code" in raised.value.message_dict


class TestAdmin:
    def test_both_models_can_be_managed(self, admin_client):
        DayOffFactory.create(date=TYPHOON_DAY)
        ProvinceCalendarSettingsFactory.create()

        for url in (
            "/admin/worktime/calendaroverride/",
            "/admin/worktime/calendaroverride/?kind=extra_day_off&q=bão",
            "/admin/worktime/provincecalendarsettings/",
        ):
            assert admin_client.get(url).status_code == 200
        assert admin.site.is_registered(CalendarOverride)
