"""Biểu 06 / 06a as files: the PDF an official prints, signs and stamps, and the spreadsheet with the form's
merged headings; both always in Vietnamese, both from the page's parameters."""

from __future__ import annotations

import io

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from openpyxl import load_workbook

from motcua.printing.tests.conftest import page_size, pdf_text
from motcua.stats.reporting import TITLE
from motcua.stats.tests.indicators_walk import user
from motcua.stats.tests.report_dataset import build_province
from motcua.stats.tests.scenario import at

MARCH = {"from": "2026-03-01", "to": "2026-03-31"}


@pytest.fixture
def province(world):
    built = build_province(world)
    User.objects.filter(username="leader").update(first_name="Phạm Văn", last_name="Duyệt")
    return built


def download(username: str, fmt: str, **query: str):
    client = Client()
    client.force_login(user(username))
    with time_machine.travel(at("2026-04-02", 10), tick=False):
        # The page's language is English: the legal form prints in Vietnamese all the same.
        return client.get(f"/office/stats/report.{fmt}", query, headers={"Accept-Language": "en"})


def test_the_pdf_is_the_signed_form_of_the_unit_for_the_period(province):
    response = download("leader", "pdf", **MARCH, unit="000.00.21.H26")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="bieu-06-000.00.21.H26-20260301-20260331.pdf"'
    assert page_size(response.content) == (842, 595)  # A4 landscape
    text = pdf_text(response.content)
    for expected in (
        "Biểu số 06/VPCP/KSTT",
        "Ban hành kèm theo Thông tư số 01/2020/TT-VPCP ngày 21/10/2020",
        "UBND THÀNH PHỐ HÀ NỘI SỞ TƯ PHÁP",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        TITLE,
        "Kỳ báo cáo: từ ngày 01/03/2026 đến ngày 31/03/2026",
        "Đơn vị tính: Số hồ sơ TTHC",
        "Số hồ sơ nhận giải quyết",
        "(1) (2) (3) (4) (5) (6) (7) (8) (9) (10) (11) (12) (13) (14)",
        "1 Chứng thực 1 0 1 0 1 1 0 0 0 0 0 100",
        "2 Hộ tịch 5 1 3 1 3 2 0 1 2 1 1 66,7",
        "Tổng cộng 6 1 4 1 4 3 0 1 2 1 1 75",
        "Ghi chú: (3) = (4) + (5) + (6) = (7) + (11)",
        "NGƯỜI LẬP BIỂU (Ký, ghi rõ họ tên)",
        "Hà Nội, ngày 02 tháng 04 năm 2026 THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ (Ký, ghi rõ họ tên, đóng dấu)",
        "Phạm Văn Duyệt",
    ):
        assert expected in text, expected


def test_the_pdf_by_unit_is_form_06a(province):
    text = pdf_text(download("city_leader", "pdf", **MARCH, by="unit").content)
    assert "Biểu số 06a/VPCP/KSTT" in text and "Cơ quan, đơn vị giải quyết" in text
    assert "1 Sở Tư pháp 6 1 4 1 4 3 0 1 2 1 1 75" in text
    assert "3 UBND Phường Ngọc Hà 1 0 1 0 0 0 0 0 1 0 1 Tổng cộng" in text  # no rate without a resolution


def test_the_spreadsheet_has_the_forms_merged_headings_and_numbers_as_numbers(province):
    response = download("city_leader", "xlsx", **MARCH, by="unit")

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="bieu-06a-000.00.00.H26-20260301-20260331.xlsx"'
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "Biểu số 06a/VPCP/KSTT"
    assert sheet["A3"].value == TITLE
    assert sheet["A4"].value == "Kỳ báo cáo: từ ngày 01/03/2026 đến ngày 31/03/2026"
    assert sheet["A5"].value == "Đơn vị báo cáo: UBND Thành phố Hà Nội"
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A7:A9", "B7:B9", "C7:F7", "G7:J7", "K7:M7", "N7:N9", "C8:C9", "D8:E8", "F8:F9"} <= merged
    assert [sheet.cell(7, c).value for c in (1, 2, 3, 7, 11, 14)] == [
        "STT",
        "Cơ quan, đơn vị giải quyết",
        "Số hồ sơ nhận giải quyết",
        "Số hồ sơ đã giải quyết",
        "Số hồ sơ đang giải quyết",
        "Tỷ lệ giải quyết đúng hạn (%)",
    ]
    assert [sheet.cell(8, c).value for c in (3, 4, 6)] == ["Tổng số", "Trong đó", "Từ kỳ trước"]
    assert [sheet.cell(9, c).value for c in (4, 5)] == ["Trực tuyến", "Trực tiếp, dịch vụ bưu chính"]
    assert [cell.value for cell in sheet[10]] == [f"({n})" for n in range(1, 15)]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=11, max_row=14)]
    assert rows == [
        [1, "Sở Tư pháp", 6, 1, 4, 1, 4, 3, 0, 1, 2, 1, 1, 75],
        [2, "UBND Phường Ba Đình", 2, 0, 2, 0, 1, 1, 0, 0, 1, 0, 1, 100],
        [3, "UBND Phường Ngọc Hà", 1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1, None],
        [None, "Tổng cộng", 9, 1, 7, 1, 5, 4, 0, 1, 4, 1, 3, 80],
    ]
    assert sheet["N11"].number_format == "0.0"
    assert sheet.freeze_panes == "C11"
    assert sheet.column_dimensions["B"].width > sheet.column_dimensions["C"].width > 0


def test_a_download_asked_badly_shows_the_page_with_the_problem(province):
    response = download("leader", "xlsx", **{"from": "2026-03-31", "to": "2026-03-01"})
    assert response.status_code == 422
    assert response["Content-Type"].startswith("text/html")
    assert "The end of the period is before its start." in response.content.decode()


def test_a_download_of_a_unit_out_of_scope_is_refused(province):
    response = download("commune_leader", "pdf", **MARCH, unit="000.00.00.H26")
    assert response.status_code == 403
    assert "application/pdf" not in response["Content-Type"]


def test_a_unit_named_like_a_formula_is_text_in_the_spreadsheet(province):
    """Finding 4: today a name starting with `=` becomes a live formula in the Biểu 06a workbook."""
    from motcua.core.memo import clear_reference_caches
    from motcua.org.models import Agency

    evil = '=HYPERLINK("http://evil.example/x","Sở Tư pháp")'
    Agency.objects.filter(identity_code="000.00.21.H26").update(name=evil)
    clear_reference_caches()

    response = download("city_leader", "xlsx", **MARCH, by="unit")

    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value == evil]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    assert isinstance(cells[0].offset(column=1).value, int)  # the counts beside it stay numbers
