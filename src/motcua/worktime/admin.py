"""The province's calendar in Django's admin: the days it declares worked or not, and its office hours."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from motcua.worktime.calendar import OfficeHours
from motcua.worktime.models import CalendarOverride, ProvinceCalendarSettings

PROVINCE_CODE_HELP = _("Two digits of the province's administrative code, such as 01 for Hà Nội.")


class ThisProvinceFirst(admin.ModelAdmin):
    """A new row starts with the province this deployment serves."""

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        return {
            "province_code": settings.MOTCUA_PROVINCE_CODE,
            **super().get_changeform_initial_data(request),
        }


class CalendarOverrideForm(forms.ModelForm):
    class Meta:
        model = CalendarOverride
        fields = ["province_code", "date", "is_working_day", "kind", "name", "note"]
        help_texts = {
            "province_code": PROVINCE_CODE_HELP,
            "date": _("The day declared; it wins over the national holidays and the weekend."),
            "is_working_day": _(
                "Ticked: offices open that day, even a Saturday or Sunday (a swapped or extra working day). "
                "Not ticked: offices are closed (a holiday, a compensatory day or another day off)."
            ),
            "kind": _(
                "A working day is a swapped or an extra working day; a day off is a holiday, a compensatory "
                "day, a swapped day off or an extra day off."
            ),
            "name": _("As the annual notice calls it, such as “Nghỉ bù Quốc khánh”."),
            "note": _("The notice that declares it: its number, date and issuer."),
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        province, day = cleaned.get("province_code"), cleaned.get("date")
        if province and day:
            taken = CalendarOverride.objects.filter(province_code=province, date=day)
            if existing := taken.exclude(pk=self.instance.pk).first():
                # Said here, next to the date, rather than as the database's unique constraint would say it.
                message = gettext("The province already declares this date (“%(name)s”); change that entry.")
                self.add_error("date", message % {"name": existing.name})
        return cleaned


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(ThisProvinceFirst):
    form = CalendarOverrideForm
    list_display = ["date", "weekday", "province_code", "is_working_day", "kind", "name", "updated_at"]
    list_display_links = ["date", "name"]
    list_filter = ["province_code", "is_working_day", "kind"]
    search_fields = ["name", "note", "province_code"]
    date_hierarchy = "date"
    ordering = ["-date", "province_code"]

    @admin.display(description=_("weekday"))
    def weekday(self, override: CalendarOverride) -> str:
        return date_format(override.date, "l")


class ProvinceCalendarSettingsForm(forms.ModelForm):
    class Meta:
        model = ProvinceCalendarSettings
        fields = ["province_code", "office_hours"]
        help_texts = {"province_code": PROVINCE_CODE_HELP}


@admin.register(ProvinceCalendarSettings)
class ProvinceCalendarSettingsAdmin(ThisProvinceFirst):
    form = ProvinceCalendarSettingsForm
    list_display = ["province_code", "office_hours", "hours_per_day", "updated_at"]
    search_fields = ["province_code"]
    ordering = ["province_code"]

    @admin.display(description=_("working hours a day"))
    def hours_per_day(self, row: ProvinceCalendarSettings) -> str:
        hours, minutes = divmod(OfficeHours.parse(row.office_hours).minutes_per_day, 60)
        if minutes:
            return gettext("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes}
        return gettext("%(hours)d h") % {"hours": hours}
