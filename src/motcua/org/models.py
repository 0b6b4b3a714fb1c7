from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from motcua.core.identifiers import identity_code_problem, mask_personal_id
from motcua.org.constants import AgencyKind, Role, UnitLevel


def validate_identity_code(value: str) -> None:
    if why := identity_code_problem(value):
        raise ValidationError(why)


class AdministrativeUnit(models.Model):
    """A province, commune or (historical) district, with its official code and validity."""

    code = models.CharField(max_length=10, unique=True)
    name = models.CharField(max_length=200)
    level = models.CharField(max_length=16, choices=UnitLevel.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(
        null=True, blank=True, help_text=_("Last day in force; empty while in force.")
    )
    successor = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="predecessors"
    )
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Agency(models.Model):
    """An agency or service centre, known by its electronic identity code (mã định danh)."""

    identity_code = models.CharField(max_length=35, unique=True, validators=[validate_identity_code])
    name = models.CharField(max_length=255)
    kind = models.CharField(max_length=32, choices=AgencyKind.choices, default=AgencyKind.OTHER)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    administrative_unit = models.ForeignKey(
        AdministrativeUnit, on_delete=models.PROTECT, related_name="agencies"
    )
    address = models.CharField(max_length=255, blank=True)
    phone = models.CharField(max_length=32, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["identity_code"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return f"{self.identity_code} {self.name}"


class Counter(models.Model):
    """A one-stop counter (quầy) of an agency or service centre."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="counters")
    number = models.CharField(max_length=16)
    name = models.CharField(max_length=200)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["agency", "number"]
        constraints = [models.UniqueConstraint(fields=["agency", "number"], name="counter_number_unique")]

    def __str__(self) -> str:
        return f"{self.agency.identity_code} #{self.number} {self.name}"


class StaffRole(models.Model):
    """A role a staff member holds in one agency; one person may hold several, in several agencies."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_roles")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="staff_roles")
    role = models.CharField(max_length=32, choices=Role.choices)
    position = models.CharField(max_length=120, blank=True, help_text=_("Job title printed on forms."))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "agency", "role"], name="staff_role_unique")]

    def __str__(self) -> str:
        return f"{self.user} {self.role} @ {self.agency.identity_code}"


class CitizenProfile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="citizen")
    id_number = models.CharField(max_length=12, unique=True)
    phone = models.CharField(max_length=32, blank=True)
    # Citizens sign in by e-mail or phone, so each names one account; sign-in waits for a verified e-mail.
    email_verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["phone"], condition=~models.Q(phone=""), name="citizen_phone_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({mask_personal_id(self.id_number)})"


class Delegation(models.Model):
    """Ủy quyền: a leader authorises a named officer to sign results of listed procedures for a period."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="delegations")
    grantor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="delegations_given"
    )
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="delegations_received"
    )
    procedure_codes = models.JSONField(default=list, help_text=_("National codes of the procedures covered."))
    decision_number = models.CharField(max_length=64, blank=True)
    valid_from = models.DateField()
    valid_to = models.DateField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revocation_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return f"{self.grantor} → {self.delegate} ({self.valid_from}–{self.valid_to})"


class DelegationAudit(models.Model):
    """Append-only trail of what happened to a delegation: granted, revoked, used to sign, refused."""

    delegation = models.ForeignKey(Delegation, on_delete=models.PROTECT, related_name="audit")
    action = models.CharField(max_length=32)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    detail = models.JSONField(default=dict)

    class Meta:
        ordering = ["at", "id"]


PASSWORD_FINGERPRINT_SALT = "motcua.org.ApiToken.password_fingerprint"


class ApiToken(models.Model):
    """A bearer token; only its SHA-256 is stored, so a database leak does not leak tokens.

    It works until `expires_at`, while its user is active, and while the user's password is the one it was
    issued under: `password_fingerprint` is a keyed hash of the password hash, as Django's session keeps one,
    so that changing the password ends every token (org.services.user_for_token)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    password_fingerprint = models.CharField(max_length=64)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def fingerprint(password_hash: str) -> str:
        """Changes whenever the password does; keyed, so that it says nothing of the hash it comes from."""
        return salted_hmac(PASSWORD_FINGERPRINT_SALT, password_hash, algorithm="sha256").hexdigest()


class MailQuota(models.Model):
    """How many e-mails visitors made us send for one key in one window (sign-up, password reset, verification
    resend): the key is a keyed hash of the e-mail address or of the client address, never the address itself.
    One row per key and window, counted up with a conditional UPDATE, so every process shares the count."""

    key = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="mail_quota_one_row_per_window")
        ]
        indexes = [models.Index(fields=["window_start"], name="mail_quota_window")]
