"""How API callers prove who they are: a bearer token, or the browser session (with CSRF).

A caller with no credentials at all is unknown: 401, with the `WWW-Authenticate` challenge (RFC 9110 §11.6.1;
the 401 itself is answered by `motcua.core.api`). Only a known caller is ever refused with a 403: one who may
not act, or a signed-in browser whose unsafe request carries no valid CSRF token (ninja's own session auth
checks CSRF before it knows whether there is a session at all, which made an anonymous POST a 403).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja.security import HttpBearer
from ninja.security.session import SessionAuth
from ninja.utils import check_csrf

from motcua.core.errors import PermissionDenied
from motcua.org.services import user_for_token


class CsrfMissing(PermissionDenied):
    slug = "csrf-failed"
    title = _("The request has no valid CSRF token")


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class SignedInSession(SessionAuth):
    """The browser's session: a caller without one is left unauthenticated (401), never CSRF-refused."""

    def _get_key(self, request: HttpRequest) -> str | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise CsrfMissing(
                _(
                    "You are signed in through the browser, but this request carries no valid CSRF token: "
                    "send the X-CSRFToken header, or use a bearer token."
                )
            )
        return request.COOKIES.get(self.param_name)


api_auth = [BearerToken(), SignedInSession()]
