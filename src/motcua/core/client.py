"""Where a request comes from: the one place that reads the client's address.

Behind a reverse proxy the connection's address is the proxy's; the proxy names the client in a header. That
header is believed only when MOTCUA_TRUSTED_PROXY_HEADER names it, since anyone can send it to a server
reached directly.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _meta_key(header: str) -> str:
    key = header.upper().replace("-", "_")
    return key if key.startswith("HTTP_") or key == "REMOTE_ADDR" else f"HTTP_{key}"


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    """The client's IP address: from the trusted proxy's header when one is configured, else REMOTE_ADDR.

    In a list such as X-Forwarded-For the last entry is the one the trusted proxy added; the ones before it
    came from the client and prove nothing.
    """
    header = getattr(settings, "MOTCUA_TRUSTED_PROXY_HEADER", "")
    if header:
        value = request.META.get(_meta_key(header), "")
        entries = [entry for entry in value.split(",") if entry.strip()]
        if entries and (address := _valid(entries[-1])):
            return address
    return _valid(request.META.get("REMOTE_ADDR", "") or "")
