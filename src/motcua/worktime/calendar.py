"""The legal clock: which days are worked, office hours, and deadline arithmetic.

Pure: nothing here reads the database or the current time, so every rule is a function of its arguments and
can be property-tested. Datetimes in must be timezone-aware; computing and every datetime out are in
Asia/Ho_Chi_Minh, the time of the law (DVCQG dates are local) and of the counter.

A day is worked unless it says otherwise, in this order of precedence:
1. an override declared by the province (typhoon closure, a province's own swap) wins over everything;
2. the `holidays` package's Vietnamese calendar: public holidays, compensatory days (nghỉ bù), and the
   Government's annual swaps, where a Saturday is worked to buy a bridge day off;
3. Saturday and Sunday are days off.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from types import MappingProxyType
from typing import NamedTuple
from zoneinfo import ZoneInfo

import holidays
from django.utils.translation import gettext

from motcua.worktime.constants import DayKind, DurationUnit

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
WEEKEND_DAYS = frozenset({5, 6})
ONE_DAY = timedelta(days=1)
DEFAULT_OFFICE_HOURS_TEXT = "08:00-12:00,13:00-17:00"

# Names come in Vietnamese, the language of the official notices; it is also the package's source language,
# which the recognition of swapped days off below relies on.
HOLIDAY_LANGUAGE = "vi"
# The package names the day off bought by a swap, but not the Saturday worked for it.
SWAPPED_WORKDAY_NAME = "Ngày làm việc bù"

_PERIOD_TEXT = re.compile(r"\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*")


def to_local(moment: datetime) -> datetime:
    """`moment` in Asia/Ho_Chi_Minh; a naive datetime is refused rather than guessed."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{moment!r} has no time zone; the calendar only takes timezone-aware datetimes")
    return moment.astimezone(LOCAL_TZ)


def start_of_day(day: date) -> datetime:
    """Local midnight opening `day`: where a local date begins, for queries on stored moments."""
    return datetime.combine(day, time.min, LOCAL_TZ)


@dataclass(frozen=True)
class OfficeHours:
    """The opening periods of a working day in local wall-clock time, earliest first, whole minutes."""

    periods: tuple[tuple[time, time], ...] = ((time(8), time(12)), (time(13), time(17)))

    def __post_init__(self) -> None:
        if not self.periods:
            raise ValueError("office hours need at least one period")
        previous_end: time | None = None
        for start, end in self.periods:
            if any(t.tzinfo is not None or t.second or t.microsecond for t in (start, end)):
                raise ValueError("office hours are local wall-clock times in whole minutes")
            if start >= end:
                raise ValueError(f"the period {start:%H:%M}-{end:%H:%M} ends before it starts")
            if previous_end is not None and start < previous_end:
                raise ValueError(
                    f"the period {start:%H:%M}-{end:%H:%M} overlaps or precedes the one before it"
                )
            previous_end = end

    @classmethod
    def parse(cls, text: str) -> OfficeHours:
        """Read periods written as "08:00-12:00,13:00-17:00"."""
        periods = []
        for piece in text.split(","):
            match = _PERIOD_TEXT.fullmatch(piece)
            if match is None:
                raise ValueError(f"{piece.strip()!r} is not a period written as HH:MM-HH:MM")
            start_h, start_m, end_h, end_m = (int(group) for group in match.groups())
            try:
                periods.append((time(start_h, start_m), time(end_h, end_m)))
            except ValueError as exc:
                raise ValueError(f"{piece.strip()!r} is not a time of day") from exc
        return cls(tuple(periods))

    @property
    def opening(self) -> time:
        return self.periods[0][0]

    @property
    def closing(self) -> time:
        return self.periods[-1][1]

    @property
    def minutes_per_day(self) -> int:
        return sum(_minute_of_day(end) - _minute_of_day(start) for start, end in self.periods)


def _minute_of_day(moment: time) -> int:
    return moment.hour * 60 + moment.minute


@dataclass(frozen=True)
class Deadline:
    """When the clock started (the first working moment after receipt) and when the result is due."""

    counting_from: datetime
    due: datetime | None


