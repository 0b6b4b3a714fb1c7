"""Domain errors and their RFC 9457 problem+json form.

Services raise these; the API turns them into responses. A message says which field and why, in the request's
language (the strings are translated through gettext).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class FieldProblem:
    field: str
    code: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "code": self.code, "message": str(self.message)}


class DomainError(Exception):
    status: ClassVar[int] = 400
    slug: ClassVar[str] = "bad-request"
    title: ClassVar[Any] = _("Bad request")

    def __init__(self, detail: Any = "", errors: list[FieldProblem] | None = None) -> None:
        super().__init__(str(detail))
        self.detail = detail
        self.errors = list(errors or [])

    def problem(self) -> dict[str, Any]:
        return problem_body(self.status, self.slug, self.title, self.detail, self.errors)


class InvalidInput(DomainError):
    status = 422
    slug = "invalid-input"
    title = _("The request has invalid data")

    @classmethod
    def field(cls, field: str, code: str, message: Any) -> InvalidInput:
        return cls(message, [FieldProblem(field, code, message)])


class MalformedRequest(DomainError):
    status = 400
    slug = "malformed-request"
    title = _("The request could not be read")


class NotAuthenticated(DomainError):
    status = 401
    slug = "not-authenticated"
    title = _("Authentication required")


class PermissionDenied(DomainError):
    status = 403
    slug = "forbidden"
    title = _("Not allowed")


class NotFound(DomainError):
    status = 404
    slug = "not-found"
    title = _("Not found")


class Conflict(DomainError):
    status = 409
    slug = "conflict"
    title = _("Conflict with the current state")


class StaleVersion(Conflict):
    slug = "stale-version"
    title = _("The dossier was changed by someone else")


class PayloadTooLarge(DomainError):
    status = 413
    slug = "payload-too-large"
    title = _("The file is too large")


class TooManyRequests(DomainError):
    """Over a rate limit; `retry_after` is the wait in seconds, sent as the Retry-After header."""

    status = 429
    slug = "too-many-requests"
    title = _("Too many requests")

    def __init__(self, detail: Any = "", retry_after: int = 60) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


def problem_body(
    status: int, slug: str, title: Any, detail: Any = "", errors: list[FieldProblem] | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": f"urn:motcua:problem:{slug}",
        "title": str(title),
        "status": status,
        "detail": str(detail or title),
    }
    body["errors"] = [e.as_dict() for e in errors or []]
    return body


PROBLEM_JSON = "application/problem+json"


def problem_response(status: int, body: dict[str, Any]) -> HttpResponse:
    try:
        return JsonResponse(
            body, status=status, content_type=PROBLEM_JSON, json_dumps_params={"ensure_ascii": False}
        )
    except UnicodeEncodeError:
        # A message that echoes the caller's unencodable text is sent escaped rather than not at all.
        return JsonResponse(body, status=status, content_type=PROBLEM_JSON)
