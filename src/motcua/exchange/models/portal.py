"""What the National Public Service Portal (DVCQG) needs to know of us, and what it knows of each dossier."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Procedure
from motcua.dossiers.models import Dossier
from motcua.org.models import Agency


class ProcedureMapping(models.Model):
    """Our procedure as the national catalogue codes it (MaTTHC): a dossier of an unmapped procedure is not
    synchronised, since the portal would refuse it."""

    procedure = models.OneToOneField(Procedure, on_delete=models.CASCADE, related_name="national_mapping")
    national_code = models.CharField(_("national procedure code"), max_length=64, db_index=True)

    class Meta:
        verbose_name = _("procedure on the national portal")
        verbose_name_plural = _("procedures on the national portal")

    def __str__(self) -> str:
        return f"{self.procedure_id} → {self.national_code}"


class AgencyMapping(models.Model):
    """Our agency as the portal names it (the unit code a dossier is synchronised under)."""

    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, related_name="national_mapping")
    national_code = models.CharField(_("unit code on the national portal"), max_length=64, db_index=True)

    class Meta:
        verbose_name = _("agency on the national portal")
        verbose_name_plural = _("agencies on the national portal")

    def __str__(self) -> str:
        return f"{self.agency_id} → {self.national_code}"


class NationalSync(models.Model):
    """What the portal has accepted of a dossier: the 766 indicator 1.4 counts the dossiers synchronised."""

    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="national_sync")
    # MaHoSo on the portal: our code, or the national code of a dossier filed there.
    national_code = models.CharField(max_length=64, db_index=True)
    first_synced_at = models.DateTimeField()
    last_synced_at = models.DateTimeField()
    # TrangThaiHoSo (1..10) of the last record the portal accepted.
    synced_status = models.CharField(max_length=2)

    def __str__(self) -> str:
        return f"{self.national_code} ({self.synced_status})"
