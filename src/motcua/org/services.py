"""Write use cases of the organisation: staff, citizens, API tokens and delegations."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from motcua.core.identifiers import personal_id_problem
from motcua.org.constants import Role
from motcua.org.models import Agency, ApiToken, CitizenProfile, Delegation, DelegationAudit, StaffRole
from motcua.org.selectors import has_role, roles_in

TOKEN_BYTES = 32
# A token for longer than a year is a password that never changes; a year is the most `--days` allows.
MAX_TOKEN_DAYS = 366


def _get_or_create_user(username: str, password: str | None, **fields: str) -> User:
    if not username or len(username) > 150:
        raise InvalidInput.field("username", "invalid", _("A username of 1 to 150 characters is required."))
    user, created = User.objects.get_or_create(username=username, defaults=fields)
    if password:
        user.set_password(password)
        user.save(update_fields=["password"])
    elif created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def create_staff(
    username: str, agency_code: str, role: str, password: str | None = None, full_name: str = ""
) -> StaffRole:
    if role not in Role.values:
        raise InvalidInput.field(
            "role", "unknown", _("Unknown role; use one of: %s.") % ", ".join(Role.values)
        )
    agency = Agency.objects.filter(identity_code=agency_code).first()
    if agency is None:
        raise NotFound(_("No agency has the identity code %s.") % agency_code)
    first, _sep, last = full_name.rpartition(" ")
    user = _get_or_create_user(username, password, first_name=first, last_name=last)
    if not user.is_staff:
        user.is_staff = role == Role.ADMIN or user.is_staff
        user.save(update_fields=["is_staff"])
    staff_role, _created = StaffRole.objects.get_or_create(user=user, agency=agency, role=role)
    return staff_role


@transaction.atomic
def create_citizen(
    username: str, id_number: str, password: str | None = None, full_name: str = "", email: str = ""
) -> CitizenProfile:
    if problem := personal_id_problem(id_number):
        raise InvalidInput.field("id_number", "invalid", problem)
    existing = CitizenProfile.objects.filter(id_number=id_number).select_related("user").first()
    if existing is not None and existing.user.username != username:
        raise Conflict(_("This personal identification number already belongs to another account."))
    first, _sep, last = full_name.rpartition(" ")
    user = _get_or_create_user(username, password, first_name=first, last_name=last, email=email)
    profile, _created = CitizenProfile.objects.get_or_create(user=user, defaults={"id_number": id_number})
    if profile.id_number != id_number:
        raise Conflict(_("This account already has another personal identification number."))
    return profile


class IssuedToken(str):
    """A new token's key (a str, as callers have always used it), with when it expires."""

    expires_at: dt.datetime

    def __new__(cls, key: str, expires_at: dt.datetime) -> IssuedToken:
        token = super().__new__(cls, key)
        token.expires_at = expires_at
        return token


def issue_api_token(user: User, days: int | None = None) -> IssuedToken:
    """A new bearer token for `user`, valid `days` (MOTCUA_API_TOKEN_DAYS when None) unless the password
    changes first; only its hash is kept, so this is the one time it can be read."""
    days = settings.MOTCUA_API_TOKEN_DAYS if days is None else days
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise InvalidInput.field(
            "days", "out_of_range", _("A token lasts from 1 to %(max)d days.") % {"max": MAX_TOKEN_DAYS}
        )
    key = secrets.token_urlsafe(TOKEN_BYTES)
    token = ApiToken.objects.create(
        user=user,
        key_hash=ApiToken.hash_key(key),
        prefix=key[:8],
        expires_at=timezone.now() + dt.timedelta(days=days),
        password_fingerprint=ApiToken.fingerprint(user.password),
    )
    return IssuedToken(key, token.expires_at)


def revoke_api_tokens(tokens: QuerySet[ApiToken]) -> int:
    """Revoke those of `tokens` still in use, from now on; how many were revoked."""
    return tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


# Recording every use would add a write to every API call; to the minute is all an administrator needs.
TOKEN_USE_RESOLUTION = dt.timedelta(minutes=10)


