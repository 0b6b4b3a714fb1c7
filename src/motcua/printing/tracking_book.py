"""The tracking book (Sổ theo dõi hồ sơ, Mẫu 06/2018 = 07/2025): the dossiers a unit received in a period,
with the dates of each hand-over, on screen, as PDF and as a spreadsheet."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from motcua.core.errors import InvalidInput, PermissionDenied
from motcua.core.spreadsheets import workbook_bytes
from motcua.dossiers.lifecycle import ActionName, is_open
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.punctuality import dossier_outcome, dossier_overdue
from motcua.org.models import Agency
from motcua.org.selectors import agency_by_code, agency_by_id, scope_agency_ids
from motcua.printing.catalogue import CATALOGUE
from motcua.printing.forms import form_head
from motcua.printing.registry import form_in_force
from motcua.printing.render import render_pdf
from motcua.printing.wording import PUNCTUALITY, short_moment
from motcua.worktime.calendar import start_of_day, to_local
from motcua.worktime.constants import Punctuality

# A book is kept per year at most: longer periods are several books (and a heavy query).
MAX_PERIOD_DAYS = 366
# The model records no count of sets; a dossier is one set.
SETS_PER_DOSSIER = 1
HAND_OVER_ACTIONS = (ActionName.FORWARD, ActionName.TRANSFER)
BOOK_ACTIONS = (*HAND_OVER_ACTIONS, ActionName.ISSUE_RESULT, ActionName.WITHDRAW, ActionName.STOP)

# The columns of the book, in the form's order; the five dates sit under one "Ngày, tháng, năm" heading.
LEADING_COLUMNS = (
    "STT",
    "Mã hồ sơ",
    "Tên thủ tục hành chính",
    "Số lượng hồ sơ (bộ)",
    "Tên cá nhân, tổ chức",
    "Địa chỉ, số điện thoại",
    "Cơ quan chủ trì giải quyết",
)
DATE_COLUMNS = (
    "Nhận hồ sơ",
    "Hẹn trả kết quả",
    "Chuyển hồ sơ đến cơ quan giải quyết",
    "Nhận kết quả từ cơ quan giải quyết",
    "Trả kết quả cho cá nhân, tổ chức",
)
NOTE_COLUMN = "Ghi chú"
# Widths of the spreadsheet's columns, in characters.
COLUMN_WIDTHS = (6, 26, 40, 10, 26, 34, 30, 17, 17, 17, 17, 17, 30)


@dataclass(frozen=True)
class TrackingBookRow:
    number: int
    code: str
    procedure: str
    sets: int
    applicant: str
    address_phone: str
    agency: str
    received_at: dt.datetime
    appointment_at: dt.datetime | None
    transferred_at: dt.datetime | None
    result_back_at: dt.datetime | None
    returned_at: dt.datetime | None
    note: str

    @property
    def dates(self) -> tuple[dt.datetime | None, ...]:
        return (
            self.received_at,
            self.appointment_at,
            self.transferred_at,
            self.result_back_at,
            self.returned_at,
        )


@dataclass(frozen=True)
class TrackingBook:
    unit: Agency
    start: dt.date
    end: dt.date
    rows: list[TrackingBookRow]


def _check_period(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise InvalidInput.field("end", "before_start", _("The end of the period is before its start."))
    if (end - start).days + 1 > MAX_PERIOD_DAYS:
        raise InvalidInput.field(
            "end", "too_long", _("A tracking book covers at most %d days.") % MAX_PERIOD_DAYS
        )


@dataclass
class _History:
    """What the book reads of one dossier's events."""

    transferred_at: dt.datetime | None = None
    result_back_at: dt.datetime | None = None
    withdrawn: bool = False
    stopped: bool = False


def _received(unit: Agency, start: dt.date, end: dt.date, prefix: str = "") -> dict[str, Any]:
    """The filter of the dossiers `unit` received in the period (`prefix` reaches them from another model)."""
    return {
        f"{prefix}receiving_unit_id": unit.pk,
        f"{prefix}received_at__gte": start_of_day(start),
        f"{prefix}received_at__lt": start_of_day(end + dt.timedelta(days=1)),
    }


def _histories(unit: Agency, start: dt.date, end: dt.date) -> dict[int, _History]:
    histories: dict[int, _History] = defaultdict(_History)
    events = (
        DossierEvent.objects.filter(action__in=BOOK_ACTIONS, **_received(unit, start, end, "dossier__"))
        .order_by("at", "id")
        .values_list("dossier_id", "action", "at", "data")
    )
    for dossier_id, action, at, data in events:
        history = histories[dossier_id]
        if action in HAND_OVER_ACTIONS:
            # The first time the dossier leaves the receiving unit (a step elsewhere, or a transfer).
            if history.transferred_at is None and data.get("unit") not in ("", None, unit.identity_code):
                history.transferred_at = at
        elif action == ActionName.ISSUE_RESULT:
            history.result_back_at = at
        elif action == ActionName.WITHDRAW:
            history.withdrawn = True
        else:
            history.stopped = True
    return histories


