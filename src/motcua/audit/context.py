"""Who is changing things right now: the web request being served (set by `remember_request`), or the command
the process runs. Read lazily when a change is recorded, so that an API token's user, which is known only once
the endpoint has authenticated it, is named too."""

from __future__ import annotations

import sys
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from django.http import HttpRequest, HttpResponse

_request: ContextVar[HttpRequest | None] = ContextVar("motcua_audit_request", default=None)


@dataclass(frozen=True)
class Actor:
    id: int | None
    name: str
    via: str


def remember_request(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[..., HttpResponse]:
    """Middleware (after authentication): the request is the context of every change it makes."""

    def middleware(request: HttpRequest) -> HttpResponse:
        token = _request.set(request)
        try:
            return get_response(request)
        finally:
            _request.reset(token)

    return middleware


def _command() -> str:
    program = Path(sys.argv[0]).name if sys.argv else ""
    if program in {"motcua", "manage.py", "__main__.py"} and len(sys.argv) > 1:
        return f"command {sys.argv[1]}"[:64]
    return "process"


def current_actor() -> Actor:
    request = _request.get()
    if request is None:
        return Actor(None, "", _command())
    user = getattr(request, "user", None)
    via = f"web {request.method}"
    if user is None or not user.is_authenticated:
        return Actor(None, "", via)
    return Actor(user.pk, user.get_username()[:150], via)
