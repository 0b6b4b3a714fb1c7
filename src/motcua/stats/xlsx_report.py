"""Biểu 06 / 06a as a spreadsheet: the form's heading, its grouped column headings as merged cells, numbers
as numbers, the total row, and the headings frozen while the rows scroll."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from motcua.core.spreadsheets import workbook_bytes
from motcua.stats.counters import RATE_DECIMALS
from motcua.stats.reporting import (
    CIRCULAR,
    COLUMN_COUNT,
    HEADER_ROWS,
    IDENTITY_NOTE,
    MEASURE,
    NUMBER_HEADING,
    ROW_HEADINGS,
    TITLE,
    TOTAL_LEGAL,
    VALUE_COLUMNS,
    HeaderCell,
    PeriodicReport,
    Value,
    period_text,
)

# The form's heading takes the first rows; the table's headings start below it.
FIRST_HEADER_ROW = 7
NUMBER_WIDTH, NAME_WIDTH, VALUE_WIDTH = 6, 42, 12
RATE_FORMAT = "0." + "0" * RATE_DECIMALS
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTRED = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _merged(sheet: Worksheet, row: int, text: str, font: Font, alignment: Alignment) -> None:
    """A line of the form's heading across the whole table."""
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=COLUMN_COUNT)
    cell = sheet.cell(row=row, column=1, value=text)
    cell.font, cell.alignment = font, alignment


def _place_headings(sheet: Worksheet, rows: tuple[tuple[HeaderCell, ...], ...]) -> None:
    """Each heading in the first free cell of its row, merged over its span, as an HTML table lays it out."""
    taken: set[tuple[int, int]] = set()
    for offset, cells in enumerate(rows):
        row, column = FIRST_HEADER_ROW + offset, 1
        for heading in cells:
            while (row, column) in taken:
                column += 1
            last_row, last_column = row + heading.rowspan - 1, column + heading.colspan - 1
            taken |= {(r, c) for r in range(row, last_row + 1) for c in range(column, last_column + 1)}
            if (last_row, last_column) != (row, column):
                sheet.merge_cells(
                    start_row=row, start_column=column, end_row=last_row, end_column=last_column
                )
            sheet.cell(row=row, column=column, value=heading.legal)
            column = last_column + 1


def _line(sheet: Worksheet, row: int, number: int | None, name: str, values: tuple[Value, ...]) -> None:
    sheet.cell(row=row, column=1, value=number)
    sheet.cell(row=row, column=2, value=name)
    for column, value in enumerate(values, 3):
        cell = sheet.cell(row=row, column=column, value=value)
        if VALUE_COLUMNS[column - 3] == "on_time_rate":
            cell.number_format = RATE_FORMAT
    for cell in sheet[row]:
        cell.border = BOX


def report_xlsx(report: PeriodicReport) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = f"Biểu {report.form_number.split('/')[0]}"
    bold, italic = Font(bold=True), Font(italic=True)
    left = Alignment(horizontal="left")
    sheet.cell(row=1, column=1, value=f"Biểu số {report.form_number}").font = bold
    sheet.cell(row=2, column=1, value=f"Ban hành kèm theo {CIRCULAR}").font = italic
    _merged(sheet, 3, TITLE, Font(bold=True, size=13), CENTRED)
    _merged(sheet, 4, period_text(report.period), italic, CENTRED)
    _merged(sheet, 5, f"Đơn vị báo cáo: {report.unit_name}", bold, CENTRED)
    _merged(sheet, 6, MEASURE, italic, Alignment(horizontal="right"))
    sheet.row_dimensions[3].height = 36

    # STT and the row names span every heading row; the value columns' headings follow the form.
    depth = len(HEADER_ROWS)
    first_row = (
        HeaderCell(NUMBER_HEADING.legal, NUMBER_HEADING.label, rowspan=depth),
        HeaderCell(ROW_HEADINGS[report.by].legal, ROW_HEADINGS[report.by].label, rowspan=depth),
        *HEADER_ROWS[0],
    )
    _place_headings(sheet, (first_row, *HEADER_ROWS[1:]))
    numbers_row = FIRST_HEADER_ROW + depth
    for column in range(1, COLUMN_COUNT + 1):
        sheet.cell(row=numbers_row, column=column, value=f"({column})").font = italic
    for row in sheet.iter_rows(min_row=FIRST_HEADER_ROW, max_row=numbers_row, max_col=COLUMN_COUNT):
        for cell in row:
            cell.alignment, cell.border = CENTRED, BOX
            if cell.row < numbers_row:
                cell.font = bold

    row = numbers_row + 1
    for number, line in enumerate(report.lines, 1):
        _line(sheet, row, number, line.name, line.values)
        row += 1
    _line(sheet, row, None, TOTAL_LEGAL, report.total_values)
    for cell in sheet[row]:
        cell.font = bold
    sheet.cell(row=row + 1, column=1, value=f"Ghi chú: {IDENTITY_NOTE}").font = italic
    sheet.cell(row=row + 1, column=1).alignment = left

    sheet.freeze_panes = sheet.cell(row=numbers_row + 1, column=3)
    widths = (NUMBER_WIDTH, NAME_WIDTH, *(VALUE_WIDTH,) * len(VALUE_COLUMNS))
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    return workbook_bytes(workbook)
