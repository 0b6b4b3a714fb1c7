"""Spreadsheets that are safe to open: no cell we write is ever read as a formula (issue 10, finding 4).

A text that starts with `=`, `+`, `-` or `@` (or a tab or carriage return, which some programs strip before
reading one of those) is a formula to Excel and LibreOffice: an applicant named `=HYPERLINK("http://evil",
"x")` would become a live link in the tracking book of the officer who opens it. openpyxl itself stores any
text starting with `=` as a formula. Every .xlsx export goes through `workbook_bytes`, which marks each such
text as plain text (stored as a string, with Excel's "quote prefix" so that editing the cell keeps it text).
Numbers, dates and booleans are left as they are: a negative number is a number, not a formula.
"""

from __future__ import annotations

import io

from openpyxl import Workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def neutralise_formulas(workbook: Workbook) -> int:
    """Mark every text cell that a spreadsheet would read as a formula as text; how many there were."""
    count = 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if is_formula_like(cell.value):
                    cell.data_type = "s"
                    cell.quotePrefix = True
                    count += 1
    return count


def workbook_bytes(workbook: Workbook) -> bytes:
    """The .xlsx file of `workbook`, with every formula-like text written as text."""
    neutralise_formulas(workbook)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
