"""The tracking book (Mẫu 06/2018 = 07/2025): a unit's received dossiers in a period, with the dates of each
hand-over, as rows, PDF and spreadsheet; and who may keep it."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from motcua.core.errors import InvalidInput, PermissionDenied
from motcua.printing.tests.conftest import act, at, page_size, pdf_text, receive, user
from motcua.printing.tracking_book import tracking_book, tracking_book_pdf, tracking_book_xlsx

MARCH = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))


@pytest.fixture
def book_world(office):
    """Two dossiers the centre received in March 2026 (one returned, one left late), one it received in
    February and one the commune received in March."""
    returned = receive(office, at("2026-03-02 09:00"))
    act("counter", returned.code, "forward", at("2026-03-02 09:30"))
    act("specialist", returned.code, "forward", at("2026-03-02 14:00"))
    act("leader", returned.code, "forward", at("2026-03-03 10:00"))
    act("leader", returned.code, "issue_result", at("2026-03-04 11:00"))
    act("counter", returned.code, "return_result", at("2026-03-05 08:30"), recipient_name="Nguyễn Thị Mai")
    late = receive(office, at("2026-03-03 10:00"))
    receive(office, at("2026-02-27 16:00"))
    receive(office, at("2026-03-02 10:00"), officer="counter_commune")
    return office, returned, late


def centre_book(office, username="counter", period=MARCH):
    with time_machine.travel(at("2026-03-10 09:00"), tick=False):
        return tracking_book(user(username), office.centre.identity_code, *period)


def test_the_book_lists_what_the_unit_received_in_the_period_with_its_dates(book_world):
    office, returned, late = book_world
    book = centre_book(office)
    assert [(r.number, r.code) for r in book.rows] == [(1, returned.code), (2, late.code)]
    first, second = book.rows
    assert (first.procedure, first.sets, first.applicant, first.agency) == (
        "Đăng ký khai sinh",
        1,
        "Nguyễn Thị Mai",
        "Sở Tư pháp",
    )
    assert first.address_phone == "1 Phố Huế, Hà Nội; 0912345678"
    assert [first.received_at, first.appointment_at] == [at("2026-03-02 09:00"), at("2026-03-05 09:00")]
    assert [first.transferred_at, first.result_back_at, first.returned_at] == [
        at("2026-03-02 09:30"),
        at("2026-03-04 11:00"),
        at("2026-03-05 08:30"),
    ]
    assert first.note == "Trước hạn"
    assert (second.transferred_at, second.result_back_at, second.returned_at) == (None, None, None)
    assert second.note == "Quá hạn"


def test_the_book_costs_two_queries_whatever_its_length(book_world):
    office, _, _ = book_world
    reader = user("counter")
    # The user's roles and the agencies are read once per request (and process) and kept.
    tracking_book(reader, office.centre.identity_code, *MARCH)
    with CaptureQueriesContext(connection) as two_rows:
        tracking_book(reader, office.centre.identity_code, *MARCH)
    receive(office, at("2026-03-04 09:00"))
    with CaptureQueriesContext(connection) as three_rows:
        book = tracking_book(reader, office.centre.identity_code, *MARCH)
    assert len(book.rows) == 3
    assert len(two_rows) == len(three_rows) == 2


def test_the_spreadsheet_has_a_header_row_and_real_dates(book_world):
    office, returned, _ = book_world
    sheet = load_workbook(io.BytesIO(tracking_book_xlsx(centre_book(office)))).active
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["STT", "Mã hồ sơ", "Tên thủ tục hành chính"]
    assert header[7:] == [
        "Nhận hồ sơ",
        "Hẹn trả kết quả",
        "Chuyển hồ sơ đến cơ quan giải quyết",
        "Nhận kết quả từ cơ quan giải quyết",
        "Trả kết quả cho cá nhân, tổ chức",
        "Ghi chú",
    ]
    assert [sheet["A2"].value, sheet["B2"].value, sheet["D2"].value] == [1, returned.code, 1]
    assert sheet["H2"].value == dt.datetime(2026, 3, 2, 9, 0)
    assert sheet["J2"].value == dt.datetime(2026, 3, 2, 9, 30)
    assert sheet["H2"].number_format == "dd/mm/yyyy hh:mm"
    assert sheet["L3"].value is None
    assert sheet["M3"].value == "Quá hạn"
    assert sheet.max_row == 3


def test_the_printed_book_is_a4_landscape(book_world):
    office, returned, late = book_world
    pdf = tracking_book_pdf(centre_book(office))
    text = pdf_text(pdf)
    assert page_size(pdf) == (842, 595)
    period = "Từ ngày 01/03/2026 đến ngày 31/03/2026"
    for expected in ["Mẫu số 07", "SỔ THEO DÕI HỒ SƠ", period, "Ngày, tháng, năm"]:
        assert expected in text, expected
    assert returned.code in text.replace(" ", "")
    assert late.code in text.replace(" ", "")


def test_only_staff_of_the_unit_or_above_it_keep_its_book(book_world):
    office, _, _ = book_world
    assert len(centre_book(office, "auditor").rows) == 2  # the city's auditor: the centre is below the city
    for outsider in ("other_specialist", "counter_commune", "citizen"):
        with pytest.raises(PermissionDenied):
            centre_book(office, outsider)


@pytest.mark.parametrize(
    ("unit", "start", "end", "field"),
    [
        ("000.99.99.H26", dt.date(2026, 3, 1), dt.date(2026, 3, 31), "unit"),
        ("000.00.01.H26", dt.date(2026, 3, 31), dt.date(2026, 3, 1), "end"),
        ("000.00.01.H26", dt.date(2026, 1, 1), dt.date(2027, 1, 2), "end"),
    ],
)
def test_bad_requests_name_the_field_at_fault(office, unit, start, end, field):
    with pytest.raises(InvalidInput) as raised:
        tracking_book(user("counter"), unit, start, end)
    assert [p.field for p in raised.value.errors] == [field]


def test_a_whole_leap_year_is_one_book(office):
    book = tracking_book(user("counter"), "000.00.01.H26", dt.date(2028, 1, 1), dt.date(2028, 12, 31))
    assert book.rows == []


EVIL_NAME = '=HYPERLINK("http://evil.example/x","Bấm vào đây")'


def test_an_applicant_named_like_a_formula_is_text_in_the_spreadsheet(office):
    """Finding 4: today an applicant named `=HYPERLINK(...)` becomes a live formula in the tracking book."""
    from dataclasses import replace

    from motcua.conftest import APPLICANT

    applicant = replace(APPLICANT, full_name=EVIL_NAME, address="+84 Phố Huế", phone="0912345678")
    receive(office, at("2026-03-02 09:00"), applicant=applicant)
    content = tracking_book_xlsx(centre_book(office))

    sheet = load_workbook(io.BytesIO(content)).active
    applicant_cell, address_cell = sheet.cell(row=2, column=5), sheet.cell(row=2, column=6)
    assert applicant_cell.value.startswith(EVIL_NAME)
    assert applicant_cell.data_type == "s" and applicant_cell.quotePrefix
    assert address_cell.value.startswith("+84") and address_cell.data_type == "s"
    assert sheet.cell(row=2, column=1).value == 1  # numbers stay numbers
    assert b"<f>" not in _sheet_xml(content)


def _sheet_xml(content: bytes) -> bytes:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/")]
        return b"".join(archive.read(name) for name in sheets)
