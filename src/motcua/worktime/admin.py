from django.contrib import admin

from motcua.worktime.models import CalendarOverride, ProvinceCalendarSettings


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "province_code", "is_working_day", "kind", "name", "updated_at"]
    list_filter = ["province_code", "is_working_day", "kind"]
    search_fields = ["name", "note", "province_code"]
    date_hierarchy = "date"
    ordering = ["-date"]


@admin.register(ProvinceCalendarSettings)
class ProvinceCalendarSettingsAdmin(admin.ModelAdmin):
    list_display = ["province_code", "office_hours", "updated_at"]
    search_fields = ["province_code"]
