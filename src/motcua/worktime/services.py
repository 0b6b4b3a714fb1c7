"""A province's working calendar as the rest of the project gets it: built from the database, kept a while."""

from __future__ import annotations

from django.conf import settings

from motcua.core.memo import timed_cache
from motcua.worktime.calendar import DayOverride, OfficeHours, WorkingCalendar
from motcua.worktime.constants import DayKind
from motcua.worktime.models import CalendarOverride, ProvinceCalendarSettings


def calendar_for(province_code: str | None = None) -> WorkingCalendar:
    """The working calendar of a province (by default the one this deployment serves)."""
    return _calendar_of(province_code or settings.MOTCUA_PROVINCE_CODE)


def clear_calendar_cache() -> None:
    _calendar_of.clear()


@timed_cache()
def _calendar_of(province_code: str) -> WorkingCalendar:
    overrides = {
        day: DayOverride(is_working, DayKind(kind), name)
        for day, is_working, kind, name in CalendarOverride.objects.filter(
            province_code=province_code
        ).values_list("date", "is_working_day", "kind", "name")
    }
    office_hours_text = (
        ProvinceCalendarSettings.objects.filter(province_code=province_code)
        .values_list("office_hours", flat=True)
        .first()
    )
    office_hours = OfficeHours.parse(office_hours_text) if office_hours_text else OfficeHours()
    return WorkingCalendar(overrides, office_hours)
