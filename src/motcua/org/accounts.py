"""Citizen accounts: sign-up, e-mail verification, and sign-in by e-mail, phone number or username.

A citizen signs up with a personal identification number, an e-mail address and optionally a phone number,
and may sign in only once the e-mail address is verified through a signed link. Staff accounts carry no
citizen profile and sign in by username, as they always have; inactive accounts never sign in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from motcua.core.errors import Conflict, FieldProblem, InvalidInput
from motcua.core.identifiers import personal_id_problem
from motcua.org.models import CitizenProfile
from motcua.org.services import create_citizen

# A Vietnamese number as dialled at home: 0 and 9 digits (mobile) or 10 digits (landline with area code).
_PHONE_RE = re.compile(r"^0\d{9,10}$")
_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
# The sign-in name of a new citizen is the e-mail address, so it must fit in a username.
MAX_EMAIL_LENGTH = 150
MAX_NAME_LENGTH = 150


def normalize_phone(text: str) -> str:
    """'+84 912.345.678' → '0912345678': one spelling per number, so that it names one account."""
    digits = _PHONE_SEPARATORS.sub("", text or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    return digits


def normalize_email(text: str) -> str:
    return (text or "").strip().lower()


@dataclass(frozen=True)
class SignUp:
    full_name: str
    id_number: str
    email: str
    password: str
    phone: str = ""


def _citizen_with_email(email: str) -> Q:
    return Q(email__iexact=email, citizen__isnull=False)


def _name_problems(full_name: str) -> list[FieldProblem]:
    if not full_name.strip():
        return [FieldProblem("full_name", "required", _("Enter your full name."))]
    if len(full_name.strip()) > MAX_NAME_LENGTH:
        message = _("A name has at most %(count)d characters.") % {"count": MAX_NAME_LENGTH}
        return [FieldProblem("full_name", "too_long", message)]
    return []


def _id_number_problems(id_number: str) -> list[FieldProblem]:
    if problem := personal_id_problem(id_number):
        return [FieldProblem("id_number", "invalid", problem)]
    if CitizenProfile.objects.filter(id_number=id_number).exists():
        message = _(
            "An account already exists for this personal identification number. Sign in, or reset your "
            "password if you have forgotten it."
        )
        return [FieldProblem("id_number", "taken", message)]
    return []


def _phone_problems(phone: str) -> list[FieldProblem]:
    if phone and not _PHONE_RE.match(phone):
        message = _("Enter a phone number of 10 or 11 digits starting with 0.")
        return [FieldProblem("phone", "invalid", message)]
    if phone and CitizenProfile.objects.filter(phone=phone).exists():
        return [FieldProblem("phone", "taken", _("This phone number already belongs to an account."))]
    return []


def _password_problems(password: str, email: str, full_name: str) -> list[FieldProblem]:
    try:
        # The validators compare the password with the account's own details, so they get a draft of it.
        validate_password(password, User(username=email, email=email, first_name=full_name))
    except ValidationError as exc:
        return [FieldProblem("password", "weak", message) for message in exc.messages]
    return []


def _sign_up_problems(data: SignUp, email: str, phone: str) -> list[FieldProblem]:
    return [
        *_name_problems(data.full_name),
        *_id_number_problems(data.id_number),
        *_email_problems(email),
        *_phone_problems(phone),
        *_password_problems(data.password, email, data.full_name),
    ]


def _email_problems(email: str) -> list[FieldProblem]:
    try:
        validate_email(email)
    except ValidationError:
        return [FieldProblem("email", "invalid", _("Enter an e-mail address such as ten@example.com."))]
    if len(email) > MAX_EMAIL_LENGTH:
        message = _("An e-mail address has at most %(count)d characters.") % {"count": MAX_EMAIL_LENGTH}
        return [FieldProblem("email", "too_long", message)]
    if User.objects.filter(_citizen_with_email(email) | Q(username=email)).exists():
        return [FieldProblem("email", "taken", _("This e-mail address already belongs to an account."))]
    return []


def check_sign_up(data: SignUp) -> None:
    """Raise InvalidInput with every problem of `data` at once, so a form can show them all together."""
    if problems := _sign_up_problems(data, normalize_email(data.email), normalize_phone(data.phone)):
        raise InvalidInput(_("The account could not be created."), problems)


def sign_up(data: SignUp) -> CitizenProfile:
    """Create the citizen's account, not yet allowed to sign in."""
    check_sign_up(data)
    email, phone = normalize_email(data.email), normalize_phone(data.phone)
    full_name = data.full_name.strip()
    # Named as create_citizen names the users it creates: the given name is the last word.
    family_names, _sep, given_name = full_name.rpartition(" ")
    try:
        with transaction.atomic():
            # Creating the user first means a concurrent sign-up with the same address fails here, and
            # create_citizen then finds this new user rather than adopting someone else's.
            User.objects.create_user(
                username=email,
                email=email,
                password=data.password,
                first_name=family_names,
                last_name=given_name,
            )
            profile = create_citizen(email, data.id_number, full_name=full_name, email=email)
            if phone:
                profile.phone = phone
                profile.save(update_fields=["phone"])
    except (IntegrityError, Conflict):
        # Someone else took the address, number or phone between the checks above and this write.
        raise InvalidInput(
            _("The account could not be created."),
            [FieldProblem("email", "taken", _("An account with these details was just created. Sign in."))],
        ) from None
    return profile


