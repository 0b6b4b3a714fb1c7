"""Limits on the e-mails a visitor can make us send (sign-up, password reset, verification resend; ADR 0013).

At most MOTCUA_MAIL_LIMIT_PER_ADDRESS per e-mail address and MOTCUA_MAIL_LIMIT_PER_CLIENT per client address
in each window of MOTCUA_MAIL_LIMIT_WINDOW_MINUTES. The counts live in the database (MailQuota), so every
worker process and server shares them; each is raised by an UPDATE ... WHERE count < limit, which the database
serialises, so two requests at once cannot both take the last mail. Over a limit, the caller gives the same
neutral answer as when the mail goes and sends nothing; the log names the kind and the limit, never the
address.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from motcua.org.accounts import normalize_email
from motcua.org.models import MailQuota

logger = logging.getLogger("motcua.security")


class _OverLimit(Exception):
    pass


def _key(kind: str, value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def _window_start(now: dt.datetime) -> dt.datetime:
    seconds = max(60, settings.MOTCUA_MAIL_LIMIT_WINDOW_MINUTES * 60)
    epoch = int(now.timestamp())
    return dt.datetime.fromtimestamp(epoch - epoch % seconds, tz=dt.UTC)


def _take(key: str, window: dt.datetime, limit: int) -> None:
    try:
        with transaction.atomic():
            _row, created = MailQuota.objects.get_or_create(key=key, window_start=window)
    except IntegrityError:
        created = False  # another request created the row first; count on it
    if created:
        # Windows before the current one count for nothing: the first mail of a key in a window sweeps them.
        MailQuota.objects.filter(window_start__lt=window).delete()
    if not MailQuota.objects.filter(key=key, window_start=window, count__lt=limit).update(
        count=F("count") + 1
    ):
        raise _OverLimit(key)


def allow_mail(kind: str, email: str, client: str | None) -> bool:
    """Take one mail of `kind` for `email` sent at the request of `client`; False (and nothing counted) when
    either is over its limit in the current window."""
    window = _window_start(timezone.now())
    limits = [
        ("address", _key("address", normalize_email(email)), settings.MOTCUA_MAIL_LIMIT_PER_ADDRESS),
        ("client", _key("client", client or "unknown"), settings.MOTCUA_MAIL_LIMIT_PER_CLIENT),
    ]
    try:
        with transaction.atomic():
            for _name, key, limit in limits:
                _take(key, window, limit)
    except _OverLimit as over:
        which = next(name for name, key, _limit in limits if key == str(over))
        logger.warning(
            "e-mail limit reached: %s mail refused, per-%s limit (key %s…)", kind, which, str(over)[:12]
        )
        return False
    return True