class DayInfo(NamedTuple):
    kind: DayKind
    name: str


class DayOverride(NamedTuple):
    """What a province declares about one date; it wins over the package and the weekend."""

    is_working: bool
    kind: DayKind
    name: str


class NonWorkingDay(NamedTuple):
    day: date
    kind: DayKind
    name: str


class WorkingWeekendDay(NamedTuple):
    day: date
    name: str


class InvalidDuration(ValueError):
    """A duration `deadline` cannot count; `argument` names the parameter at fault for callers to show."""

    def __init__(self, argument: str, code: str, message: str) -> None:
        super().__init__(message)
        self.argument = argument
        self.code = code
        self.message = message


class _PackageYear(NamedTuple):
    days_off: Mapping[date, DayInfo]
    weekend_workdays: frozenset[date]


@functools.lru_cache(maxsize=256)
def _package_year(year: int) -> _PackageYear:
    """The `holidays` package's days off in `year`, typed, and the weekend days it says are worked."""
    observed = holidays.country_holidays("VN", years=year, language=HOLIDAY_LANGUAGE)
    # A day that is only there when observed days are on is a compensatory day (nghỉ bù).
    plain = holidays.country_holidays("VN", years=year, language=HOLIDAY_LANGUAGE, observed=False)
    swap_prefix = observed.substituted_label.split("%s")[0]
    days_off = {}
    for day, name in observed.items():
        if name.startswith(swap_prefix):
            kind = DayKind.SWAPPED_DAY_OFF
        elif day not in plain:
            kind = DayKind.COMPENSATORY
        else:
            kind = DayKind.HOLIDAY
        days_off[day] = DayInfo(kind, name)
    return _PackageYear(MappingProxyType(days_off), frozenset(observed.weekend_workdays))


