"""What the signing app does when a dossier's history moves (ADR 0011 domain events, ADR 0017)."""

from __future__ import annotations

from motcua.dossiers.domain_events import ResultIssued
from motcua.dossiers.models import Dossier
from motcua.signing.services import try_to_sign


def sign_issued_result(event: ResultIssued) -> None:
    """After the issuing action commits, sign its PDF; a failure leaves it for `motcua signresults`."""
    if not event.data.get("result_file"):
        return  # a result on paper only: nothing to sign, and no query for it
    dossier = (
        Dossier.objects.select_related("result_file", "competent_authority")
        .filter(pk=event.dossier_id)
        .first()
    )
    if dossier is not None:
        try_to_sign(dossier)
