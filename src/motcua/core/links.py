"""Absolute links to the site, for whatever leaves it: e-mails, QR codes, printed forms.

They are built from settings.MOTCUA_PUBLIC_URL and never from the request's Host header, which the client
writes: a reset link built from `Host: evil.example` would carry a citizen's token to that host (issue 10,
finding 2). Production refuses to start without an https MOTCUA_PUBLIC_URL; elsewhere it has a local default.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings


def public_url() -> str:
    """The site's public address, without a trailing slash: `https://dichvucong.example.vn`."""
    base: str = settings.MOTCUA_PUBLIC_URL
    return base.rstrip("/")


def absolute_url(path: str) -> str:
    """`path` (as `reverse` gives it, starting with "/") on the site's public address."""
    return public_url() + "/" + path.lstrip("/")


def public_domain() -> tuple[str, str]:
    """(protocol, host[:port]) of the public address, for templates written for Django's `protocol://domain`."""
    parts = urlsplit(public_url())
    return parts.scheme, parts.netloc
