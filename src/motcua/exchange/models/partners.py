"""Agencies outside this deployment that we exchange dossiers with as edXML (ADR 0027)."""

from __future__ import annotations

import hashlib

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.org.models import Agency


class Partner(models.Model):
    """Another deployment's agency: where its inbox is, the credential we present to it, and the one it
    presents to us. Its identity code and name are those of its row among the agencies, so that a transfer
    names it as it names any unit, and the dossier's current unit shows that the partner has it."""

    agency = models.OneToOneField(
        Agency, on_delete=models.PROTECT, related_name="partner", verbose_name=_("agency")
    )
    inbox_url = models.URLField(_("inbox address"), max_length=500)
    # Ours to present to the partner, so stored as given; shown nowhere and never logged.
    outbound_credential = models.CharField(_("credential we present"), max_length=255)
    # What the partner presents to us: only its SHA-256 is stored, as with API tokens.
    inbound_credential_hash = models.CharField(max_length=64, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agency__identity_code"]
        verbose_name = _("partner agency")
        verbose_name_plural = _("partner agencies")

    def __str__(self) -> str:
        return f"{self.agency.identity_code} {self.agency.name}"

    @property
    def identity_code(self) -> str:
        return self.agency.identity_code

    @property
    def destination(self) -> str:
        """The outbox destination of the messages for this partner."""
        return destination_of(self.agency.identity_code)

    @staticmethod
    def hash_credential(credential: str) -> str:
        return hashlib.sha256(credential.encode()).hexdigest()


def destination_of(identity_code: str) -> str:
    return f"partner:{identity_code}"
