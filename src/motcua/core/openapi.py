"""The OpenAPI tells the truth about errors: every operation lists the problem+json answers it can give.

Each answer is derived, in this one place, from what the operation really has, and from the code that answers
it (`motcua.core.api`, `motcua.core.middleware`, `motcua.org.auth`):

- a caller must authenticate → 401 (no or a refused credential) and 403 (a known caller who may not act, or a
  browser session without its CSRF token);
- a path parameter → 404 (nothing by that name in the caller's scope) and 400 (a path no database can store);
- query parameters → 422 (a value of the wrong type, or text no database can store);
- a body → 400 (unreadable: not JSON, a malformed form), 422 (invalid data) and 413 (larger than the limits);
- an unsafe method with a JSON body (intake, lifecycle actions, delegations) → 409 (a stale `version`, an
  `Idempotency-Key` reused for another body, a state that does not allow it);
- throttled → 429.

A 5xx is never documented: it is a bug, and the schemathesis run of the test suite fails on one.
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI
from ninja.operation import Operation

from motcua.core.errors import PROBLEM_JSON

PROBLEM_SCHEMA = "Problem"
PROBLEM_COMPONENT: dict[str, Any] = {
    "title": PROBLEM_SCHEMA,
    "description": "An RFC 9457 problem: what went wrong, and for invalid input the fields and why.",
    "type": "object",
    "required": ["type", "title", "status", "detail", "errors"],
    "properties": {
        "type": {"type": "string", "description": "urn:motcua:problem:<slug>"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "code", "message"],
                "properties": {
                    "field": {"type": "string", "description": "The field's path, e.g. applicant.id_number."},
                    "code": {"type": "string"},
                    "message": {"type": "string", "description": "In the request's language."},
                },
            },
        },
    },
}
# The API guide is written for developers, in English, like the operations' summaries.
DESCRIPTIONS = {
    400: "The request could not be read (malformed body or path).",
    401: "No credentials, or refused ones: send a valid bearer token.",
    403: "Known caller who may not do this, or a browser session without its CSRF token.",
    404: "Nothing by that name in your scope.",
    409: "Conflicts with the current state: a stale version, or a reused Idempotency-Key.",
    413: "The body or file is larger than the limit.",
    422: "Invalid data: the errors name each field and why.",
    429: "Too many requests: wait for the time in Retry-After.",
}
UNSAFE = frozenset({"post", "put", "patch", "delete"})


READS_ONLY = "_motcua_reads_only"


def reads_only(view: Any) -> Any:
    """Marks an endpoint that uses POST only to keep its query out of the URL: it changes nothing (no 409)."""
    setattr(view, READS_ONLY, True)
    return view


ANSWERS = "_motcua_error_statuses"


def answers(*statuses: int) -> Any:
    """Declares error answers an endpoint gives that its shape does not show (an unauthenticated sign-in that
    answers 401 for wrong credentials and 429 when locked out)."""

    def mark(view: Any) -> Any:
        setattr(view, ANSWERS, frozenset(statuses))
        return view

    return mark


def error_statuses(
    method: str, operation: dict[str, Any], throttled: bool = False, changes_state: bool = True
) -> set[int]:
    """The error answers an OpenAPI operation can really give (see the module's docstring)."""
    statuses: set[int] = set()
    places = {parameter.get("in") for parameter in operation.get("parameters", [])}
    content = operation.get("requestBody", {}).get("content", {})
    if operation.get("security"):
        statuses |= {401, 403}
    if "path" in places:
        statuses |= {400, 404, 422}
    if "query" in places:
        statuses.add(422)
    if content:
        statuses |= {400, 413, 422}
        if method in UNSAFE and changes_state and "application/json" in content:
            statuses.add(409)
    if throttled:
        statuses.add(429)
    return statuses


def _problem_answer(status: int) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "description": DESCRIPTIONS[status],
        "content": {PROBLEM_JSON: {"schema": {"$ref": f"#/components/schemas/{PROBLEM_SCHEMA}"}}},
    }
    if status == 401:
        answer["headers"] = {
            "WWW-Authenticate": {"schema": {"type": "string"}, "description": 'Bearer realm="motcua"'}
        }
    if status == 429:
        answer["headers"] = {"Retry-After": {"schema": {"type": "integer"}}}
    return answer


def operations(api: NinjaAPI) -> dict[str, Operation]:
    """Every operation of `api` by its OpenAPI operationId."""
    found = {}
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                found[operation.operation_id or api.get_openapi_operation_id(operation)] = operation
    return found


def _by_status_text(answers: dict[Any, Any]) -> dict[str, Any]:
    """ninja keys the answers it derives by number and keeps `openapi_extra`'s by text: in JSON both become
    the same key, which no OpenAPI reader accepts. One key per status, the extra's fields over ninja's."""
    merged: dict[str, Any] = {}
    for status, answer in answers.items():
        merged.setdefault(str(status), {}).update(answer)
    return merged


class DocumentedAPI(NinjaAPI):
    """A NinjaAPI whose OpenAPI lists each operation's problem+json answers."""

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        by_id = operations(self)
        schema.setdefault("components", {}).setdefault("schemas", {})[PROBLEM_SCHEMA] = PROBLEM_COMPONENT
        for path_item in schema["paths"].values():
            for method, operation in path_item.items():
                found = by_id.get(operation.get("operationId", ""))
                throttled = bool(found is not None and found.throttle_objects)
                changes_state = not (found is not None and getattr(found.view_func, READS_ONLY, False))
                answers = operation["responses"] = _by_status_text(operation.get("responses", {}))
                declared: frozenset[int] = frozenset()
                if found is not None:
                    declared = getattr(found.view_func, ANSWERS, frozenset())
                statuses = error_statuses(method, operation, throttled, changes_state) | declared
                for status in sorted(statuses):
                    answers.setdefault(str(status), _problem_answer(status))
        return schema
