"""Vietnamese text folding, so that "dang ky khai sinh" finds "Đăng ký khai sinh"."""

import unicodedata


def fold_vietnamese(text: str) -> str:
    """Lower case without diacritics; đ/Đ become d (NFD does not decompose them)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())
