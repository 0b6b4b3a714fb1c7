"""Formula-like texts are written as text; numbers stay numbers (issue 10, finding 4)."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook

from motcua.core.spreadsheets import workbook_bytes

FORMULAS = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1+1", "\r=1+1", '=HYPERLINK("x","y")']


@pytest.mark.parametrize("text", FORMULAS)
def test_a_formula_like_text_is_read_back_as_the_same_text(text):
    workbook = Workbook()
    workbook.active.append([text, -5, 2.5, dt.date(2026, 3, 1), "Nguyễn Văn A", "a=b"])

    sheet = load_workbook(io.BytesIO(workbook_bytes(workbook))).active
    cells = sheet[1]

    # Some XML parsers read a carriage return back as a line feed (openpyxl's own), others keep it (lxml).
    assert cells[0].value in (text, text.replace("\r", "\n"))
    assert cells[0].data_type == "s" and cells[0].quotePrefix
    assert cells[1].value == -5 and cells[1].data_type == "n"
    assert cells[2].value == 2.5
    assert cells[3].value.date() == dt.date(2026, 3, 1)
    assert cells[4].value == "Nguyễn Văn A" and not cells[4].quotePrefix
    assert cells[5].value == "a=b" and not cells[5].quotePrefix
