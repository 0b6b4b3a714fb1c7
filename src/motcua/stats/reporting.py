"""The periodic report of TTHC handling as officials read, print and sign it: Biểu 06 (rows by field) and
Biểu 06a (rows by unit) of Circular 01/2020/TT-VPCP (DOMAIN.md §10), for a unit the user may see.

The numbers come from `report.handling_report` (the rollups); this module checks who asks for what, names the
rows, orders them as the form does, and describes the form's columns once for the page, the PDF and the
spreadsheet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal, get_args

from django.contrib.auth.models import AnonymousUser, User
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.catalog.models import Field
from motcua.core.errors import FieldProblem, InvalidInput, PermissionDenied
from motcua.org.models import Agency
from motcua.org.selectors import (
    agency_by_code,
    agency_by_id,
    ancestor_ids,
    roles_by_agency,
    scope_agency_ids,
    subtree_ids,
)
from motcua.printing.forms import Heading, heading, person_name
from motcua.printing.render import render_pdf
from motcua.printing.wording import place_and_day
from motcua.stats.counters import RATE_DECIMALS
from motcua.stats.periods import Period, cutoff_day, month_end, reporting_period
from motcua.stats.report import By, Counts, handling_report

MAX_PERIOD_YEARS = 5
# The days a report may name: wide enough for any archive, narrow enough that the rollups' calendar
# arithmetic (a year after the last one) never leaves the dates Python knows.
EARLIEST_DAY = dt.date(1900, 1, 1)
LATEST_DAY = dt.date(2999, 12, 31)

Preset = Literal[
    "this_month",
    "last_month",
    "this_quarter",
    "last_quarter",
    "this_half",
    "last_half",
    "this_year",
    "last_year",
]
PRESETS: tuple[Preset, ...] = get_args(Preset)
PRESET_MONTHS = {"month": 1, "quarter": 3, "half": 6, "year": 12}

# --- the form as the circular prints it ---------------------------------------------------------------------

CIRCULAR = "Thông tư số 01/2020/TT-VPCP ngày 21/10/2020"
TITLE = (
    "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH "
    "TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
)
FORM_NUMBERS: dict[str, str] = {"field": "06/VPCP/KSTT", "unit": "06a/VPCP/KSTT"}
MEASURE = "Đơn vị tính: Số hồ sơ TTHC"
TOTAL_LEGAL = "Tổng cộng"


@dataclass(frozen=True)
class HeaderCell:
    """A heading of the form's table: its Vietnamese wording, the page's (translated) one, and its span."""

    legal: str
    label: Promise
    colspan: int = 1
    rowspan: int = 1

    @property
    def scope(self) -> str:
        return "colgroup" if self.colspan > 1 else "col"


NUMBER_HEADING = HeaderCell("STT", gettext_lazy("No."))
ROW_HEADINGS: dict[str, HeaderCell] = {
    "field": HeaderCell("Lĩnh vực, công việc giải quyết", gettext_lazy("Field")),
    "unit": HeaderCell("Cơ quan, đơn vị giải quyết", gettext_lazy("Unit")),
}
# The headings above the value columns, row by row, as Biểu 06 groups them; the on-time rate is not on the
# form but is what a leader reads first, so it closes the table.
HEADER_ROWS: tuple[tuple[HeaderCell, ...], ...] = (
    (
        HeaderCell("Số hồ sơ nhận giải quyết", gettext_lazy("Dossiers to handle"), colspan=4),
        HeaderCell("Số hồ sơ đã giải quyết", gettext_lazy("Dossiers resolved"), colspan=4),
        HeaderCell("Số hồ sơ đang giải quyết", gettext_lazy("Dossiers pending"), colspan=3),
        HeaderCell("Tỷ lệ giải quyết đúng hạn (%)", gettext_lazy("Resolved in time (%)"), rowspan=3),
    ),
    (
        HeaderCell("Tổng số", gettext_lazy("Total"), rowspan=2),
        HeaderCell("Trong đó", gettext_lazy("Newly received"), colspan=2),
        HeaderCell("Từ kỳ trước", gettext_lazy("Carried over"), rowspan=2),
        HeaderCell("Tổng số", gettext_lazy("Total"), rowspan=2),
        HeaderCell("Trước hạn", gettext_lazy("Early"), rowspan=2),
        HeaderCell("Đúng hạn", gettext_lazy("On time"), rowspan=2),
        HeaderCell("Quá hạn", gettext_lazy("Late"), rowspan=2),
        HeaderCell("Tổng số", gettext_lazy("Total"), rowspan=2),
        HeaderCell("Trong hạn", gettext_lazy("Within the deadline"), rowspan=2),
        HeaderCell("Quá hạn", gettext_lazy("Overdue"), rowspan=2),
    ),
    (
        HeaderCell("Trực tuyến", gettext_lazy("Online")),
        HeaderCell("Trực tiếp, dịch vụ bưu chính", gettext_lazy("At the counter or by post")),
    ),
)
# The value columns under those headings, left to right. The form's first total counts every dossier the
# period had to handle: those carried over and those newly received.
VALUE_COLUMNS = (
    "to_handle",
    "received_online",
    "received_direct",
    "carried_over",
    "resolved_total",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "pending_total",
    "pending_within",
    "pending_overdue",
    "on_time_rate",
)
# The columns numbered (1)…(n) under the headings, and the form's identity written with those numbers.
COLUMN_COUNT = 2 + len(VALUE_COLUMNS)
IDENTITY_NOTE = "(3) = (4) + (5) + (6) = (7) + (11)"

Value = int | float | None


def column_values(counts: Counts) -> tuple[Value, ...]:
    """One line's cells in the order of `VALUE_COLUMNS`."""
    cells = counts.as_dict() | {"to_handle": counts.carried_over + counts.received_total}
    return tuple(cells[column] for column in VALUE_COLUMNS)