def user_for_token(key: str) -> User | None:
    """The user a token names, while it is neither revoked nor expired, the user is active and their password
    is still the one it was issued under."""
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(
            key_hash=ApiToken.hash_key(key), revoked_at__isnull=True, expires_at__gt=now, user__is_active=True
        )
        .first()
    )
    if token is None:
        return None
    if not constant_time_compare(token.password_fingerprint, ApiToken.fingerprint(token.user.password)):
        return None
    if token.last_used_at is None or now - token.last_used_at > TOKEN_USE_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def _add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last_day in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last_day))
        except ValueError:
            continue
    raise AssertionError("unreachable")


@transaction.atomic
def grant_delegation(
    grantor: User,
    delegate: User,
    agency: Agency,
    procedure_codes: list[str],
    valid_from: dt.date,
    valid_to: dt.date,
    decision_number: str = "",
) -> Delegation:
    if not has_role(grantor, agency.pk, [Role.UNIT_LEADER]):
        # Only a leader in their own right may delegate, so a delegate can never pass the authority on.
        raise PermissionDenied(_("Only a leader of the agency may authorise an officer to sign."))
    if delegate.pk == grantor.pk:
        raise InvalidInput.field("delegate", "self", _("A leader cannot authorise themselves."))
    if not StaffRole.objects.filter(user=delegate, agency=agency).exists():
        raise InvalidInput.field("delegate", "not_staff", _("The delegate must be an officer of the agency."))
    if not procedure_codes:
        raise InvalidInput.field(
            "procedure_codes", "required", _("List the procedures the delegation covers.")
        )
    if valid_to < valid_from:
        raise InvalidInput.field("valid_to", "before_start", _("The end date is before the start date."))
    max_months = settings.MOTCUA_MAX_DELEGATION_MONTHS
    if valid_to >= _add_months(valid_from, max_months):
        raise InvalidInput.field(
            "valid_to", "too_long", _("A delegation lasts at most %d months.") % max_months
        )
    delegation = Delegation.objects.create(
        agency=agency,
        grantor=grantor,
        delegate=delegate,
        procedure_codes=sorted(set(procedure_codes)),
        valid_from=valid_from,
        valid_to=valid_to,
        decision_number=decision_number,
    )
    DelegationAudit.objects.create(
        delegation=delegation,
        action="granted",
        actor=grantor,
        detail={"procedures": delegation.procedure_codes},
    )
    return delegation


@transaction.atomic
def revoke_delegation(delegation: Delegation, by: User, reason: str) -> Delegation:
    delegation = Delegation.objects.select_for_update().get(pk=delegation.pk)
    if delegation.revoked_at is not None:
        raise Conflict(_("This delegation was already revoked."))
    if by.pk != delegation.grantor_id and not has_role(
        by, delegation.agency_id, [Role.UNIT_LEADER, Role.ADMIN]
    ):
        raise PermissionDenied(_("Only the agency's leader may revoke a delegation."))
    if not reason.strip():
        raise InvalidInput.field("reason", "required", _("Say why the delegation is revoked."))
    delegation.revoked_at = timezone.now()
    delegation.revoked_by = by
    delegation.revocation_reason = reason
    delegation.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    DelegationAudit.objects.create(
        delegation=delegation, action="revoked", actor=by, detail={"reason": reason}
    )
    return delegation


@dataclass(frozen=True)
class SigningCapacity:
    """In what capacity a user signs a result: as leader, or on the leader's behalf under a delegation."""

    direct: bool
    delegation: Delegation | None = None


def signing_capacity(user: User, agency_id: int, procedure_code: str, on: dt.date) -> SigningCapacity | None:
    held = roles_in(user, agency_id)
    if Role.UNIT_LEADER in held:
        return SigningCapacity(direct=True)
    # A delegate is an officer of the agency (grant_delegation): without a role there, no delegation applies,
    # and a citizen's or another unit's page costs no delegation query per dossier.
    if not held:
        return None
    active = Delegation.objects.filter(
        delegate_id=user.pk,
        agency_id=agency_id,
        revoked_at__isnull=True,
        valid_from__lte=on,
        valid_to__gte=on,
    ).order_by("-valid_from")
    delegation = next((d for d in active if procedure_code in d.procedure_codes), None)
    if delegation is None:
        return None
    return SigningCapacity(direct=False, delegation=delegation)


def record_delegated_signature(capacity: SigningCapacity, user: User, dossier_code: str) -> None:
    if capacity.delegation is not None:
        DelegationAudit.objects.create(
            delegation=capacity.delegation, action="signed", actor=user, detail={"dossier": dossier_code}
        )