class WorkingCalendar:
    """Working days and office hours of one province, and the deadline arithmetic on them.

    Holiday years are read from the package on first use and kept for the process, so any date works.
    """

    def __init__(
        self, overrides: Mapping[date, DayOverride] | None = None, office_hours: OfficeHours | None = None
    ) -> None:
        self.office_hours = office_hours or OfficeHours()
        self._overrides = dict(overrides or {})

    # Days

    def day_info(self, day: date) -> DayInfo | None:
        """Why `day` is not worked, or None when it is a working day."""
        override = self._overrides.get(day)
        if override is not None:
            return None if override.is_working else DayInfo(override.kind, override.name)
        package_day = _package_year(day.year).days_off.get(day)
        if package_day is not None:
            return package_day
        if day.weekday() in WEEKEND_DAYS and not self._is_package_weekend_workday(day):
            return DayInfo(DayKind.WEEKEND, "")
        return None

    def is_working_day(self, day: date) -> bool:
        return self.day_info(day) is None

    def non_working_days(self, start: date, end: date) -> list[NonWorkingDay]:
        """Days off from `start` to `end` inclusive, except plain Saturdays and Sundays.

        Ordinary weekends are left out to keep the answer short: a Saturday or Sunday is a day off unless
        `working_weekend_days` lists it. A holiday falling on a weekend is listed.
        """
        listed = []
        for day in _dates(start, end):
            info = self.day_info(day)
            if info is not None and info.kind != DayKind.WEEKEND:
                listed.append(NonWorkingDay(day, info.kind, info.name))
        return listed

    def working_weekend_days(self, start: date, end: date) -> list[WorkingWeekendDay]:
        """Saturdays and Sundays from `start` to `end` inclusive that are worked."""
        listed = []
        for day in _dates(start, end):
            if day.weekday() in WEEKEND_DAYS and self.is_working_day(day):
                override = self._overrides.get(day)
                listed.append(WorkingWeekendDay(day, override.name if override else SWAPPED_WORKDAY_NAME))
        return listed

    def _is_package_weekend_workday(self, day: date) -> bool:
        # A swap is filed under the year of the day off, which may be the year before or after the day
        # worked (the Saturday 27/12/2014 bought Friday 02/01/2015).
        return any(
            day in _package_year(year).weekend_workdays for year in (day.year - 1, day.year, day.year + 1)
        )

    def working_day_on_or_after(self, day: date) -> date:
        """`day` itself when it is worked, else the first working day after it."""
        while not self.is_working_day(day):
            day += ONE_DAY
        return day

    def nth_working_day_after(self, day: date, count: int) -> date:
        """The `count`-th working day after `day` (`day` itself when `count` is 0, worked or not)."""
        if count < 0:
            raise ValueError("cannot step back a negative number of working days")
        for _ in range(count):
            day = self.working_day_on_or_after(day + ONE_DAY)
        return day

    def working_days_after(self, start: date, end: date) -> int:
        """How many working days fall after `start`, up to and including `end`."""
        return sum(self.is_working_day(start + ONE_DAY * n) for n in range(1, (end - start).days + 1))

    # Moments

    def _periods_on(self, day: date) -> list[tuple[datetime, datetime]]:
        if not self.is_working_day(day):
            return []
        return [
            (datetime.combine(day, start, LOCAL_TZ), datetime.combine(day, end, LOCAL_TZ))
            for start, end in self.office_hours.periods
        ]

    def _periods_from(self, moment: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Endless working periods from local `moment` on, the first one cut to start at `moment`.

        At a closing time sharp the first period is the empty one at that instant: no office time is left in
        it, yet adding no time to a due date at 17:00 must leave it at 17:00.
        """
        day = moment.date()
        while True:
            for opening, closing in self._periods_on(day):
                if closing >= moment:
                    yield max(opening, moment), closing
            day += ONE_DAY

    def _closing_on(self, day: date) -> datetime:
        return datetime.combine(day, self.office_hours.closing, LOCAL_TZ)

    def next_working_moment(self, moment: datetime) -> datetime:
        """`moment` itself inside office hours, else the next opening: after lunch, next morning or day."""
        # At a closing time sharp the office is closed: receipt at 17:00 counts from the next opening.
        return next(opening for opening, closing in self._periods_from(to_local(moment)) if opening < closing)

    def add_working_minutes(self, start: datetime, minutes: int) -> datetime:
        """The moment `minutes` of office time after the next working moment from `start`.

        A result that falls exactly on a closing time (12:00, 17:00) stays there rather than moving to the
        next opening: the time is used up at that instant, and a deadline is met by the end of its day. For
        the same reason no time added to a closing time is that closing time.
        """
        if minutes < 0:
            raise ValueError("cannot add a negative number of working minutes")
        remaining = timedelta(minutes=minutes)
        periods = self._periods_from(to_local(start))
        while True:
            opening, closing = next(periods)
            if remaining <= closing - opening:
                return opening + remaining
            remaining -= closing - opening

    def working_minutes_between(self, start: datetime, end: datetime) -> int:
        """Whole minutes of office time from `start` to `end`; negative when `end` comes first."""
        start, end = to_local(start), to_local(end)
        if end < start:
            return -self.working_minutes_between(end, start)
        worked = timedelta()
        periods = self._periods_from(start)
        while True:
            opening, closing = next(periods)
            if opening >= end:
                return worked // timedelta(minutes=1)
            worked += min(closing, end) - opening

    def deadline(
        self,
        received_at: datetime,
        amount: int,
        unit: DurationUnit | str,
        same_day_cutoff: time | None = None,
    ) -> Deadline:
        """When a dossier received at `received_at`, with a time limit of `amount` `unit`, is due.

        The clock starts at the next working moment after receipt. Working hours and working days are office
        time (a working day is a whole day of office hours: Monday 10:00 plus one working day is Tuesday
        10:00). Calendar days count every date and are due at the closing time of the resulting date, pushed
        to the next working day when it is not one: only the date matters for these, and reporting them at
        closing keeps a longer duration from ever being due earlier than a shorter one.

        With `same_day_cutoff` (working days only), `amount` counts whole working days, each due at closing
        time; the day the clock starts is day 1 when it starts before the cut-off.
        """
        unit = DurationUnit(unit)
        if amount < 0:
            raise InvalidDuration("amount", "out_of_range", gettext("The duration cannot be negative."))
        if same_day_cutoff is not None:
            if unit != DurationUnit.WORKING_DAYS:
                raise InvalidDuration(
                    "same_day_cutoff",
                    "not_applicable",
                    gettext("A same-day cut-off applies to durations in working days only."),
                )
            if amount == 0:
                raise InvalidDuration(
                    "amount", "out_of_range", gettext("A same-day cut-off needs at least one working day.")
                )
        counting_from = self.next_working_moment(received_at)
        due: datetime | None
        if unit == DurationUnit.NONE:
            due = None
        elif same_day_cutoff is not None:
            starts_today = counting_from.time() < same_day_cutoff
            due_day = self.nth_working_day_after(counting_from.date(), amount - 1 if starts_today else amount)
            due = self._closing_on(due_day)
        elif unit == DurationUnit.DAYS:
            due = self._closing_on(
                self.working_day_on_or_after(counting_from.date() + timedelta(days=amount))
            )
        elif unit == DurationUnit.WORKING_HOURS:
            due = self.add_working_minutes(counting_from, amount * 60)
        else:
            due = self.add_working_minutes(counting_from, amount * self.office_hours.minutes_per_day)
        return Deadline(counting_from, due)


def _dates(start: date, end: date) -> Iterator[date]:
    day = start
    while day <= end:
        yield day
        day += ONE_DAY


# Durations in words. The texts are data rather than gettext messages so that one rule serves both languages.


class _Wording(NamedTuple):
    day: tuple[str, str]
    hour: tuple[str, str]
    minute: tuple[str, str]
    left: str
    overdue: str
    just_overdue: str
    due_today: str


_WORDINGS = {
    "vi": _Wording(
        ("ngày", "ngày"),
        ("giờ", "giờ"),
        ("phút", "phút"),
        "còn {}",
        "quá hạn {}",
        "quá hạn",
        "đến hạn hôm nay",
    ),
    "en": _Wording(
        ("day", "days"),
        ("hour", "hours"),
        ("minute", "minutes"),
        "{} left",
        "overdue by {}",
        "overdue",
        "due today",
    ),
}


def _wording(language: str) -> _Wording:
    """The wording for a language code such as "vi", "en" or "en-us"; Vietnamese, the default, otherwise."""
    return _WORDINGS.get(re.split(r"[-_]", language)[0].lower(), _WORDINGS["vi"])


def _quantity(count: int, forms: tuple[str, str]) -> str:
    return f"{count} {forms[0] if count == 1 else forms[1]}"


def format_working_duration(minutes: int, minutes_per_day: int, language: str) -> str:
    """Working time in days and hours ("2 ngày 3 giờ", "2 days 3 hours"); in minutes under an hour."""
    if minutes < 0 or minutes_per_day <= 0:
        raise ValueError("a duration and the length of a working day cannot be negative")
    wording = _wording(language)
    if minutes < 60:
        return _quantity(minutes, wording.minute)
    days, rest = divmod(minutes, minutes_per_day)
    return " ".join(
        _quantity(n, forms) for n, forms in ((days, wording.day), (rest // 60, wording.hour)) if n
    )


def describe_remaining(
    minutes: int, minutes_per_day: int, language: str, past_due: bool = False, overdue: bool = True
) -> str:
    """Working time left before a deadline ("còn 2 ngày 3 giờ"), or how far past it is ("quá hạn 1 ngày").

    `past_due` says the due moment has passed on the clock: after hours or over a weekend no working minute
    may have gone by yet, and the dossier is late all the same ("quá hạn", never "còn 0 phút"). `overdue`
    False says it is past the moment but still within its due day, which counts as within the deadline
    (dossiers.punctuality): "đến hạn hôm nay"."""
    wording = _wording(language)
    if (past_due or minutes < 0) and not overdue:
        return wording.due_today
    if past_due and minutes >= 0:
        return wording.just_overdue
    template = wording.left if minutes >= 0 else wording.overdue
    return template.format(format_working_duration(abs(minutes), minutes_per_day, language))
