from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier, UploadedFile
from motcua.org.models import Agency


class SignedResult(models.Model):
    """The PAdES-signed copy of a dossier's electronic result, beside the original upload (kept unchanged).

    The hash is what the verifier looks a presented file up by: a file whose SHA-256 is here is one this
    platform issued, byte for byte."""

    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="signed_result")
    original = models.ForeignKey(UploadedFile, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to="signed/%Y/%m/")
    sha256 = models.CharField(max_length=64, unique=True)
    size = models.PositiveBigIntegerField()
    # The person who decided (the leader, or the delegate on the leader's behalf) and the agency whose
    # certificate signed: the competent authority.
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    on_behalf = models.BooleanField(default=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    signer_plugin = models.CharField(
        max_length=64, help_text=_("The signer (MOTCUA_SIGNERS) that held the key.")
    )
    certificate_subject = models.CharField(max_length=500)
    certificate_fingerprint = models.CharField(
        max_length=64, help_text=_("SHA-256 of the signing certificate (DER), in hex.")
    )
    signed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.sha256[:12]}"
