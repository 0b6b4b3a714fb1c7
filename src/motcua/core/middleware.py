"""Refuse a request whose path or query carries text no database can store (see core.input)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
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
