"""The vocabulary of the legal clock: duration units, kinds of calendar day, punctuality classes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DurationUnit(models.TextChoices):
    WORKING_HOURS = "working_hours", _("working hours")
    WORKING_DAYS = "working_days", _("working days")
    DAYS = "days", _("calendar days")
    NONE = "none", _("no appointment date")


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("public holiday")
    COMPENSATORY = "compensatory_day_off", _("compensatory day off")
    SWAPPED_DAY_OFF = "swapped_dayoff", _("day off swapped with a working day")
    EXTRA_DAY_OFF = "extra_day_off", _("extra day off")
    WEEKEND = "weekend", _("weekend")
    SWAPPED_WORKDAY = "swapped_workday", _("working day swapped with a day off")
    EXTRA_WORKING_DAY = "extra_working_day", _("extra working day")


# An override declares either a working day or a day off; its kind must say which. The weekend kind is not
# declared by anyone: it is what a Saturday or Sunday is when nothing else is said about it.
WORKING_DAY_KINDS = frozenset({DayKind.SWAPPED_WORKDAY, DayKind.EXTRA_WORKING_DAY})
DAY_OFF_KINDS = frozenset(
    {DayKind.HOLIDAY, DayKind.COMPENSATORY, DayKind.SWAPPED_DAY_OFF, DayKind.EXTRA_DAY_OFF}
)


class Punctuality(models.TextChoices):
    EARLY = "early", _("early")
    ON_TIME = "on_time", _("on time")
    LATE = "late", _("late")
