"""What a province declares about its calendar, on top of the national holidays the package knows."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.worktime.calendar import DEFAULT_OFFICE_HOURS_TEXT, OfficeHours
from motcua.worktime.constants import DAY_OFF_KINDS, WORKING_DAY_KINDS, DayKind

# The calendar names its province by administrative code (Decision 19/2025/QĐ-TTg: two digits, Hà Nội is
# "01") rather than by a foreign key, so that the clock depends on nothing above it.
province_code_validator = RegexValidator(
    r"^\d{2}$", _("A province code is two digits, such as 01 for Hà Nội.")
)


def validate_office_hours(text: str) -> None:
    try:
        OfficeHours.parse(text)
    except ValueError as exc:
        raise ValidationError(
            _("Write office hours as periods such as 08:00-12:00,13:00-17:00 (%(reason)s)."),
            code="invalid_office_hours",
            params={"reason": exc},
        ) from exc


class CalendarOverride(models.Model):
    """One date a province declares worked or not, winning over the national calendar and the weekend."""

    province_code = models.CharField(_("province code"), max_length=2, validators=[province_code_validator])
    date = models.DateField(_("date"))
    is_working_day = models.BooleanField(_("working day"))
    kind = models.CharField(
        _("kind"),
        max_length=32,
        choices=[(kind.value, kind.label) for kind in DayKind if kind in WORKING_DAY_KINDS | DAY_OFF_KINDS],
    )
    name = models.CharField(_("name"), max_length=200)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["province_code", "date"]
        constraints = [
            models.UniqueConstraint(fields=["province_code", "date"], name="worktime_override_one_per_day"),
            models.CheckConstraint(
                condition=(
                    models.Q(is_working_day=True, kind__in=sorted(WORKING_DAY_KINDS))
                    | models.Q(is_working_day=False, kind__in=sorted(DAY_OFF_KINDS))
                ),
                name="worktime_override_kind_matches_working",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.province_code} {self.date:%d/%m/%Y} {self.name}"

    def clean(self) -> None:
        super().clean()
        if self.is_working_day and self.kind not in WORKING_DAY_KINDS:
            message = _("A working day is a swapped working day or an extra working day.")
            raise ValidationError({"kind": ValidationError(message, code="kind_not_working")})
        if not self.is_working_day and self.kind not in DAY_OFF_KINDS:
            message = _("A day off is a holiday, a compensatory day, a swapped day off or an extra day off.")
            raise ValidationError({"kind": ValidationError(message, code="kind_not_day_off")})


class ProvinceCalendarSettings(models.Model):
    """A province's office hours; a province without a row keeps the default ones."""

    province_code = models.CharField(
        _("province code"), max_length=2, unique=True, validators=[province_code_validator]
    )
    office_hours = models.CharField(
        _("office hours"),
        max_length=100,
        default=DEFAULT_OFFICE_HOURS_TEXT,
        validators=[validate_office_hours],
        help_text=_("Opening periods of a working day, local time, such as 08:00-12:00,13:00-17:00."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("province calendar settings")
        verbose_name_plural = _("province calendar settings")

    def __str__(self) -> str:
        return f"{self.province_code} {self.office_hours}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Every calendar of the province is built from this text, so text it cannot read never gets stored,
        # whichever way the row is saved.
        validate_office_hours(self.office_hours)
        super().save(*args, **kwargs)
