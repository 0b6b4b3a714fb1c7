"""A database that cannot be reached answers 503 with `Retry-After`, never 500 (issue 10, ADR 0019).

When PostgreSQL restarts, fails over or is briefly out of connections, a request that needs it cannot be
served, but nothing is wrong with the request or with the code: the honest answer is "unavailable, try again
in a few seconds". The API says it as problem+json, the pages as a plain page that needs no database (no
session, no user, no base template with context processors). Only connection failures are mapped: a lock
timeout, a deadlock or a constraint violation stays what it is.

Recovery needs nothing from here: Django closes a connection that raised (`errors_occurred`), and with
`CONN_HEALTH_CHECKS` a kept connection is tested before reuse, so the first request after the database is
back reconnects by itself.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import defaults

from motcua.core.errors import problem_body, problem_response

logger = logging.getLogger(__name__)

# SQLSTATE class 08 is "connection exception"; 57P01-57P03 are the server shutting down, crashing or starting.
_CONNECTION_STATES = ("08", "57P01", "57P02", "57P03")
# SQLite has no server: it is "unavailable" only when its file cannot be opened (a missing or unmounted
# volume).
_SQLITE_UNAVAILABLE = ("unable to open database file", "disk i/o error")


def is_connection_failure(exc: BaseException | None) -> bool:
    """True when `exc` says the database could not be reached, not that the query itself failed."""
    if isinstance(exc, InterfaceError):
        return True  # "connection already closed" and its like: Django's wrapper lost the connection
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    sqlstate = getattr(cause, "sqlstate", None)
    if sqlstate:
        return str(sqlstate).startswith(_CONNECTION_STATES)
    if type(cause).__module__.startswith("psycopg"):
        # psycopg gives no SQLSTATE when there is no server answer at all: refused, reset, closed mid-query.
        return True
    return any(text in str(exc).lower() for text in _SQLITE_UNAVAILABLE)


def retry_after() -> str:
    return str(settings.MOTCUA_RETRY_AFTER_SECONDS)


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """The 503 answer: problem+json for the API (and anything that asked for JSON), a plain page otherwise."""
    logger.warning("Database unavailable on %s %s: answered 503", request.method, request.path)
    title = _("The service is temporarily unavailable")
    detail = _("The database cannot be reached. Please try again in a few seconds.")
    if is_api(request) or "json" in request.headers.get("Accept", ""):
        response = problem_response(503, problem_body(503, "service-unavailable", title, detail))
    else:
        page = render_to_string("core/unavailable.html", {"title": title, "detail": detail})
        response = HttpResponse(page, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = retry_after()
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Turns a connection failure raised by a view into the 503 answer (even with DEBUG on).

    A failure in a middleware's own response phase (the session being saved) never reaches
    `process_exception`; `server_error` below, the project's handler500, answers those."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if is_connection_failure(exception):
            return unavailable_response(request)
        return None


def server_error(request: HttpRequest, template_name: str = defaults.ERROR_500_TEMPLATE_NAME) -> HttpResponse:
    """handler500: the 503 answer when the uncaught exception was a connection failure, else Django's 500."""
    if is_connection_failure(sys.exc_info()[1]):
        return unavailable_response(request)
    if is_api(request):
        return problem_response(500, problem_body(500, "internal-error", _("Internal error")))
    return defaults.server_error(request, template_name)