def _note(dossier: Dossier, history: _History, now: dt.datetime) -> str:
    parts = []
    if history.withdrawn:
        parts.append("Rút hồ sơ")
    elif history.stopped:
        parts.append("Dừng giải quyết")
    elif (outcome := dossier_outcome(dossier.status, dossier.finished_at, dossier.due_at)) is not None:
        parts.append(PUNCTUALITY[outcome])
    elif dossier_overdue(dossier.status, dossier.due_at, now):
        parts.append(PUNCTUALITY[Punctuality.LATE])
    if is_open(dossier.status) and dossier.supplement_requested_at is not None:
        parts.append("Chờ bổ sung hồ sơ")
    if dossier.new_appointment_at is not None:
        parts.append(f"Đã xin lỗi, hẹn lại {short_moment(dossier.new_appointment_at)}")
    return "; ".join(parts)


def tracking_book(user: User | AnonymousUser, unit_code: str, start: dt.date, end: dt.date) -> TrackingBook:
    """The dossiers `unit_code` received from `start` to `end` (local dates, inclusive), by time of receipt.

    Two queries whatever the number of rows: the dossiers, then the events the dates come from."""
    unit = agency_by_code(unit_code)
    if unit is None:
        raise InvalidInput.field("unit", "unknown", _("No agency has the identity code %s.") % unit_code)
    _check_period(start, end)
    if unit.pk not in scope_agency_ids(user):
        raise PermissionDenied(_("You hold no role in %s or above it.") % unit.name)
    dossiers = (
        Dossier.objects.filter(**_received(unit, start, end))
        .select_related("procedure_version")
        .order_by("received_at", "id")
    )
    histories = _histories(unit, start, end)
    now = timezone.now()
    rows = []
    for number, dossier in enumerate(dossiers, 1):
        history = histories[dossier.pk]
        assert dossier.received_at is not None, "the book selects dossiers by their receipt time"
        rows.append(
            TrackingBookRow(
                number=number,
                code=dossier.code,
                procedure=dossier.procedure_version.name,
                sets=SETS_PER_DOSSIER,
                applicant=dossier.applicant_name,
                address_phone="; ".join(p for p in (dossier.applicant_address, dossier.applicant_phone) if p),
                agency=agency_by_id(dossier.competent_authority_id).name,
                received_at=dossier.received_at,
                appointment_at=dossier.due_at,
                transferred_at=history.transferred_at,
                result_back_at=history.result_back_at,
                returned_at=dossier.returned_at,
                note=_note(dossier, history, now),
            )
        )
    return TrackingBook(unit, start, end, rows)


def tracking_book_pdf(book: TrackingBook) -> bytes:
    # The numbering of the circular in force when the period closes: the book is closed and printed then.
    form = form_in_force("tracking-book", book.end)
    context = form_head(form, book.unit, timezone.localdate()) | {
        "book": book,
        "period": f"Từ ngày {book.start:%d/%m/%Y} đến ngày {book.end:%d/%m/%Y}",
        "leading_columns": LEADING_COLUMNS,
        "date_columns": DATE_COLUMNS,
        "note_column": NOTE_COLUMN,
        "column_count": len(LEADING_COLUMNS) + len(DATE_COLUMNS) + 1,
        "rows": [{"row": row, "dates": [short_moment(d) for d in row.dates]} for row in book.rows],
    }
    return render_pdf(CATALOGUE["tracking-book"].template_name, context)


def _excel_moment(moment: dt.datetime | None) -> dt.datetime | None:
    # Excel has no time zones: the cell holds the local wall-clock time, as the counter reads it.
    return to_local(moment).replace(tzinfo=None) if moment is not None else None


def tracking_book_xlsx(book: TrackingBook) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Sổ theo dõi hồ sơ"
    sheet.append([*LEADING_COLUMNS, *DATE_COLUMNS, NOTE_COLUMN])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    first_date_column = len(LEADING_COLUMNS) + 1
    for row in book.rows:
        sheet.append(
            [
                row.number,
                row.code,
                row.procedure,
                row.sets,
                row.applicant,
                row.address_phone,
                row.agency,
                *(_excel_moment(d) for d in row.dates),
                row.note,
            ]
        )
        for cell in sheet[sheet.max_row][first_date_column - 1 : first_date_column - 1 + len(DATE_COLUMNS)]:
            cell.number_format = "dd/mm/yyyy hh:mm"
    sheet.freeze_panes = "A2"
    for index, width in enumerate(COLUMN_WIDTHS, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    return workbook_bytes(workbook)
