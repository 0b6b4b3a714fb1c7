"""Mẫu 01, the receipt and appointment slip: what it prints, on which paper, under which circular."""

from __future__ import annotations

import time_machine

from motcua.printing.services import dossier_form_pdf, form_pdf, printed_dossier_form
from motcua.printing.tests.conftest import BASE_URL, at, page_size, pdf_text, receive, user

A5_PORTRAIT = (420, 595)


def test_the_receipt_prints_the_dossier_its_documents_and_dates(office):
    with time_machine.travel(at("2026-03-02 09:00"), tick=False):
        dossier = receive(office, at("2026-03-02 09:00"))
        pdf = dossier_form_pdf(user("counter"), dossier.code, "receipt", base_url=BASE_URL)
    text = pdf_text(pdf)
    assert page_size(pdf) == A5_PORTRAIT
    for expected in [
        "Mẫu số 01",
        "03/2025/TT-VPCP",
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG",
        "Hà Nội, ngày 02 tháng 03 năm 2026",
        f"Mã hồ sơ: {dossier.code}",
        "Nguyễn Thị Mai",
        "1 Phố Huế, Hà Nội",
        "0912345678",
        "Đăng ký khai sinh",
        "Giấy chứng sinh Bản chính 1",
        "Giấy tờ khác Bản sao có chứng thực 2",
        "Số lượng hồ sơ: 01 (bộ)",
        "theo quy định là: 3 ngày làm việc",
        "Thời gian nhận hồ sơ: 09 giờ 00 phút, ngày 02 tháng 03 năm 2026",
        # Three working days of eight hours from Monday 9:00 end on Thursday 9:00.
        "Thời gian trả kết quả giải quyết hồ sơ: 09 giờ 00 phút, ngày 05 tháng 03 năm 2026",
        "Trung tâm Phục vụ hành chính công",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "Trần Văn Nhận",
    ]:
        assert expected in text, expected


def test_the_qr_code_leads_to_the_public_lookup_of_the_dossier(office):
    dossier = receive(office, at("2026-03-02 09:00"))
    page = printed_dossier_form(user("counter"), dossier.code, "receipt", base_url="https://dvc.example.vn/")
    url = f"https://dvc.example.vn/lookup/{dossier.code}/?key={dossier.lookup_key}"
    assert page.context["lookup_url"] == url and page.context["lookup_key"] == dossier.lookup_key
    assert page.context["qr"].startswith("data:image/svg+xml")


def test_a_dossier_received_before_july_2025_prints_under_circular_01_2018(office):
    with time_machine.travel(at("2025-03-03 14:30"), tick=False):
        dossier = receive(office, at("2025-03-03 14:30"))
    page = printed_dossier_form(user("counter"), dossier.code, "receipt", base_url=BASE_URL)
    assert (page.form.circular, page.form.label) == ("01/2018/TT-VPCP", "Mẫu số 01")
    text = pdf_text(form_pdf(page))
    assert "(Kèm theo Thông tư số 01/2018/TT-VPCP)" in text
    assert "14 giờ 30 phút, ngày 03 tháng 03 năm 2025" in text
