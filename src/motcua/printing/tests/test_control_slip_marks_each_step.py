"""The process control slip (Mẫu 05/2018 = 06/2025): one row per hand-off, each step judged early, on time or
late by the day it was finished against its due day (dossiers.punctuality)."""

from __future__ import annotations

from motcua.printing.services import form_pdf, printed_dossier_form
from motcua.printing.tests.conftest import BASE_URL, act, at, page_size, pdf_text, receive, user


def test_the_slip_follows_the_dossier_through_its_steps(office):
    # Office hours 8:00–12:00 and 13:00–17:00; the workflow allots 12, 8 and 4 working hours.
    dossier = receive(office, at("2026-03-02 08:00"))
    act("counter", dossier.code, "forward", at("2026-03-02 08:00"))
    act("specialist", dossier.code, "forward", at("2026-03-02 12:00"))  # appraisal: 4 h of 12
    act("leader", dossier.code, "forward", at("2026-03-03 12:00"))  # approval: 8 h of 8
    act("leader", dossier.code, "issue_result", at("2026-03-04 10:00"))  # registry: 6 h of 4

    page = printed_dossier_form(user("leader"), dossier.code, "control-slip", base_url=BASE_URL)
    rows = page.context["hand_offs"]
    assert [(r.giver, r.receiver) for r in rows] == [
        ("Bộ phận tiếp nhận và trả kết quả – Trung tâm Phục vụ hành chính công", "Sở Tư pháp – Thẩm định"),
        ("Sở Tư pháp – Thẩm định", "Sở Tư pháp – Phê duyệt"),
        ("Sở Tư pháp – Phê duyệt", "Sở Tư pháp – Vào sổ"),
        ("Sở Tư pháp – Vào sổ", "Bộ phận tiếp nhận và trả kết quả – Trung tâm Phục vụ hành chính công"),
    ]
    # The last row is the result back at the counter, judged against the appointment (Wednesday 17:00).
    assert [r.result for r in rows] == ["Trước hạn", "Đúng hạn", "Quá hạn", "Đúng hạn"]
    assert [r.note for r in rows] == ["Đã xử lý", "Đã xử lý", "Đã xử lý", "Đang xử lý"]
    assert rows[0].at == "08 giờ 00 phút, ngày 02 tháng 03 năm 2026"
    assert rows[0].giver_name == "Trần Văn Nhận"
    assert rows[3].giver_name == "Phạm Văn Duyệt"
    assert page.form.label == "Mẫu số 06"

    pdf = form_pdf(page)
    text = pdf_text(pdf)
    assert page_size(pdf) == (420, 595)
    for expected in ["Mẫu số 06", "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", dossier.code, "Quá hạn"]:
        assert expected in text, expected


def test_a_step_still_open_is_marked_late_only_once_past_its_due_day(office):
    dossier = receive(office, at("2026-03-02 08:00"))
    act("counter", dossier.code, "forward", at("2026-03-02 08:00"))

    def open_row(now: str):
        page = printed_dossier_form(
            user("specialist"), dossier.code, "control-slip", base_url=BASE_URL, now=at(now)
        )
        (row,) = page.context["hand_offs"]
        return row.result, row.note

    assert open_row("2026-03-02 10:00") == ("", "Đang xử lý")
    # Due Tuesday 12:00 (12 working hours): past the hour on its due day is not late yet.
    assert open_row("2026-03-03 15:00") == ("", "Đang xử lý")
    assert open_row("2026-03-04 10:00") == ("Quá hạn", "Đang xử lý")
