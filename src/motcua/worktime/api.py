"""Public calendar endpoints: when a dossier would be due, and which days are not worked."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, P, QueryEx, Router, Schema

from motcua.core.errors import InvalidInput
from motcua.worktime.calendar import LOCAL_TZ, InvalidDuration
from motcua.worktime.constants import DayKind, DurationUnit
from motcua.worktime.services import calendar_for

router = Router(tags=["calendar"])

MAX_AMOUNT = 3650
# Three years, one of them leap: enough for any planning view, small enough to answer at once.
MAX_RANGE_DAYS = 3 * 365 + 1
# The package's compensatory-day rules start in 1995 and its lunar tables end in 2100; outside these years
# the calendar would silently know no holidays.
FIRST_YEAR, LAST_YEAR = 1995, 2100
# `deadline` names its parameters for Python callers; the API names them for the query string.
_QUERY_FIELD_FOR_ARGUMENT = {"amount": "amount", "same_day_cutoff": "cutoff"}


class DeadlineOut(Schema):
    counting_from: str = Field(description="First working moment after receipt, ISO 8601 in +07:00.")
    due: str | None = Field(description="When the result is due, ISO 8601 in +07:00; null if no deadline.")


class NonWorkingDayOut(Schema):
    date: dt.date
    kind: DayKind
    name: str


class WorkingWeekendDayOut(Schema):
    date: dt.date
    name: str


class CalendarDaysOut(Schema):
    non_working_days: list[NonWorkingDayOut]
    working_weekend_days: list[WorkingWeekendDayOut]


def _check_year(field: str, day: dt.date) -> None:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise InvalidInput.field(
            field,
            "out_of_range",
            _("The calendar covers the years %(first)d to %(last)d.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR},
        )


def _parse_start(text: str) -> dt.datetime:
    try:
        start = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise InvalidInput.field(
            "start",
            "invalid_datetime",
            _("Give the time of receipt as ISO 8601, such as 2025-04-24T10:00+07:00."),
        ) from exc
    # Checked as written: converting a date at the edge of the calendar to another offset could overflow.
    _check_year("start", start.date())
    return start if start.tzinfo is not None else start.replace(tzinfo=LOCAL_TZ)


def _parse_cutoff(text: str) -> dt.time:
    try:
        return dt.datetime.strptime(text, "%H:%M").time()
    except ValueError as exc:
        raise InvalidInput.field(
            "cutoff", "invalid_time", _("Give the cut-off as HH:MM, such as 15:00.")
        ) from exc


@router.get("/deadline", response=DeadlineOut, auth=None, summary="Deadline of a dossier")
def deadline(
    request: HttpRequest,
    start: QueryEx[
        str,
        P(
            description="Time of receipt, ISO 8601. Without an offset it is read as Asia/Ho_Chi_Minh local "
            "time; percent-encode the + of an offset (%2B07:00)."
        ),
    ],
    amount: QueryEx[int, P(description=f"Time limit, 0 to {MAX_AMOUNT}.")],
    unit: QueryEx[DurationUnit, P(description="Unit of the time limit.")],
    cutoff: QueryEx[
        str | None,
        P(description="Same-day cut-off HH:MM, for working days: later receipts count from the next day."),
    ] = None,
) -> DeadlineOut:
    """When a dossier received at `start` with a time limit of `amount` `unit` is due in this province.

    Counting starts at the next working moment. A working-time deadline ending at a closing time is reported
    at that closing time; calendar days are reported at the closing time of the date they end on, moved to
    the next working day when that date is not one.
    """
    received_at = _parse_start(start)
    if not 0 <= amount <= MAX_AMOUNT:
        raise InvalidInput.field(
            "amount", "out_of_range", _("The time limit must be from 0 to %(max)d.") % {"max": MAX_AMOUNT}
        )
    same_day_cutoff = _parse_cutoff(cutoff) if cutoff is not None else None
    try:
        result = calendar_for().deadline(received_at, amount, unit, same_day_cutoff)
    except InvalidDuration as exc:
        raise InvalidInput.field(_QUERY_FIELD_FOR_ARGUMENT[exc.argument], exc.code, exc.message) from exc
    return DeadlineOut(
        counting_from=result.counting_from.isoformat(),
        due=result.due.isoformat() if result.due is not None else None,
    )


@router.get("/non-working-days", response=CalendarDaysOut, auth=None, summary="Days off and worked weekends")
def non_working_days(
    request: HttpRequest,
    date_from: QueryEx[dt.date, P(alias="from", description="First date, inclusive.")],
    date_to: QueryEx[dt.date, P(alias="to", description="Last date, inclusive; at most three years on.")],
) -> CalendarDaysOut:
    """Public holidays, compensatory days, swapped days off and days off declared by the province.

    Ordinary Saturdays and Sundays are not listed: they are days off unless listed in `working_weekend_days`.
    """
    _check_year("from", date_from)
    _check_year("to", date_to)
    if date_to < date_from:
        raise InvalidInput.field("to", "before_start", _("The last date comes before the first."))
    if (date_to - date_from).days >= MAX_RANGE_DAYS:
        raise InvalidInput.field("to", "range_too_long", _("Ask for at most three years at a time."))
    calendar = calendar_for()
    return CalendarDaysOut(
        non_working_days=[
            NonWorkingDayOut(date=day, kind=kind, name=name)
            for day, kind, name in calendar.non_working_days(date_from, date_to)
        ],
        working_weekend_days=[
            WorkingWeekendDayOut(date=day, name=name)
            for day, name in calendar.working_weekend_days(date_from, date_to)
        ],
    )
