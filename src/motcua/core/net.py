"""Where a request came from: the one place that reads the client's address (access log, throttles).

Behind a TLS proxy every request comes from the proxy, so the proxy's header naming the client is trusted
only when `MOTCUA_TRUSTED_PROXY_HEADER` names it (a WSGI name such as `HTTP_X_FORWARDED_FOR`); the left-most
address of that header is the client the proxy saw. Without the setting, `REMOTE_ADDR`. A value that is not
an IP address is never passed on (a forged header must not put text into the logs)."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _address(value: str) -> str:
    candidate = value.strip().strip("[]")
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return ""


def client_address(request: HttpRequest) -> str:
    """The client's IP address as text, or "" when it is unknown or malformed."""
    header = str(getattr(settings, "MOTCUA_TRUSTED_PROXY_HEADER", "") or "")
    if header:
        forwarded = str(request.META.get(header, ""))
        if forwarded:
            return _address(forwarded.split(",")[0])
    return _address(str(request.META.get("REMOTE_ADDR", "")))
