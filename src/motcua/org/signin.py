"""Sign-in defences (ADR 0013): django-axes wired to our sign-in, the lock-out answer, and staff sessions.

Every sign-in (staff, portal, admin, API token) goes through django.contrib.auth.authenticate with the
request, so axes sees each attempt: SignInThrottle, first among the backends, refuses a locked-out account or
address before the password is looked at, and axes' handler records every failure. The lock-out answer is a
page in the visitor's language saying how long to wait, or problem+json 429 with Retry-After for the API.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser, User
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from motcua.core.errors import problem_body, problem_response
from motcua.core.identifiers import mask_personal_id
from motcua.org.accounts import normalize_email, normalize_phone
from motcua.org.selectors import roles_by_agency
from motcua.org.twofactor import PENDING_KEY, pending_step

# Session keys of an officer's session: when they signed in and when they were last seen (epoch seconds).
STAFF_SINCE_KEY = "motcua.staff_since"
STAFF_SEEN_KEY = "motcua.staff_seen"
# Writing the session on every request would cost a write per page; to the minute is enough for idle expiry.
SEEN_RESOLUTION_SECONDS = 60
# Personal ID numbers: the old 9-digit identity card and the 12-digit citizen identity card.
PERSONAL_ID_LENGTHS = (9, 12)
_DIGIT_RUN = re.compile(r"\d{6,}")


class SignInThrottle(AxesStandaloneBackend):
    """axes' gate, first among AUTHENTICATION_BACKENDS: a locked-out account or client address is refused
    whatever the password. A call without a request is not a sign-in from outside (the test client's login,
    a management shell) and is left to the other backends."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def sign_in_name(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str | None:
    """The name failures are counted against, spelt one way: 'A@X.vn ' and 'a@x.vn' are one account, as are
    '+84 912 345 678' and '0912345678', so changing the spelling does not reset the count."""
    name = (credentials or {}).get("username")
    if name is None and request is not None:
        name = request.POST.get("username")
    if not name:
        return None
    name = str(name).strip()
    if "@" in name:
        return normalize_email(name)
    phone = normalize_phone(name)
    if phone.isdigit():
        if len(phone) in PERSONAL_ID_LENGTHS:
            # A personal ID number typed as the sign-in name (it never is one) is counted under a keyed hash,
            # so neither the audit table nor the log holds it.
            digest = hmac.new(settings.SECRET_KEY.encode(), phone.encode(), hashlib.sha256).hexdigest()
            return f"id-number:{digest[:16]}"
        return phone
    return name.lower()


def log_name(
    username: str | None, ip_address: str | None, user_agent: str, path_info: str, request: HttpRequest
) -> str:
    """How axes names a client in the server log (AXES_CLIENT_STR_CALLABLE): the sign-in name, its digits
    masked as a personal ID number's would be, the address and the page."""
    shown = _DIGIT_RUN.sub(lambda run: mask_personal_id(run.group()), username or "")
    return f"{shown!r} from {ip_address} on {path_info}"


def cool_off(request: HttpRequest | None = None) -> dt.timedelta:
    return dt.timedelta(minutes=settings.MOTCUA_SIGNIN_COOLOFF_MINUTES)


def wait_message(minutes: int) -> str:
    return ngettext(
        "Too many failed sign-in attempts. For your security, signing in is paused: try again in %(minutes)d "
        "minute.",
        "Too many failed sign-in attempts. For your security, signing in is paused: try again in %(minutes)d "
        "minutes.",
        minutes,
    ) % {"minutes": minutes}


def _audience(request: HttpRequest) -> dict[str, str]:
    staff = request.path.startswith(("/office/", "/admin/"))
    return settings.MOTCUA_AUDIENCE_PAGES["staff" if staff else "citizen"]


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """What a locked-out visitor is told. The wait counts from this attempt: axes restarts the cool-off on
    every attempt during a lock-out, so retrying early only makes it longer."""
    seconds = int(cool_off(request).total_seconds())
    minutes = max(1, math.ceil(seconds / 60))
    message = wait_message(minutes)
    if request.path.startswith("/api/"):
        response = problem_response(
            429, problem_body(429, "too-many-attempts", _("Too many failed sign-in attempts"), message)
        )
    else:
        pages = _audience(request)
        until = timezone.localtime() + dt.timedelta(seconds=seconds)
        context = {
            "base_template": pages["base_template"],
            "message": message,
            "until": until,
            "login_url": reverse(pages["login"]),
        }
        response = render(request, "signin/locked.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response


def is_staff_account(user: User | AnonymousUser) -> bool:
    """An officer (a staff role somewhere) or a user of the admin: their sessions follow the staff rules."""
    return user.is_authenticated and (user.is_staff or user.is_superuser or bool(roles_by_agency(user)))


@receiver(user_logged_in, dispatch_uid="motcua.org.signin.on_sign_in")
def _on_sign_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """Start the staff session clock, and note whether a second factor is still owed (twofactor)."""
    if request is None or not hasattr(request, "session"):
        return
    if is_staff_account(user):
        now = time.time()
        request.session[STAFF_SINCE_KEY] = now
        request.session[STAFF_SEEN_KEY] = now
        # The stored session itself dies after the idle time too, not only the page's view of it.
        request.session.set_expiry(int(settings.MOTCUA_STAFF_IDLE_MINUTES * 60))
    step = pending_step(user)
    if step:
        request.session[PENDING_KEY] = step
    else:
        request.session.pop(PENDING_KEY, None)


def staff_session_policy(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable:
    """Middleware: an officer's session ends MOTCUA_STAFF_SESSION_HOURS after sign-in, or after
    MOTCUA_STAFF_IDLE_MINUTES without a request; the request then carries on signed out (and the page asks
    to sign in again)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        since = session.get(STAFF_SINCE_KEY) if session is not None else None
        if since is not None and session is not None:
            now = time.time()
            seen = session.get(STAFF_SEEN_KEY, since)
            too_old = now - since > settings.MOTCUA_STAFF_SESSION_HOURS * 3600
            idle = now - seen > settings.MOTCUA_STAFF_IDLE_MINUTES * 60
            if too_old or idle:
                logout(request)
            elif now - seen > SEEN_RESOLUTION_SECONDS:
                session[STAFF_SEEN_KEY] = now
        return get_response(request)

    return middleware


# --- the sign-in record, for auditors ----------------------------------------------------------------------

SIGN_IN_LOG_ROLES = frozenset({"admin", "auditor"})


def may_read_sign_in_log(user: User | AnonymousUser) -> bool:
    """Superusers and holders of the admin or auditor role read the record of failed and refused sign-ins."""
    if not user.is_authenticated:
        return False
    held = {role for roles in roles_by_agency(user).values() for role in roles}
    return user.is_superuser or bool(held & SIGN_IN_LOG_ROLES)


@dataclass(frozen=True)
class SignInRecord:
    failures: list[AccessFailureLog]
    locked: list[AccessAttempt]


def sign_in_record(limit: int = 200) -> SignInRecord:
    """The latest failed or refused sign-ins, newest first, and the accounts and addresses locked out now."""
    since = timezone.now() - cool_off()
    locked = AccessAttempt.objects.filter(
        attempt_time__gte=since, failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    ).order_by("-attempt_time")
    failures = AccessFailureLog.objects.order_by("-attempt_time")[:limit]
    return SignInRecord(list(failures), list(locked))
