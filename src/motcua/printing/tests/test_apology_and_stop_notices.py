"""Mẫu 04, the apology with a new date, and Mẫu 05 of 2025, the notice that processing stops."""

from __future__ import annotations

import pytest

from motcua.core.errors import NotFound
from motcua.printing.services import dossier_form_pdf, printed_dossier_form
from motcua.printing.tests.conftest import BASE_URL, act, at, pdf_text, receive, user


def at_the_department(office, received: str):
    """A dossier received at the centre and handed to the department's first step."""
    dossier = receive(office, at(received))
    act("counter", dossier.code, "forward", at(received))
    return dossier


def test_the_apology_gives_the_reason_both_dates_and_the_head_of_unit(office):
    dossier = at_the_department(office, "2026-03-02 09:00")
    act(
        "leader",
        dossier.code,
        "apologise",
        at("2026-03-04 16:00"),
        reason="Cần xác minh thông tin khai sinh",
        new_appointment="2026-03-10T10:00:00+07:00",
    )
    text = pdf_text(dossier_form_pdf(user("leader"), dossier.code, "apology", base_url=BASE_URL))
    for expected in [
        "Mẫu số 04",
        "Số: …………/PXL",
        "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
        "SỞ TƯ PHÁP",
        "Hà Nội, ngày 04 tháng 03 năm 2026",
        "Kính gửi: Nguyễn Thị Mai",
        "09 giờ 00 phút, ngày 02 tháng 03 năm 2026",
        "Thời gian hẹn trả kết quả giải quyết hồ sơ: 09 giờ 00 phút, ngày 05 tháng 03 năm 2026",
        "Lý do: Cần xác minh thông tin khai sinh",
        "gia hạn thời gian giải quyết hồ sơ đến 10 giờ 00 phút, ngày 10 tháng 03 năm 2026",
        "GIÁM ĐỐC SỞ",
        "Phạm Văn Duyệt",
    ]:
        assert expected in text, expected


def test_an_apology_before_july_2025_promises_a_new_date(office):
    dossier = at_the_department(office, "2025-03-03 09:00")
    act(
        "leader",
        dossier.code,
        "apologise",
        at("2025-03-05 09:00"),
        reason="Chờ ý kiến cơ quan khác",
        new_appointment="2025-03-12T09:00:00+07:00",
    )
    page = printed_dossier_form(user("leader"), dossier.code, "apology", base_url=BASE_URL)
    assert (page.form.circular, page.form.title) == (
        "01/2018/TT-VPCP",
        "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
    )
    assert page.context["new_appointment"] == "09 giờ 00 phút, ngày 12 tháng 03 năm 2025"


def test_the_stop_notice_gives_its_reason(office):
    dossier = at_the_department(office, "2026-03-02 09:00")
    act("leader", dossier.code, "stop", at("2026-03-03 15:20"), reason="Người yêu cầu không đủ điều kiện")
    text = pdf_text(dossier_form_pdf(user("leader"), dossier.code, "stop", base_url=BASE_URL))
    for expected in [
        "Mẫu số 05",
        "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
        "kể từ 15 giờ 20 phút, ngày 03 tháng 03 năm 2026",
        "Người yêu cầu không đủ điều kiện",
        dossier.code,
        "GIÁM ĐỐC SỞ",
    ]:
        assert expected in text, expected


def test_a_stop_before_july_2025_has_no_notice_form(office):
    dossier = at_the_department(office, "2025-05-05 09:00")
    act("leader", dossier.code, "stop", at("2025-05-06 09:00"), reason="Không đủ điều kiện")
    with pytest.raises(NotFound, match="06/05/2025"):
        printed_dossier_form(user("leader"), dossier.code, "stop", base_url=BASE_URL)
