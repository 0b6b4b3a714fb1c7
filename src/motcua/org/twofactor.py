"""Two-factor sign-in for staff (ADR 0013): a TOTP device confirmed with a first code, and ten single-use
recovery codes, through django-otp.

Who must have one is configuration (MOTCUA_2FA_REQUIRED_ROLES); anyone may enrol. After the password, a
session owes a second step when the account has a confirmed device ("verify") or must have one and has none
("enrol"); the back office's gate lets such a session do nothing else until the step is done.
"""

from __future__ import annotations

import logging
import re

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import devices_for_user, user_has_device
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.core.errors import InvalidInput
from motcua.org.selectors import roles_by_agency

logger = logging.getLogger("motcua.security")

# The session key holding the step a signed-in session still owes: "verify", "enrol", or absent.
PENDING_KEY = "motcua.second_factor"
VERIFY = "verify"
ENROL = "enrol"
RECOVERY_CODES = 10
ADMIN_ROLE = "admin"
_SPACES = re.compile(r"[\s-]+")


def required(user: User | AnonymousUser) -> bool:
    """Whether this account must sign in with a second factor: it holds one of MOTCUA_2FA_REQUIRED_ROLES
    (the admin role also covering Django's superusers and staff users)."""
    roles: frozenset[str] = settings.MOTCUA_2FA_REQUIRED_ROLES
    if not roles or not user.is_authenticated:
        return False
    if ADMIN_ROLE in roles and (user.is_superuser or user.is_staff):
        return True
    held = {role for agency_roles in roles_by_agency(user).values() for role in agency_roles}
    return bool(held & roles)


def enrolled(user: User | AnonymousUser) -> bool:
    return user_has_device(user, confirmed=True)


def pending_step(user: User) -> str:
    """The second step a session of `user` owes right after the password: VERIFY, ENROL or ''."""
    if enrolled(user):
        return VERIFY
    return ENROL if required(user) else ""


def enrolment_device(user: User) -> TOTPDevice:
    """The unconfirmed authenticator being set up for `user`: the same one until it is confirmed, so the QR
    code does not change under someone scanning it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    return device


def _clean(code: str) -> str:
    return _SPACES.sub("", code or "").lower()


def confirm_enrolment(user: User, code: str) -> list[str]:
    """Confirm the authenticator with its first code and issue the recovery codes, returned this once only.

    Raises InvalidInput on the field "code" when the code is not the app's current one.
    """
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("pk").first()
        )
        if device is None or not device.verify_token(_clean(code)):
            raise InvalidInput.field(
                "code",
                "wrong-code",
                _("This is not the code your app shows now. Enter the current 6 digits."),
            )
        # One authenticator and one set of recovery codes at a time: enrolling again replaces the old ones.
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        StaticDevice.objects.filter(user=user).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = new_recovery_codes(user)
    logger.info("two-factor enrolled: user %s", user.pk)
    return codes


def new_recovery_codes(user: User) -> list[str]:
    """Replace `user`'s recovery codes with RECOVERY_CODES new ones."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=_("Recovery codes"), confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def verify(user: User, code: str) -> Device | None:
    """The confirmed device that accepts `code` (an authenticator code or an unused recovery code, which is
    then used up), or None. django-otp slows down repeated wrong codes on each device."""
    token = _clean(code)
    if not token:
        return None
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if device.verify_token(token):
                return device
    return None


def remaining_recovery_codes(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def reset(user: User, by: User | None = None) -> int:
    """Remove every second-factor device of `user` (their own reset, or an administrator's for a lost phone);
    how many were removed. A user who must have one is sent to enrolment at their next sign-in."""
    with transaction.atomic():
        totp = TOTPDevice.objects.filter(user=user)
        static = StaticDevice.objects.filter(user=user)
        removed = totp.count() + static.count()
        totp.delete()
        static.delete()
    logger.info("two-factor reset: user %s by %s", user.pk, by.pk if by is not None else user.pk)
    return removed
