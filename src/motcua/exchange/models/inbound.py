"""What comes in from the National Public Service Portal: how far its list of new dossiers has been read, the
files each dossier named there, and the dossiers that could not be created here
(docs/integrations/dvcqg-inbound.md)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier, UploadedFile


class FetchCursor(models.Model):
    """How far the portal's list of new dossiers has been read, per listing service (a province that switches
    to another service starts that one from its beginning)."""

    service = models.CharField(max_length=64, unique=True)
    # The filing time (NgayNopHoSo) of the latest dossier settled here, created or known: the next fetch asks
    # from a little before it. Empty until a first dossier is settled: the first fetch asks for everything.
    filed_up_to = models.DateTimeField(null=True, blank=True)
    last_fetched_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("fetch of new dossiers from the national portal")
        verbose_name_plural = _("fetches of new dossiers from the national portal")

    def __str__(self) -> str:
        return self.service


class InboundProblem(models.Model):
    """A dossier filed on the portal that could not be created here (a procedure we do not map, data our
    intake refuses): kept for staff with the reason, counted each time it comes again, never dropped."""

    national_code = models.CharField(_("national dossier code"), max_length=64, unique=True)
    procedure_code = models.CharField(_("national procedure code"), max_length=64, blank=True)
    filed_at = models.DateTimeField(_("filed on the portal"), null=True, blank=True)
    reason = models.TextField(_("reason"))
    first_seen_at = models.DateTimeField(_("first seen"))
    last_seen_at = models.DateTimeField(_("last seen"))
    times_seen = models.PositiveIntegerField(_("times seen"), default=1)
    # Set when a later fetch created the dossier (after its procedure was mapped, say).
    dossier = models.ForeignKey(Dossier, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        verbose_name = _("dossier from the national portal not taken in")
        verbose_name_plural = _("dossiers from the national portal not taken in")
        indexes = [models.Index(fields=["resolved_at", "-last_seen_at"], name="inbound_problem_open")]

    def __str__(self) -> str:
        return self.national_code


class InboundDocument(models.Model):
    """A file the applicant attached on the portal (TaiLieuNop): its name, the dossier component it answers,
    and the portal's link to it, which the officer opens while checking the dossier
    (exchange/dvcqg/attachments.py)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="portal_documents")
    name = models.CharField(max_length=255)
    component_code = models.CharField(max_length=64, blank=True)
    url = models.URLField(max_length=1000, blank=True)
    # Downloaded, when it answers a document the case requires (it is then that document of the dossier too).
    file = models.ForeignKey(UploadedFile, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return self.name
