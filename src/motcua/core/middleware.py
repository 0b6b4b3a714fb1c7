"""Refuse at the door a request no view could read: text no database can store (see core.input) in its path or
query, or a form body that cannot be parsed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _

from motcua.core.errors import FieldProblem, problem_body, problem_response
from motcua.core.input import has_unstorable_text


def reject_unstorable_text(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[..., HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        # A bad path cannot name anything (400); a bad query parameter is invalid data like any other (422).
        bad, status = ("path", 400) if has_unstorable_text(request.path) else (None, 422)
        for key, values in request.GET.lists():
            if bad is None and any(has_unstorable_text(v) for v in [key, *values]):
                bad = key.encode("utf-8", "backslashreplace").decode("utf-8")
        if bad is not None:
            problem = FieldProblem(bad, "unstorable_text", _("Contains a character that cannot be stored."))
            body = problem_body(status, "invalid-input", _("The request has invalid data"), errors=[problem])
            return problem_response(status, body)
        return get_response(request)

    return middleware


def refuse_unreadable_body(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[..., HttpResponse]:
    """A form body Django cannot read is the caller's fault: 400 (413 when too large), never a 500.

    Django's multipart parser raises on a missing or wrong boundary and on a body cut short, and the views
    would meet that as an unexpected error deep inside parameter parsing; the body is read here, once, so
    every view and the API see either a parsed form or this answer.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        if request.method in ("POST", "PUT", "PATCH") and request.content_type in FORM_TYPES:
            boundary = (request.content_params or {}).get("boundary", "").encode("ascii", "replace")
            multipart = request.content_type == "multipart/form-data" and boundary
            if multipart:
                # Django's parser takes a body cut short, or written with another boundary, as complete; the
                # last bytes read say whether the closing delimiter came (RFC 2046 §5.1.1).
                request._stream = _TailKeeper(request._stream, len(boundary) + 8)  # type: ignore[assignment]
            try:
                request.POST  # noqa: B018 (reading it parses the body)
            except RequestDataTooBig:
                return _unreadable(413, "too_large", _("The request body is too large."))
            except (MultiPartParserError, TooManyFieldsSent, TooManyFilesSent, UnreadablePostError):
                return _unreadable(
                    400, "malformed_form", _("The form data could not be read (malformed multipart body).")
                )
            if multipart and not request._stream.ends_with(b"--" + boundary + b"--"):  # type: ignore[attr-defined]
                return _unreadable(
                    400,
                    "truncated_form",
                    _("The form data ends before its closing boundary: it was cut short."),
                )
        return get_response(request)

    return middleware


class _TailKeeper:
    """A read-only stream that remembers its last `keep` bytes."""

    def __init__(self, stream: Any, keep: int) -> None:
        self.stream, self.keep, self.tail = stream, keep, b""

    def read(self, *args: Any) -> bytes:
        data = self.stream.read(*args)
        self.tail = (self.tail + data)[-self.keep :]
        return data

    def readline(self, *args: Any) -> bytes:
        data = self.stream.readline(*args)
        self.tail = (self.tail + data)[-self.keep :]
        return data

    def ends_with(self, delimiter: bytes) -> bool:
        return self.tail.rstrip(b"\r\n").endswith(delimiter)


FORM_TYPES = frozenset({"multipart/form-data", "application/x-www-form-urlencoded"})


def _unreadable(status: int, code: str, message: str) -> HttpResponse:
    slug = "payload-too-large" if status == 413 else "malformed-request"
    title = _("The request body is too large") if status == 413 else _("The request could not be read")
    body = problem_body(status, slug, title, message, errors=[FieldProblem("body", code, message)])
    return problem_response(status, body)


def permissions_policy(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[..., HttpResponse]:
    """Sends settings.MOTCUA_PERMISSIONS_POLICY as Permissions-Policy (Django has no setting for it)."""
    from django.conf import settings

    policy = settings.MOTCUA_PERMISSIONS_POLICY

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if policy:
            response.headers.setdefault("Permissions-Policy", policy)
        return response

    return middleware
