from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorktimeConfig(AppConfig):
    name = "motcua.worktime"
    label = "worktime"
    verbose_name = _("Working calendar")

    def ready(self) -> None:
        from motcua.core.memo import clear_caches_on_change
        from motcua.worktime.models import CalendarOverride, ProvinceCalendarSettings

        clear_caches_on_change(CalendarOverride, ProvinceCalendarSettings)
