"""The registry: each form is numbered and titled as the circular in force on the day it prints."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.core.errors import NotFound
from motcua.printing.catalogue import CATALOGUE
from motcua.printing.registry import form_in_force

LAST_DAY_OF_2018_NUMBERING = dt.date(2025, 6, 30)
FIRST_DAY_OF_2025_NUMBERING = dt.date(2025, 7, 1)


@pytest.mark.parametrize(
    ("slug", "number_2018", "number_2025"),
    [
        ("receipt", "01", "01"),
        ("supplement", "02", "02"),
        ("refusal", "03", "03"),
        ("apology", "04", "04"),
        ("control-slip", "05", "06"),
        ("tracking-book", "06", "07"),
    ],
)
def test_numbers_change_on_the_first_of_july_2025(slug, number_2018, number_2025):
    before = form_in_force(slug, LAST_DAY_OF_2018_NUMBERING)
    after = form_in_force(slug, FIRST_DAY_OF_2025_NUMBERING)
    assert (before.circular, before.number, before.label) == (
        "01/2018/TT-VPCP",
        number_2018,
        f"Mẫu số {number_2018}",
    )
    assert (after.circular, after.number) == ("03/2025/TT-VPCP", number_2025)


def test_the_stop_notice_exists_from_2025_only():
    assert form_in_force("stop", FIRST_DAY_OF_2025_NUMBERING).number == "05"
    with pytest.raises(NotFound, match="30/06/2025"):
        form_in_force("stop", LAST_DAY_OF_2018_NUMBERING)


def test_the_apology_is_renamed_in_2025():
    assert form_in_force("apology", dt.date(2024, 5, 1)).title == "Phiếu xin lỗi và hẹn lại ngày trả kết quả"
    assert (
        form_in_force("apology", dt.date(2026, 5, 1)).title
        == "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"
    )


def test_papers_are_a5_and_the_book_a4_landscape():
    day = FIRST_DAY_OF_2025_NUMBERING
    assert {form_in_force(s, day).page for s in CATALOGUE if s != "tracking-book"} == {"A5 portrait"}
    assert form_in_force("tracking-book", day).page == "A4 landscape"


def test_no_form_before_circular_01_2018_took_effect_or_of_an_unknown_kind():
    with pytest.raises(NotFound):
        form_in_force("receipt", dt.date(2019, 1, 5))
    assert form_in_force("receipt", dt.date(2019, 1, 6)).circular == "01/2018/TT-VPCP"
    with pytest.raises(NotFound, match="invoice"):
        form_in_force("invoice", FIRST_DAY_OF_2025_NUMBERING)
