"""A province's working calendar as the rest of the project gets it: built from the database, kept a while."""

from __future__ import annotations

from time import monotonic
from typing import Any

from django.conf import settings
from django.db import transaction

from motcua.worktime.calendar import DayOverride, OfficeHours, WorkingCalendar
from motcua.worktime.constants import DayKind
from motcua.worktime.models import CalendarOverride, ProvinceCalendarSettings

# Saving an override clears the cache of the process that saved it; the other web processes only see the
# change once their copy expires. A minute is a short wait for a calendar change and still spares the
# database a query for every deadline.
CALENDAR_TTL_SECONDS = 60.0

_calendars: dict[str, tuple[float, WorkingCalendar]] = {}


def calendar_for(province_code: str | None = None) -> WorkingCalendar:
    """The working calendar of a province (by default the one this deployment serves)."""
    code = province_code or settings.MOTCUA_PROVINCE_CODE
    now = monotonic()
    cached = _calendars.get(code)
    if cached is not None and now - cached[0] < CALENDAR_TTL_SECONDS:
        return cached[1]
    calendar = _build_calendar(code)
    _calendars[code] = (now, calendar)
    return calendar


def clear_calendar_cache() -> None:
    _calendars.clear()


def _build_calendar(province_code: str) -> WorkingCalendar:
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


def calendar_changed(sender: type, **kwargs: Any) -> None:
    """Receiver for saves and deletes of overrides and settings: the cached calendars are out of date."""
    clear_calendar_cache()
    # Another request may rebuild a calendar between the save and the commit, without the change it cannot
    # see yet; clearing again once the change is committed drops that copy too.
    transaction.on_commit(clear_calendar_cache)
