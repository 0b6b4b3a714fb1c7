"""What every router shares: the problem+json responses and the authentication of API callers."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Annotated, Any

from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import JSONRenderer
from pydantic import PlainSerializer

from motcua.core.errors import DomainError, FieldProblem, TooManyRequests, problem_body, problem_response
from motcua.core.outage import is_connection_failure, unavailable_response

logger = logging.getLogger(__name__)

# Times leave the API in the deployment's local time with its offset (+07:00), as officials and the national
# portal read them; they are stored in UTC.
LocalDateTime = Annotated[
    dt.datetime, PlainSerializer(lambda v: timezone.localtime(v).isoformat(), when_used="always")
]

# ninja prefixes every error location with where it came from, and a body with the name of the endpoint's body
# parameter (which every endpoint here calls `payload`); the caller knows its own fields only.
_LOCATIONS = {"body", "query", "path", "header", "form", "file", "cookie"}
BODY_PARAMETER = "payload"


class UnicodeJSONRenderer(JSONRenderer):
    """Vietnamese text as itself, not as \\u escapes: readable in logs and curl, and shorter."""

    json_dumps_params = {"ensure_ascii": False}


def _field_path(loc: list[Any] | tuple[Any, ...]) -> str:
    """ninja's location ("body", "payload", "applicant", "id_number") as the caller's field path."""
    parts = list(loc)
    if parts and parts[0] in _LOCATIONS:
        location = parts.pop(0)
        if location == "body" and parts and parts[0] == BODY_PARAMETER:
            parts.pop(0)
    return ".".join(str(p) for p in parts) or "body"


def _validation_message(error: dict[str, Any]) -> str:
    """The framework speaks English only; its usual validation messages are said in the user's language."""
    kind, context = str(error.get("type", "")), error.get("ctx") or {}
    messages = {
        "missing": _("This field is required."),
        "string_type": _("Expected text."),
        "int_type": _("Expected a whole number."),
        "int_parsing": _("Expected a whole number."),
        "bool_parsing": _("Expected true or false."),
        "dict_type": _("Expected an object."),
        "model_attributes_type": _("Expected an object."),
        "list_type": _("Expected a list."),
        "date_from_datetime_parsing": _("Not a valid date."),
        "date_parsing": _("Not a valid date."),
        "datetime_from_date_parsing": _("Not a valid date and time."),
        "datetime_parsing": _("Not a valid date and time."),
        "json_invalid": _("The body is not valid JSON."),
        "literal_error": _("Must be one of: %s.") % context.get("expected", ""),
        "string_too_long": _("Too long: at most %s characters.") % context.get("max_length", ""),
        "string_too_short": _("Too short: at least %s characters.") % context.get("min_length", ""),
        "greater_than_equal": _("Must be at least %s.") % context.get("ge", ""),
        "less_than_equal": _("Must be at most %s.") % context.get("le", ""),
    }
    return str(messages.get(kind, error.get("msg", "")))


REALM = "motcua"


def challenge(request: HttpRequest) -> str:
    """The `WWW-Authenticate` of a 401 (RFC 6750 §3): a token was sent and refused, or none was sent."""
    if request.headers.get("Authorization", "").lower().startswith("bearer "):
        return f'Bearer realm="{REALM}", error="invalid_token"'
    return f'Bearer realm="{REALM}"'


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        response = problem_response(exc.status, exc.problem())
        if exc.status == 401:
            response["WWW-Authenticate"] = challenge(request)
        if isinstance(exc, TooManyRequests):
            response["Retry-After"] = str(exc.retry_after)
        return response

    @api.exception_handler(NinjaValidationError)
    def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        problems = [
            FieldProblem(
                _field_path(err.get("loc", ())), str(err.get("type", "invalid")), _validation_message(err)
            )
            for err in exc.errors
        ]
        body = problem_body(422, "invalid-input", _("The request has invalid data"), errors=problems)
        return problem_response(422, body)

    @api.exception_handler(AuthenticationError)
    def not_authenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = problem_response(401, problem_body(401, "not-authenticated", _("Authentication required")))
        response["WWW-Authenticate"] = challenge(request)
        return response

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc.__cause__, DomainError):
            # ninja wraps whatever the body parser raises; the parser's own verdict names the field.
            return domain_error(request, exc.__cause__)
        slug = "invalid-body" if exc.status_code == 400 else "http-error"
        return problem_response(exc.status_code, problem_body(exc.status_code, slug, str(exc)))

    @api.exception_handler(RequestDataTooBig)
    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        # A JSON body over DATA_UPLOAD_MAX_MEMORY_SIZE, which Django refuses to read (forms: core.middleware).
        message = _("The request body is too large.")
        problems = [FieldProblem("body", "too_large", message)]
        body = problem_body(413, "payload-too-large", _("The request body is too large"), message, problems)
        return problem_response(413, body)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return problem_response(404, problem_body(404, "not-found", _("Not found")))

    @api.exception_handler(OperationalError)
    @api.exception_handler(InterfaceError)
    def database_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        # The database is down or restarting: 503 with Retry-After (core.outage); any other database error is
        # a fault like any other.
        if is_connection_failure(exc):
            return unavailable_response(request)
        return unexpected(request, exc)

    @api.exception_handler(Exception)
    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("Unhandled error on %s %s", request.method, request.path)
        return problem_response(500, problem_body(500, "internal-error", _("Internal error")))
