"""What the indicator, evaluation and scorecard requests name, read and checked once for the API and the
pages: the unit (by identity code, within the caller's scope), a period, a month, a day. Bad input is an
InvalidInput naming the parameter; a unit outside the scope is a PermissionDenied."""

from __future__ import annotations

import datetime as dt
import re

from django.contrib.auth.models import AnonymousUser, User
from django.utils.translation import gettext as _

from motcua.core.errors import InvalidInput, PermissionDenied
from motcua.org.models import Agency
from motcua.org.selectors import agency_by_code, scope_agency_ids, subtree_ids
from motcua.stats.periods import Period, month_period, quarter_period, year_period
from motcua.stats.reporting import EARLIEST_DAY, LATEST_DAY, top_units

PERIOD_PATTERN = re.compile(r"^(\d{4})(?:-(?:Q([1-4])|(0[1-9]|1[0-2])))?$")
MONTH_PATTERN = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def asked_units(user: User | AnonymousUser, unit_code: str | None) -> tuple[Agency, ...]:
    """The unit named (which the user must see), or the units the user holds a role in."""
    if not unit_code:
        tops = top_units(user)
        if not tops:
            raise PermissionDenied(
                _("You hold no role in any agency, so there are no statistics to show you.")
            )
        return tuple(tops)
    unit = agency_by_code(unit_code)
    if unit is None:
        raise InvalidInput.field("unit", "unknown", _("No agency has the identity code %s.") % unit_code)
    if unit.pk not in scope_agency_ids(user):
        raise PermissionDenied(_("You hold no role in %s or above it.") % unit.name)
    return (unit,)


def asked_agency_ids(units: tuple[Agency, ...]) -> frozenset[int]:
    """The units and every agency below them: whose dossiers count."""
    return subtree_ids(unit.pk for unit in units)


def _year_in_range(year: int) -> bool:
    return EARLIEST_DAY.year < year < LATEST_DAY.year


def parse_period(text: str, parameter: str = "period") -> Period:
    """A year (2026), a quarter (2026-Q3) or a month (2026-10), in calendar days: the national portal computes
    the Decision 766 index over calendar periods, not over the cut-off periods of the periodic reports."""
    match = PERIOD_PATTERN.match((text or "").strip().upper())
    if match is None or not _year_in_range(int(match[1])):
        raise InvalidInput.field(
            parameter,
            "invalid",
            _("Give the period as a year (2026), a quarter (2026-Q3) or a month (2026-10)."),
        )
    year = int(match[1])
    if match[2]:
        return quarter_period(year, int(match[2]), cutoff=0)
    if match[3]:
        return month_period(year, int(match[3]), cutoff=0)
    return year_period(year, cutoff=0)


def parse_month(text: str, today: dt.date, parameter: str = "month") -> dt.date:
    """A calendar month written 2026-10, not after the current one: its first day."""
    match = MONTH_PATTERN.match((text or "").strip())
    if match is None or not _year_in_range(int(match[1])):
        raise InvalidInput.field(parameter, "invalid", _("Give the month as 2026-10."))
    month = dt.date(int(match[1]), int(match[2]), 1)
    if month > today:
        raise InvalidInput.field(parameter, "future", _("The month has not begun yet."))
    return month


def parse_days(first: str, last: str) -> Period:
    """A period given by its first and last days (ISO dates), `from` and `to`."""
    days = []
    for parameter, text in (("from", first), ("to", last)):
        try:
            day = dt.date.fromisoformat((text or "").strip())
        except ValueError:
            raise InvalidInput.field(parameter, "invalid", _("Give the day as 2026-10-31.")) from None
        if not EARLIEST_DAY <= day <= LATEST_DAY:
            raise InvalidInput.field(parameter, "out_of_range", _("The day is out of range."))
        days.append(day)
    if days[1] < days[0]:
        raise InvalidInput.field("to", "before_start", _("The end of the period is before its start."))
    return Period(days[0], days[1])
