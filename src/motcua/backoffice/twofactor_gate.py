"""Middleware: a session that still owes its second factor (motcua.org.twofactor) can do nothing else.

After the password, an officer with an authenticator is sent to the code page, and one who must have an
authenticator but has none to enrolment, whatever they ask for: the inbox, the admin, the printed forms or the
API through the browser session (which answers 401 problem+json instead of a redirect).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from motcua.core.errors import problem_body, problem_response
from motcua.org.twofactor import PENDING_KEY, VERIFY

# What a session owing its second factor may still reach besides the step's own page and signing out.
OPEN_PREFIXES = ("/static/", "/i18n/", "/healthz", "/favicon")


def step_url(step: str) -> str:
    return reverse("backoffice:2fa-verify" if step == VERIFY else "backoffice:2fa-enrol")


def second_factor_gate(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable:
    def middleware(request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        step = session.get(PENDING_KEY) if session is not None else None
        if step and request.user.is_authenticated:
            target = step_url(step)
            path = request.path
            if path not in (target, reverse("backoffice:logout")) and not path.startswith(OPEN_PREFIXES):
                if path.startswith("/api/"):
                    detail = _("Finish signing in with your second factor in the back office first.")
                    body = problem_body(401, "second-factor-required", _("Second factor required"), detail)
                    return problem_response(401, body)
                return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return get_response(request)

    return middleware
