"""E-forms on the page: a case's JSON Schema turned into fields to render, and what was typed into them read
back, converted to the schema's types and checked by the same rules as the API (catalog.forms_schema). The
portal's application pages and the back office's counter intake both draw their forms from here.

Every field is named on the page by the path a problem reports for it (``form.child_name``,
``applicant.full_name``), so a problem finds its input without any mapping. The browser is given the same
rules as HTML attributes (``required``, ``maxlength``, ``min``…) and, for what HTML cannot say, ``data-``
attributes read by the portal's apply/eform.js; its messages are the server's, through the same translations.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from motcua.catalog.forms_schema import form_problems, ordered_properties
from motcua.catalog.widgets import Kind, described_by, error_id, help_id
from motcua.core.errors import FieldProblem
from motcua.core.input import has_unstorable_text

FORM_PREFIX = "form"
# A draft keeps what was typed, but not without bound: far beyond any field's own limit.
MAX_RAW_LENGTH = 10_000
# Longer texts get a text area; shorter ones a one-line input.
TEXTAREA_FROM_LENGTH = 256
# Few enough choices to show them all as radio buttons; more go into a select.
MAX_RADIO_CHOICES = 4


def field_id(name: str) -> str:
    """The HTML id of the input named `name` (a problem's path), which error summaries link to."""
    return "field-" + name.replace(".", "-")


@dataclass(frozen=True)
class EField:
    """One field on the page; `name` is both its HTML name and the path of the problems about it."""

    name: str
    label: str | Promise
    widget: Kind
    kind: str = "string"  # the JSON type the answer is converted to
    required: bool = False
    help: str | Promise = ""
    choices: tuple[tuple[str, str | Promise], ...] = ()
    attrs: tuple[tuple[str, str], ...] = ()  # HTML constraint attributes, rendered as they are
    default: str = ""
    children: tuple[EField, ...] = ()
    # Required only while another field has a value: (other field's name, value).
    required_when: tuple[str, str] | None = None
    # What the portal may fill in from the applicant's known details (the schema's "x-prefill": "phone").
    prefill: str = ""

    @property
    def id(self) -> str:
        return field_id(self.name)

    @property
    def is_group(self) -> bool:
        return self.widget == Kind.GROUP

    def attr(self, name: str) -> str | None:
        return dict(self.attrs).get(name)

    def leaves(self) -> Iterable[EField]:
        if self.is_group:
            for child in self.children:
                yield from child.leaves()
        else:
            yield self


def leaves(fields: Iterable[EField]) -> list[EField]:
    return [leaf for f in fields for leaf in f.leaves()]


# --- schema → fields ---------------------------------------------------------------------------------------


def _anchored(pattern: str) -> bool:
    """HTML anchors its `pattern` at both ends, JSON Schema does not: only an anchored one means the same."""
    return pattern.startswith("^") and pattern.endswith("$")


def _string_attrs(spec: Mapping[str, Any]) -> list[tuple[str, str]]:
    attrs = []
    if "minLength" in spec:
        attrs.append(("minlength", str(spec["minLength"])))
    if "maxLength" in spec:
        attrs.append(("maxlength", str(spec["maxLength"])))
    if pattern := spec.get("pattern"):
        attrs.append(("data-pattern", pattern))
        if _anchored(pattern):
            attrs.append(("pattern", pattern))
    return attrs


def _number_attrs(spec: Mapping[str, Any], kind: str) -> list[tuple[str, str]]:
    attrs = [
        ("step", "1" if kind == "integer" else "any"),
        ("inputmode", "numeric" if kind == "integer" else "decimal"),
    ]
    for keyword, attr in [
        ("minimum", "min"),
        ("maximum", "max"),
        ("exclusiveMinimum", "data-exclusive-min"),
        ("exclusiveMaximum", "data-exclusive-max"),
    ]:
        if keyword in spec:
            attrs.append((attr, str(spec[keyword])))
    return attrs


def _leaf(name: str, spec: Mapping[str, Any], required: bool) -> EField:
    kind = spec.get("type", "string")
    label = spec.get("title") or name.rsplit(".", 1)[-1]
    common: dict[str, Any] = {
        "name": name,
        "label": label,
        "kind": kind,
        "required": required,
        "help": spec.get("description", ""),
        "default": "" if spec.get("default") is None else str(spec["default"]),
        "prefill": str(spec.get("x-prefill") or ""),
    }
    if "enum" in spec:
        choices = tuple((str(v), str(v)) for v in spec["enum"])
        widget = Kind.RADIO if len(choices) <= MAX_RADIO_CHOICES else Kind.SELECT
        return EField(widget=widget, choices=choices, **common)
    if kind == "boolean":
        return EField(widget=Kind.CHECKBOX, **{**common, "required": False})
    if kind in ("integer", "number"):
        return EField(widget=Kind.NUMBER, attrs=tuple(_number_attrs(spec, kind)), **common)
    widget = {
        "email": Kind.EMAIL,
        "idn-email": Kind.EMAIL,
        "date": Kind.DATE,
        "date-time": Kind.DATETIME,
    }.get(spec.get("format", ""), Kind.TEXT)
    if widget == Kind.TEXT and spec.get("maxLength", 0) >= TEXTAREA_FROM_LENGTH:
        widget = Kind.TEXTAREA
    return EField(widget=widget, attrs=tuple(_string_attrs(spec)), **common)


def _fields(schema: Mapping[str, Any], prefix: str) -> tuple[EField, ...]:
    needed = set(schema.get("required", []))
    result = []
    for key, spec in ordered_properties(schema):
        name = f"{prefix}.{key}"
        if spec.get("type") == "object" or "properties" in spec:
            label = spec.get("title") or key
            description = spec.get("description", "")
            group = EField(
                name, label, Kind.GROUP, "object", key in needed, description, children=_fields(spec, name)
            )
            result.append(group)
        else:
            result.append(_leaf(name, spec, key in needed))
    return tuple(result)


@lru_cache(maxsize=256)
def _schema_fields(schema_json: str) -> tuple[EField, ...]:
    schema = json.loads(schema_json)
    return _fields(schema, FORM_PREFIX)


def schema_fields(schema: Mapping[str, Any]) -> tuple[EField, ...]:
    """The fields of an e-form, in the schema's order; nested objects become groups (fieldsets)."""
    return _schema_fields(json.dumps(schema, sort_keys=False))


def initial_answers(fields: Iterable[EField]) -> dict[str, str]:
    """The schema's defaults, as a new draft starts with them."""
    return {f.name: f.default for f in leaves(fields) if f.default}


# --- reading what was typed --------------------------------------------------------------------------------


def _clean_raw(value: str) -> str:
    # No database can keep a NUL or a lone surrogate; dropping them keeps the rest of what was typed.
    if has_unstorable_text(value):
        value = "".join(ch for ch in value if ch != "\x00" and not "\ud800" <= ch <= "\udfff")
    return value[:MAX_RAW_LENGTH]


def read_answers(fields: Iterable[EField], data: Mapping[str, Any]) -> dict[str, str]:
    """What was typed into `fields`, as strings (a ticked box is "on", an unticked one ""), never failing."""
    answers = {}
    for leaf in leaves(fields):
        value = data.get(leaf.name, "")
        answers[leaf.name] = _clean_raw(value if isinstance(value, str) else "")
    return answers


# --- converting and checking -------------------------------------------------------------------------------


class _NotConvertible(ValueError):
    def __init__(self, problem: FieldProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def _to_integer(name: str, raw: str) -> int:
    if not re.fullmatch(r"[+-]?\d{1,18}", raw):
        raise _NotConvertible(FieldProblem(name, "type", _("Enter a whole number.")))
    return int(raw)


def _to_number(name: str, raw: str) -> int | float:
    try:
        # Vietnamese writes a decimal comma; the browser's number input sends a point.
        number = float(raw.replace(",", "."))
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise _NotConvertible(FieldProblem(name, "type", _("Enter a number.")))
    return int(number) if number.is_integer() and "." not in raw and "," not in raw else number


def _to_datetime(name: str, raw: str) -> str:
    """The browser's local date and time (2025-07-01T08:30), as RFC 3339 in the office's time zone."""
    try:
        moment = dt.datetime.fromisoformat(raw)
    except ValueError:
        raise _NotConvertible(FieldProblem(name, "format", _("Enter a date and time."))) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment.isoformat()


def _convert(leaf: EField, raw: str) -> Any:
    if leaf.kind == "boolean":
        return raw in ("on", "true", "1")
    if leaf.kind == "integer":
        return _to_integer(leaf.name, raw)
    if leaf.kind == "number":
        return _to_number(leaf.name, raw)
    if leaf.widget == Kind.DATETIME:
        return _to_datetime(leaf.name, raw)
    return raw


def typed_answers(
    fields: Iterable[EField], answers: Mapping[str, str]
) -> tuple[dict[str, Any], list[FieldProblem]]:
    """The answers as the JSON the schema describes (groups as objects, empty answers left out), and the
    answers that could not be converted (a number field holding letters)."""
    typed: dict[str, Any] = {}
    problems: list[FieldProblem] = []
    for f in fields:
        key = f.name.rsplit(".", 1)[-1]
        if f.is_group:
            child, child_problems = typed_answers(f.children, answers)
            typed[key] = child
            problems += child_problems
            continue
        raw = (answers.get(f.name) or "").strip()
        if not raw and f.kind != "boolean":
            continue
        try:
            typed[key] = _convert(f, raw)
        except _NotConvertible as exc:
            problems.append(exc.problem)
    return typed, problems


def eform_answers(
    schema: Mapping[str, Any], answers: Mapping[str, str]
) -> tuple[dict[str, Any], list[FieldProblem]]:
    """The e-form's data for the dossier and every problem with it: what cannot be converted, then what the
    schema refuses (catalog.forms_schema, the API's own check), one problem per field at most."""
    if not schema:
        return {}, []
    typed, problems = typed_answers(schema_fields(schema), answers)
    unconvertible = {p.field for p in problems}
    problems += [p for p in form_problems(dict(schema), typed) if p.field not in unconvertible]
    return typed, _first_per_field(problems)


def _first_per_field(problems: Iterable[FieldProblem]) -> list[FieldProblem]:
    seen: set[str] = set()
    first = []
    for problem in problems:
        if problem.field not in seen:
            seen.add(problem.field)
            first.append(problem)
    return first


def field_problems(fields: Iterable[EField], answers: Mapping[str, str]) -> list[FieldProblem]:
    """The HTML rules of fixed fields (not from a schema) checked on the server: what the page promises, the
    server holds to, with the schema's messages."""
    problems = []
    for leaf in leaves(fields):
        raw = (answers.get(leaf.name) or "").strip()
        if message := _leaf_problem(leaf, raw, answers):
            problems.append(FieldProblem(leaf.name, "invalid", message))
    return problems


def _is_required(leaf: EField, answers: Mapping[str, str]) -> bool:
    if leaf.required_when is not None:
        other, value = leaf.required_when
        return (answers.get(other) or "").strip() == value
    return leaf.required


def _leaf_problem(leaf: EField, raw: str, answers: Mapping[str, str]) -> str | None:
    if not raw:
        return _("This field is required.") if _is_required(leaf, answers) else None
    if leaf.choices and raw not in {value for value, _label in leaf.choices}:
        return _("Must be one of: %s.") % ", ".join(str(label) for _value, label in leaf.choices)
    if (low := leaf.attr("minlength")) and len(raw) < int(low):
        return _("Too short: at least %s characters.") % low
    if (high := leaf.attr("maxlength")) and len(raw) > int(high):
        return _("Too long: at most %s characters.") % high
    if (pattern := leaf.attr("data-pattern")) and not re.search(pattern, raw):
        return _("Does not have the required format.")
    if leaf.widget == Kind.EMAIL:
        try:
            validate_email(raw)
        except ValidationError:
            return _("Not a valid %s.") % "email"
    if leaf.widget == Kind.DATE:
        try:
            dt.date.fromisoformat(raw)
        except ValueError:
            return _("Not a valid %s.") % "date"
    return None


def parse_date(raw: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw.strip()) if raw.strip() else None
    except ValueError:
        return None


# --- for the page ------------------------------------------------------------------------------------------


@dataclass
class BoundField:
    """A field with what the user typed into it and what is wrong with it, ready for the template."""

    field: EField
    value: str = ""
    errors: list[str] = dataclass_field(default_factory=list)
    children: list[BoundField] = dataclass_field(default_factory=list)

    @property
    def error_id(self) -> str:
        return error_id(self.field.id)

    @property
    def help_id(self) -> str:
        return help_id(self.field.id)

    @property
    def described_by(self) -> str:
        return described_by(self.field.id, bool(self.field.help), bool(self.errors))

    @property
    def checked(self) -> bool:
        return self.value in ("on", "true", "1")


def bind(
    fields: Iterable[EField], answers: Mapping[str, str], errors: Mapping[str, list[str]]
) -> list[BoundField]:
    return [
        BoundField(
            f,
            "" if f.is_group else answers.get(f.name, ""),
            list(errors.get(f.name, [])),
            bind(f.children, answers, errors) if f.is_group else [],
        )
        for f in fields
    ]


def errors_by_field(problems: Iterable[FieldProblem]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for problem in problems:
        grouped.setdefault(problem.field, []).append(str(problem.message))
    return grouped


def browser_messages() -> dict[str, str]:
    """The messages the portal's apply/eform.js shows, with the server's wording (the same msgids, the same
    translations); %s stands for the limit."""
    return {
        "required": _("This field is required."),
        "minlength": _("Too short: at least %s characters."),
        "maxlength": _("Too long: at most %s characters."),
        "pattern": _("Does not have the required format."),
        "email": _("Not a valid %s.") % "email",
        "date": _("Not a valid %s.") % "date",
        "datetime": _("Enter a date and time."),
        "min": _("Must be at least %s."),
        "max": _("Must be at most %s."),
        "exclusive_min": _("Must be more than %s."),
        "exclusive_max": _("Must be less than %s."),
        "integer": _("Enter a whole number."),
        "number": _("Enter a number."),
        "summary": _("There is a problem"),
        "summary_item": _("%(field)s: %(problem)s"),
        "file_too_large": _("The file is %(size)d bytes; the limit is %(limit)d bytes."),
        "upload_failed": _("The upload failed. Check your connection and try again."),
        "uploading": _("Uploading…"),
        "uploaded": _("Uploaded."),
        "removed": _("The file was removed."),
    }