class UnbalancedReport(RuntimeError):
    """A line breaks the form's identity. The rollups are built so that this cannot happen; if it does they
    disagree with the dossiers, and `motcua stats verify` says where."""


# --- the report ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportLine:
    key: str  # the field's code or the agency's identity code
    name: str
    counts: Counts

    @property
    def values(self) -> tuple[Value, ...]:
        return column_values(self.counts)


@dataclass(frozen=True)
class PeriodicReport:
    by: By
    period: Period
    units: tuple[Agency, ...]  # the units reported on, each with every agency below it
    lines: tuple[ReportLine, ...]
    total: Counts
    generated_at: dt.datetime

    @property
    def unit(self) -> Agency | None:
        """The reporting unit, when the report is about one unit."""
        return self.units[0] if len(self.units) == 1 else None

    @property
    def unit_name(self) -> str:
        return "; ".join(unit.name for unit in self.units)

    @property
    def form_number(self) -> str:
        return FORM_NUMBERS[self.by]

    @property
    def total_values(self) -> tuple[Value, ...]:
        return column_values(self.total)


def tree_key(agency_id: int) -> tuple[str, ...]:
    """Sorts agencies as the organisation chart reads them: each one followed by those below it, each level
    by identity code."""
    return tuple(agency_by_id(a).identity_code for a in reversed(ancestor_ids(agency_id)))


def top_units(user: User | AnonymousUser) -> list[Agency]:
    """The agencies the user holds a role in that are not below another one they hold a role in: the roots
    of their scope, by name."""
    held = roles_by_agency(user).keys()
    tops = [a for a in held if not any(parent in held for parent in ancestor_ids(a)[1:])]
    return sorted((agency_by_id(a) for a in tops), key=lambda agency: agency.name)


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def _period_problems(first: dt.date, last: dt.date) -> list[FieldProblem]:
    problems = [
        FieldProblem(
            name,
            "out_of_range",
            _("Reports cover the days from %(first)s to %(last)s.")
            % {"first": f"{EARLIEST_DAY:%d/%m/%Y}", "last": f"{LATEST_DAY:%d/%m/%Y}"},
        )
        for name, day in (("from", first), ("to", last))
        if not EARLIEST_DAY <= day <= LATEST_DAY
    ]
    if problems:
        return problems
    if last < first:
        return [FieldProblem("to", "before_start", _("The end of the period is before its start."))]
    if last >= _add_years(first, MAX_PERIOD_YEARS):
        message = _("A report covers at most %d years.") % MAX_PERIOD_YEARS
        return [FieldProblem("to", "too_long", message)]
    return []


def _units(user: User | AnonymousUser, unit_code: str | None) -> tuple[Agency, ...]:
    """The units to report on, or a problem with the one asked for."""
    if unit_code is None:
        tops = top_units(user)
        if not tops:
            raise PermissionDenied(_("You hold no role in any agency, so there is no report to show you."))
        return tuple(tops)
    unit = agency_by_code(unit_code)
    if unit is None:
        raise InvalidInput.field("unit", "unknown", _("No agency has the identity code %s.") % unit_code)
    return (unit,)


def _field_names(field_ids: set[int]) -> dict[int, tuple[str, str]]:
    rows = Field.objects.filter(pk__in=field_ids).values_list("pk", "code", "name")
    return {pk: (code, name) for pk, code, name in rows}


def _lines(by: By, rows: dict[int, Counts]) -> list[ReportLine]:
    if by == "field":
        fields = _field_names(set(rows))
        lines = [ReportLine(*fields[pk], counts) for pk, counts in rows.items()]
        return sorted(lines, key=lambda line: line.key)
    ordered = sorted(rows, key=tree_key)
    return [ReportLine(agency_by_id(pk).identity_code, agency_by_id(pk).name, rows[pk]) for pk in ordered]


def _checked(line: str, counts: Counts) -> None:
    if not counts.balanced:
        raise UnbalancedReport(
            f"Biểu 06, line {line}: carried over {counts.carried_over} + received {counts.received_total} "
            f"≠ resolved {counts.resolved_total} + pending {counts.pending_total}"
        )


