import datetime as dt

import pytest

from motcua.core.identifiers import mask_name, mask_personal_id, personal_id_problem, tax_code_problem
from motcua.core.text import fold_vietnamese


def test_personal_id_numbers():
    assert personal_id_problem("001090012345") is None
    assert personal_id_problem("001090012345", dt.date(1990, 5, 4)) is None
    assert personal_id_problem("001290012345", dt.date(2090, 5, 4)) is None
    assert personal_id_problem("001090012345", dt.date(1991, 5, 4)) is not None
    for bad in ["00109001234", "0010900123456", "00109001234a", "999090012345", ""]:
        assert personal_id_problem(bad) is not None


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("0101234567", True),
        ("0101234567-001", True),
        ("001090012345", True),
        ("010123456", False),
        ("abc", False),
    ],
)
def test_tax_codes(code, valid):
    assert (tax_code_problem(code) is None) == valid


def test_masking_keeps_nothing_useful_to_strangers():
    assert mask_name("Nguyễn Văn An") == "N***** V** An"
    # Finding 8: a one-word name was shown whole.
    assert mask_name("Hoa") == "H**" and mask_name("A") == "A"
    assert mask_personal_id("001090012345") == "001******345"


def test_folding_vietnamese():
    assert fold_vietnamese("Đăng ký  KHAI SINH") == "dang ky khai sinh"
    assert fold_vietnamese("Chứng thực bản sao") == "chung thuc ban sao"
