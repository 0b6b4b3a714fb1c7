import datetime

import factory

from motcua.worktime.constants import DayKind
from motcua.worktime.models import CalendarOverride, ProvinceCalendarSettings


class DayOffFactory(factory.django.DjangoModelFactory[CalendarOverride]):
    class Meta:
        model = CalendarOverride

    province_code = "01"
    date = datetime.date(2025, 7, 22)
    is_working_day = False
    kind = DayKind.EXTRA_DAY_OFF
    name = "Nghỉ tránh bão"


class ExtraWorkingDayFactory(DayOffFactory):
    is_working_day = True
    kind = DayKind.EXTRA_WORKING_DAY
    name = "Làm việc bổ sung"


class ProvinceCalendarSettingsFactory(factory.django.DjangoModelFactory[ProvinceCalendarSettings]):
    class Meta:
        model = ProvinceCalendarSettings

    province_code = "01"