class EmailVerificationTokenGenerator(PasswordResetTokenGenerator):
    """Signed, expiring (PASSWORD_RESET_TIMEOUT) proof that a message reached the account's e-mail address.

    The hash covers the address, so a link sent to an earlier address stops working when it changes.
    """

    key_salt = "motcua.org.accounts.EmailVerificationTokenGenerator"

    def _make_hash_value(self, user: Any, timestamp: int) -> str:
        return f"{user.pk}{user.email}{timestamp}"


email_verification_token = EmailVerificationTokenGenerator()


@dataclass(frozen=True)
class VerificationLink:
    uidb64: str
    token: str


def verification_link(profile: CitizenProfile) -> VerificationLink:
    return VerificationLink(
        urlsafe_base64_encode(force_bytes(profile.user.pk)), email_verification_token.make_token(profile.user)
    )


@dataclass(frozen=True)
class Verification:
    profile: CitizenProfile
    newly_verified: bool


def verify_email(uidb64: str, token: str) -> Verification:
    """Mark the e-mail address verified when the link is genuine and not expired."""
    try:
        user_id = int(force_str(urlsafe_base64_decode(uidb64)))
    except (ValueError, TypeError, OverflowError):
        user_id = 0  # no user has it
    profile = CitizenProfile.objects.select_related("user").filter(user_id=user_id).first()
    if profile is None or not email_verification_token.check_token(profile.user, token):
        raise InvalidInput.field(
            "token", "invalid", _("This link is not valid or has expired. Ask for a new one.")
        )
    if profile.email_verified_at is not None:
        return Verification(profile, newly_verified=False)
    CitizenProfile.objects.filter(pk=profile.pk, email_verified_at__isnull=True).update(
        email_verified_at=timezone.now()
    )
    profile.refresh_from_db(fields=["email_verified_at"])
    return Verification(profile, newly_verified=True)


def awaiting_verification_by_email(email: str) -> CitizenProfile | None:
    """The citizen with this address whose address is not verified yet, to send the link to again."""
    return (
        CitizenProfile.objects.select_related("user")
        .filter(
            user__email__iexact=normalize_email(email), email_verified_at__isnull=True, user__is_active=True
        )
        .first()
    )


def accounts_named(identifier: str) -> list[User]:
    """The accounts an identifier may name: a username, or a citizen's e-mail address or phone number."""
    identifier = identifier.strip()
    if not identifier:
        return []
    named = Q(username=identifier)
    if "@" in identifier:
        named |= _citizen_with_email(identifier)
    elif _PHONE_RE.match(phone := normalize_phone(identifier)):
        named |= Q(citizen__phone=phone)
    return list(User.objects.filter(named).select_related("citizen").order_by("pk")[:5])


def _citizen_unverified(user: User) -> bool:
    # A staff account has no citizen profile: reading it raises an AttributeError that getattr absorbs.
    profile = getattr(user, "citizen", None)
    return profile is not None and profile.email_verified_at is None


def _holder(identifier: str, password: str) -> User | None:
    """The account the identifier names whose password this is, whatever else stands in its way."""
    accounts = accounts_named(identifier)
    if not accounts:
        # Hash once anyway, so the time taken does not tell whether the account exists.
        User().set_password(password)
    return next((user for user in accounts if user.check_password(password)), None)


def awaiting_verification(identifier: str, password: str) -> User | None:
    """The active account these credentials open but for its unverified e-mail address.

    Only someone holding the password learns this, so it tells nobody else which accounts exist.
    """
    user = _holder(identifier, password)
    return user if user is not None and user.is_active and _citizen_unverified(user) else None


class SignInBackend(ModelBackend):
    """Sign-in by username, or a citizen's e-mail address or phone number, with the account's password."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if username is None or password is None:
            return None
        user = _holder(username, password)
        if user is None or not self.user_can_authenticate(user) or _citizen_unverified(user):
            return None
        return user


def citizen_proved_by_identity(id_number: str) -> User | None:
    """The active citizen account of the person an identity provider vouched for, named by their personal
    identification number. The provider proved who they are, so no e-mail verification is waited for."""
    profile = (
        CitizenProfile.objects.select_related("user")
        .filter(id_number=id_number, user__is_active=True)
        .first()
    )
    return profile.user if profile is not None else None
