"""Mẫu 02 and Mẫu 03: the supplement request and the refusal, for a dossier and at the counter before any
dossier exists."""

from __future__ import annotations

from typing import Any

import pytest

from motcua.core.errors import Conflict, InvalidInput
from motcua.printing.services import (
    CounterNotice,
    counter_notice_form,
    dossier_form_pdf,
    form_pdf,
    printed_dossier_form,
)
from motcua.printing.tests.conftest import (
    BASE_URL,
    act,
    at,
    page_size,
    pdf_text,
    receive,
    submit_online,
    user,
)

ITEMS = [
    {"description": "Giấy chứng sinh", "requirement": "Bản chính"},
    {"description": "Giấy đăng ký kết hôn của cha mẹ", "requirement": ""},
]


def test_a_supplement_request_after_receipt_lists_the_items_and_the_reason(office):
    dossier = receive(office, at("2026-03-02 09:00"))
    when = at("2026-03-03 10:15")
    act("counter", dossier.code, "request_supplement", when, reason="Thiếu bản chính", items=ITEMS)
    pdf = dossier_form_pdf(user("counter"), dossier.code, "supplement", base_url=BASE_URL)
    text = pdf_text(pdf)
    assert page_size(pdf) == (420, 595)
    for expected in [
        "Mẫu số 02",
        "Số: …………/HDHS",
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        "Hà Nội, ngày 03 tháng 03 năm 2026",
        f"Mã hồ sơ: {dossier.code}",
        "Nguyễn Thị Mai",
        "Đăng ký khai sinh",
        "1 Giấy chứng sinh Bản chính",
        "2 Giấy đăng ký kết hôn của cha mẹ",
        "Lý do: Thiếu bản chính",
        "Trần Văn Nhận",
    ]:
        assert expected in text, expected


def test_an_online_request_to_complete_prints_from_its_event(office):
    dossier = submit_online(office, at("2026-03-02 20:00"))
    act("counter", dossier.code, "request_fix", at("2026-03-03 08:30"), reason="Ảnh chụp mờ", items=ITEMS[:1])
    page = printed_dossier_form(user("citizen"), dossier.code, "supplement", base_url=BASE_URL)
    assert page.context["reason"] == "Ảnh chụp mờ"
    assert page.context["items"] == [ITEMS[0]]
    assert page.context["officer"] == "Trần Văn Nhận"
    assert page.context["rules_url"] == f"{BASE_URL}/procedures/{office.procedure.local_code}/"


def test_a_refusal_prints_its_reason(office):
    dossier = submit_online(office, at("2026-03-02 20:00"))
    act("counter", dossier.code, "refuse", at("2026-03-04 14:00"), reason="Không thuộc thẩm quyền giải quyết")
    text = pdf_text(dossier_form_pdf(user("citizen"), dossier.code, "refusal", base_url=BASE_URL))
    for expected in [
        "Mẫu số 03",
        "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
        "ngày 04 tháng 03 năm 2026",
        "Không thuộc thẩm quyền giải quyết",
        "Nguyễn Thị Mai",
        dossier.code,
    ]:
        assert expected in text, expected


def test_a_form_with_nothing_to_print_is_a_conflict(office):
    dossier = receive(office, at("2026-03-02 09:00"))
    for form in ("supplement", "refusal", "apology", "stop"):
        with pytest.raises(Conflict, match=dossier.code):
            printed_dossier_form(user("counter"), dossier.code, form, base_url=BASE_URL)


def notice(office, **changes) -> CounterNotice:
    fields = {
        "unit": office.centre,
        "officer": user("counter"),
        "applicant_name": "Hoàng Văn Khách",
        "applicant_phone": "0987654321",
        "applicant_address": "5 Tràng Thi, Hà Nội",
        "procedure_version": office.version,
        "reason": "Thiếu giấy chứng sinh",
        "items": ("Giấy chứng sinh (bản chính)",),
    } | changes
    return CounterNotice(**fields)


def test_the_counter_prints_a_supplement_request_before_receiving(office):
    text = pdf_text(form_pdf(counter_notice_form("supplement", notice(office), now=at("2025-05-06 10:00"))))
    for expected in [
        "Mẫu số 02",
        "01/2018/TT-VPCP",
        "Hoàng Văn Khách",
        "5 Tràng Thi, Hà Nội",
        "0987654321",
        "Đăng ký khai sinh",
        "Giấy chứng sinh (bản chính)",
        "Lý do: Thiếu giấy chứng sinh",
        "ngày 06 tháng 05 năm 2025",
        "Trần Văn Nhận",
    ]:
        assert expected in text, expected
    assert "Mã hồ sơ" not in text


def test_the_counter_refusal_and_its_bad_input(office):
    page = counter_notice_form("refusal", notice(office, items=()), now=at("2026-03-02 10:00"))
    assert (page.form.number, page.context["reason"]) == ("03", "Thiếu giấy chứng sinh")
    assert page.context["code"] == ""
    assert "Hoàng Văn Khách" in pdf_text(form_pdf(page))
    bad: list[tuple[str, dict[str, Any], str]] = [
        ("receipt", {}, "form"),
        ("refusal", {"reason": " "}, "reason"),
        ("supplement", {"items": ()}, "items"),
    ]
    for form, changes, field in bad:
        with pytest.raises(InvalidInput) as raised:
            counter_notice_form(form, notice(office, **changes), now=at("2026-03-02 10:00"))
        assert [p.field for p in raised.value.errors] == [field]
