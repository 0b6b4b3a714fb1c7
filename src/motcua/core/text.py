"""Vietnamese text folding, so that "dang ky khai sinh" finds "Đăng ký khai sinh"."""

import unicodedata

from django.utils.translation import gettext as _

from motcua.core.errors import InvalidInput


def fold_vietnamese(text: str) -> str:
    """Lower case without diacritics; đ/Đ become d (NFD does not decompose them)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())


def written_text(value: str | None, field: str, max_length: int, missing: str = "") -> str:
    """What a person typed into a free-text field, stripped; InvalidInput on `field` when it is longer than
    `max_length`, or empty while `missing` (the message asking for it) makes it required."""
    text = (value or "").strip()
    if missing and not text:
        raise InvalidInput.field(field, "required", missing)
    if len(text) > max_length:
        raise InvalidInput.field(field, "too_long", _("At most %d characters.") % max_length)
    return text