def periodic_report(
    user: User | AnonymousUser, unit_code: str | None, first: dt.date, last: dt.date, by: By = "field"
) -> PeriodicReport:
    """Biểu 06 (`by="field"`) or 06a (`by="unit"`) of `unit_code` and every agency below it, from `first` to
    `last` (local dates, inclusive); `unit_code=None` reports on every unit the user may see."""
    problems = _period_problems(first, last)
    if by not in FORM_NUMBERS:
        problems.append(FieldProblem("by", "invalid", _("Rows are by field or by unit.")))
    try:
        units = _units(user, unit_code)
    except InvalidInput as error:
        problems = error.errors + problems
    if problems:
        raise InvalidInput(_("The report cannot be made as asked."), problems)
    scope = scope_agency_ids(user)
    for unit in units:
        if unit.pk not in scope:
            message = _("You hold no role in %s or above it.") % unit.name
            raise PermissionDenied(message, [FieldProblem("unit", "out_of_scope", message)])
    report = handling_report(subtree_ids(u.pk for u in units), Period(first, last), by)
    lines = _lines(by, report.rows)
    for line in lines:
        _checked(line.key, line.counts)
    _checked(TOTAL_LEGAL, report.total)
    return PeriodicReport(by, report.period, units, tuple(lines), report.total, timezone.now())


# --- standard periods ---------------------------------------------------------------------------------------


def _reporting_month(today: dt.date, cutoff: int) -> tuple[int, int]:
    """The month whose reporting period holds `today`: past the cut-off day, next month's has begun."""
    if cutoff and today.day > cutoff:
        following = month_end(today) + dt.timedelta(days=1)
        return following.year, following.month
    return today.year, today.month


def standard_period(preset: Preset, today: dt.date, cutoff: int | None = None) -> Period:
    """This or the last month, quarter, half-year or year, cut off on the configured day. A period still
    running ends today: its pending dossiers are counted as they stand, not as they might stand at its end."""
    cutoff = cutoff_day() if cutoff is None else cutoff
    which, length = preset.split("_")
    months = PRESET_MONTHS[length]
    year, month = _reporting_month(today, cutoff)
    index = (year * 12 + month - 1) // months - (which == "last")
    first_year, first_month = divmod(index * months, 12)
    period = reporting_period(first_year, first_month + 1, months, cutoff)
    return Period(period.first, min(period.last, today))


# --- the printed form ---------------------------------------------------------------------------------------

PREPARER = "Người lập biểu"
PREPARER_NOTE = "(Ký, ghi rõ họ tên)"
HEAD_OF_UNIT = "Thủ trưởng cơ quan, đơn vị"
HEAD_OF_UNIT_NOTE = "(Ký, ghi rõ họ tên, đóng dấu)"


def vietnamese_number(value: Value) -> str:
    """A cell as Vietnamese documents write numbers: 1.234 and 66,7; an empty rate stays empty."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.{RATE_DECIMALS}f}".rstrip("0").rstrip(".").replace(".", ",")
    return f"{value:,}".replace(",", ".")


def period_text(period: Period) -> str:
    return f"Kỳ báo cáo: từ ngày {period.first:%d/%m/%Y} đến ngày {period.last:%d/%m/%Y}"


def _heading(report: PeriodicReport) -> Heading:
    day = timezone.localtime(report.generated_at).date()
    if report.unit is not None:
        return heading(report.unit, day)
    return Heading(parent="", unit=report.unit_name, place_and_day=place_and_day(report.units[0], day))


def report_pdf(report: PeriodicReport, preparer: User) -> bytes:
    """The form to print, sign and stamp: always in Vietnamese, A4 landscape, prepared by `preparer`."""
    context = {
        "report": report,
        "form_number": f"Biểu số {report.form_number}",
        "circular": f"Ban hành kèm theo {CIRCULAR}",
        "heading": _heading(report),
        "title": TITLE,
        "period": period_text(report.period),
        "measure": MEASURE,
        "number_heading": NUMBER_HEADING,
        "row_heading": ROW_HEADINGS[report.by],
        "header_rows": HEADER_ROWS,
        "column_numbers": range(1, COLUMN_COUNT + 1),
        "value_columns": VALUE_COLUMNS,
        "lines": [
            (number, line.name, [vietnamese_number(v) for v in line.values])
            for number, line in enumerate(report.lines, 1)
        ],
        "total": (TOTAL_LEGAL, [vietnamese_number(v) for v in report.total_values]),
        "identity_note": f"Ghi chú: {IDENTITY_NOTE}",
        "preparer": (PREPARER, PREPARER_NOTE, person_name(preparer)),
        "head_of_unit": (HEAD_OF_UNIT, HEAD_OF_UNIT_NOTE),
    }
    return render_pdf("stats/report_pdf.html", context)
