"""The MOTCUA_DVCQG_* settings, read once per use (docs/integrations/dvcqg.md)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class PortalConfig:
    url: str  # the base URL; the paths below are appended
    user: str
    password: str
    dstcode: str  # sent as the `dstcode` header of every call
    unit_code: str  # `madonvi`: the province on the portal
    auth_path: str
    service_path: str
    timeout: float  # seconds, for each call
    fetch_service: str  # the service listing the dossiers filed on the portal
    fetch_interval_seconds: int


def portal_config() -> PortalConfig | None:
    """The portal's settings, None when MOTCUA_DVCQG_URL is unset (synchronisation is off); an
    ImproperlyConfigured naming the setting when the URL is set but another one is missing or wrong."""
    url = settings.MOTCUA_DVCQG_URL.strip()
    if not url:
        return None
    if not url.startswith(("http://", "https://")):
        raise ImproperlyConfigured(f"MOTCUA_DVCQG_URL must be an http(s) address (it is {url!r}).")
    for name in ("MOTCUA_DVCQG_USER", "MOTCUA_DVCQG_PASSWORD", "MOTCUA_DVCQG_DSTCODE"):
        if not getattr(settings, name):
            raise ImproperlyConfigured(f"{name} must be set when MOTCUA_DVCQG_URL is.")
    if settings.MOTCUA_DVCQG_TIMEOUT <= 0:
        raise ImproperlyConfigured("MOTCUA_DVCQG_TIMEOUT must be a number of seconds above 0.")
    if settings.MOTCUA_DVCQG_FETCH_INTERVAL_SECONDS < 1:
        raise ImproperlyConfigured("MOTCUA_DVCQG_FETCH_INTERVAL_SECONDS must be 1 or more.")
    return PortalConfig(
        url=url.rstrip("/"),
        user=settings.MOTCUA_DVCQG_USER,
        password=settings.MOTCUA_DVCQG_PASSWORD,
        dstcode=settings.MOTCUA_DVCQG_DSTCODE,
        unit_code=settings.MOTCUA_DVCQG_MADONVI,
        auth_path=settings.MOTCUA_DVCQG_AUTH_PATH,
        service_path=settings.MOTCUA_DVCQG_SERVICE_PATH,
        timeout=settings.MOTCUA_DVCQG_TIMEOUT,
        fetch_service=settings.MOTCUA_DVCQG_FETCH_SERVICE,
        fetch_interval_seconds=settings.MOTCUA_DVCQG_FETCH_INTERVAL_SECONDS,
    )
