"""E-forms: a case's form is a JSON Schema; submitted form data is checked against it field by field."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import SchemaError
from jsonschema.exceptions import ValidationError as SchemaValidationError

from motcua.core.errors import FieldProblem

FIELD_ORDER = "x-order"


def with_field_order(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` with the order of each object's properties, as written, kept in an "x-order" list.

    PostgreSQL's jsonb stores an object's keys sorted by length, so without it a form read back from the
    database would show its fields shuffled. A list the author wrote is left as it is."""
    properties = schema.get("properties")
    if not isinstance(properties, dict):
        return schema
    ordered = {
        **schema,
        "properties": {k: with_field_order(v) if isinstance(v, dict) else v for k, v in properties.items()},
    }
    ordered.setdefault(FIELD_ORDER, list(properties))
    return ordered


def ordered_properties(schema: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """An object schema's properties in the order its author wrote them: its "x-order" list first, then any
    property the list leaves out."""
    properties = schema.get("properties") or {}
    order = schema.get(FIELD_ORDER)
    first = [key for key in order if key in properties] if isinstance(order, list) else []
    return [(key, properties[key]) for key in first] + [
        (k, v) for k, v in properties.items() if k not in first
    ]


def schema_problem(schema: Any) -> str | None:
    """Why `schema` cannot serve as an e-form, or None when it can."""
    if not isinstance(schema, dict):
        return _("An e-form schema is a JSON object.")
    if not schema:
        return None
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        return _("The e-form schema is invalid: %s") % exc.message
    if schema.get("type") != "object":
        return _('An e-form schema describes an object ("type": "object").')
    return None


@lru_cache(maxsize=512)
def _validator(schema_json: str) -> Draft202012Validator:
    return Draft202012Validator(json.loads(schema_json), format_checker=FormatChecker())


def _message(error: SchemaValidationError) -> str:
    expected = error.validator_value
    messages = {
        "required": _("This field is required."),
        "type": _("Expected a value of type %s.") % expected,
        "minLength": _("Too short: at least %s characters.") % expected,
        "maxLength": _("Too long: at most %s characters.") % expected,
        "pattern": _("Does not have the required format."),
        "format": _("Not a valid %s.") % expected,
        # Every message is built whatever the keyword: only an enum's expected value is a list to join.
        "enum": _("Must be one of: %s.")
        % ", ".join(map(str, expected if isinstance(expected, list) else [])),
        "minimum": _("Must be at least %s.") % expected,
        "maximum": _("Must be at most %s.") % expected,
        "exclusiveMinimum": _("Must be more than %s.") % expected,
        "exclusiveMaximum": _("Must be less than %s.") % expected,
        "additionalProperties": _("This field is not part of the form."),
    }
    return messages.get(str(error.validator), error.message)


def _path(error: SchemaValidationError) -> str:
    parts = [str(p) for p in error.absolute_path]
    if error.validator == "required":
        # jsonschema reports a missing property on its parent; the caller wants the missing field's own path.
        missing = next(
            (n for n in error.validator_value if error.message == f"{n!r} is a required property"), None
        )
        if missing:
            parts.append(missing)
    return ".".join(["form", *parts])


def form_problems(schema: dict[str, Any], data: Any) -> list[FieldProblem]:
    """Every way `data` fails the e-form `schema`, each with its field path (form.child.name)."""
    if not schema:
        return []
    validator = _validator(json.dumps(schema, sort_keys=True))
    return [
        FieldProblem(_path(error), str(error.validator), _message(error))
        for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    ]
