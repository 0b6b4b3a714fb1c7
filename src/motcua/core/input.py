"""Input the database could not store is refused at the door, with the field that carries it.

PostgreSQL cannot store or even compare a NUL character in text, and no engine can encode a lone UTF-16
surrogate (valid in JSON as "\\ud800"); JSON's NaN and Infinity are not numbers a form can mean. All of them
are refused here, before any service sees them, so the answer is a 4xx naming the field, never a 500.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.parser import Parser

from motcua.core.errors import FieldProblem, InvalidInput, MalformedRequest

# The largest id a 64-bit primary key can hold; larger numbers overflow the database driver.
MAX_ID = 2**63 - 1


def has_unstorable_text(text: str) -> bool:
    return "\x00" in text or any("\ud800" <= ch <= "\udfff" for ch in text)


def unstorable_path(value: Any, path: str = "") -> str | None:
    """The path of the first string (or key) in `value` that cannot be stored, or None."""
    if isinstance(value, str):
        return path or "body" if has_unstorable_text(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            # The path is echoed in the answer, so an unstorable key is shown escaped.
            shown = str(key).encode("utf-8", "backslashreplace").decode("utf-8")
            child = f"{path}.{shown}" if path else shown
            if has_unstorable_text(str(key)):
                return child
            if (found := unstorable_path(item, child)) is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            if (found := unstorable_path(item, f"{path}.{index}" if path else str(index))) is not None:
                return found
    return None


def _reject_constant(name: str) -> Any:
    raise InvalidInput.field("body", "not_finite", _("%s is not a number the form accepts.") % name)


class StrictJSONParser(Parser):
    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        try:
            data = json.loads(request.body, parse_constant=_reject_constant)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            problem = FieldProblem("body", "invalid_json", _("The body is not valid JSON."))
            raise MalformedRequest(problem.message, [problem]) from exc
        if (path := unstorable_path(data)) is not None:
            raise InvalidInput.field(
                path, "unstorable_text", _("Contains a character that cannot be stored.")
            )
        return data
