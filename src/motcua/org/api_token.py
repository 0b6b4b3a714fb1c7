"""POST /api/v1/auth/token: a bearer token for a username and password (and the second factor's code).

The same defences as every sign-in (ADR 0013): the credentials go through authenticate() with the request, so
django-axes counts failures per account and per client address and a locked-out caller gets 429
problem+json with Retry-After (motcua.org.signin.lockout_response), the right password included.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from motcua.core.errors import FieldProblem, NotAuthenticated, PermissionDenied
from motcua.core.openapi import answers
from motcua.org import twofactor
from motcua.org.services import issue_api_token

router = Router(tags=["authentication"])


class TokenIn(Schema):
    username: str = Field(min_length=1, max_length=254)
    password: str = Field(min_length=1, max_length=4096)
    otp: str | None = Field(
        default=None, max_length=32, description="The authenticator's code or a recovery code"
    )


class TokenOut(Schema):
    token: str
    expires_at: dt.datetime


def _refused(request: HttpRequest, username: str, field: str, code: str, message: str) -> NotAuthenticated:
    user_login_failed.send(__name__, credentials={"username": username}, request=request)
    return NotAuthenticated(message, [FieldProblem(field, code, message)])


@router.post("/token", response={201: TokenOut}, auth=None, summary="Get an API token")
@answers(401, 403, 429)
def issue_token(request: HttpRequest, payload: TokenIn) -> Status[dict[str, object]]:
    """Exchange a username and password for a bearer token, shown this once. An account with two-factor
    sign-in also sends `otp`. Wrong credentials answer 401; too many failures 429 with Retry-After; an account
    that must set up two-factor sign-in first 403."""
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        # django.contrib.auth has recorded the failure; a lock-out turns this answer into 429.
        message = _("The username or the password is not right.")
        raise NotAuthenticated(message, [FieldProblem("password", "wrong-credentials", message)])
    if twofactor.enrolled(user):
        if not payload.otp:
            message = _(
                "This account signs in with two factors: send the code from the authenticator app in otp."
            )
            raise NotAuthenticated(message, [FieldProblem("otp", "required", message)])
        if twofactor.verify(user, payload.otp) is None:
            message = _("The code is not right, or it was already used.")
            raise _refused(request, payload.username, "otp", "wrong-code", message)
    elif twofactor.required(user):
        raise PermissionDenied(
            _("Your role requires two-factor sign-in: set it up in the back office first.")
        )
    key = issue_api_token(user)
    return Status(201, {"token": key, "expires_at": key.expires_at})
