"""The one model of an input on a page, shared by the e-forms (catalog.eform, drawn by the portal and the
counter intake) and the back office's action forms: which kind of input it is, the HTML type it is drawn
with, and how its help and its errors are tied to it for screen readers.

A kind's value is the HTML input type wherever the two are the same, so a template writes `type="{{ kind }}"`
for the plain ones; `input_type` names the exceptions.
"""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    TEXT = "text"
    TEXTAREA = "textarea"
    EMAIL = "email"
    TEL = "tel"
    SEARCH = "search"
    NUMBER = "number"
    # A sum of đồng as people type it (50.000, 50 000): a text input with a numeric keyboard.
    AMOUNT = "amount"
    DATE = "date"
    DATETIME = "datetime-local"
    SELECT = "select"
    RADIO = "radio"
    CHECKBOX = "checkbox"
    FILE = "file"
    # A fieldset of other inputs (a nested object of an e-form).
    GROUP = "group"
    # Repeated rows of inputs: the documents a supplement request asks for, the files a supplement brings.
    ITEMS = "items"
    DOCUMENTS = "documents"


_INPUT_TYPES: dict[str, str] = {Kind.AMOUNT: "text"}


def input_type(kind: str) -> str:
    """The `type` attribute of the <input> that draws `kind`."""
    return _INPUT_TYPES.get(kind, str(kind))


def help_id(html_id: str) -> str:
    return f"{html_id}-help"


def error_id(html_id: str) -> str:
    return f"{html_id}-error"


def described_by(html_id: str, has_help: bool, has_errors: bool) -> str:
    """The input's `aria-describedby`: its help, then its errors when it has some ("" for neither)."""
    ids = [help_id(html_id)] if has_help else []
    return " ".join([*ids, error_id(html_id)] if has_errors else ids)
