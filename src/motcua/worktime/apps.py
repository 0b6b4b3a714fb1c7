from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorktimeConfig(AppConfig):
    name = "motcua.worktime"
    label = "worktime"
    verbose_name = _("Working calendar")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from motcua.worktime.models import CalendarOverride, ProvinceCalendarSettings
        from motcua.worktime.services import calendar_changed

        for model in (CalendarOverride, ProvinceCalendarSettings):
            post_save.connect(calendar_changed, sender=model, dispatch_uid=f"worktime-saved-{model.__name__}")
            post_delete.connect(
                calendar_changed, sender=model, dispatch_uid=f"worktime-deleted-{model.__name__}"
            )
