"""What a partner agency reports on a dossier we transferred to it (edXML status messages, ADR 0027).

The report is a history entry that leaves the status as it is: the dossier stays in process while the partner
works on it. When the partner is done with it (it finished its part, or refused the dossier), the dossier
comes back to the unit that transferred it, which carries on: issues the result, stops it, or sends it
elsewhere.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import NotFound
from motcua.dossiers.lifecycle import ActionName, OutsideEvent
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.services.actions.steps import (
    reopen_previous_step,
    step_data,
)
from motcua.dossiers.services.events import append_event
from motcua.org.selectors import agency_by_code


@dataclass(frozen=True)
class PartnerReport:
    partner_code: str  # the identity code of the partner agency that reports
    status_code: str  # the edXML StatusCode it sent
    description: str
    reported_at: dt.datetime
    # The partner is done with the dossier (its work is complete, or it refused it): it comes back to us.
    hands_back: bool
    # The key the partner's message came with: a message told twice joins the history once.
    message_key: str = ""


def record_partner_status(code: str, report: PartnerReport, now: dt.datetime | None = None) -> Dossier:
    """Append the partner's report to the history of our dossier `code`; NotFound unless the dossier is one we
    transferred to that partner (a partner reports on its own work only)."""
    now = now or timezone.now()
    partner = agency_by_code(report.partner_code)
    with transaction.atomic():
        dossier = (
            Dossier.objects.select_for_update(of=("self",))
            .select_related("current_step")
            .filter(code=code)
            .first()
        )
        transfer = _last_transfer(dossier, report.partner_code) if dossier is not None and partner else None
        if dossier is None or partner is None or transfer is None:
            raise NotFound(_("No dossier %s was transferred to this agency.") % code)
        if (
            report.message_key
            and dossier.events.filter(
                action=OutsideEvent.PARTNER_STATUS, data__message_key=report.message_key
            ).exists()
        ):
            return dossier
        data: dict[str, str | int | None] = {
            "message_key": report.message_key,
            "partner": report.partner_code,
            "status_code": report.status_code,
            "description": report.description,
            "reported_at": report.reported_at.isoformat(),
        }
        # Back to the step that transferred it, at its unit (a partner takes a dossier in process only).
        handed_back = report.hands_back and dossier.current_unit_id == partner.pk
        if handed_back and (step := reopen_previous_step(dossier, now, "handed_back")) is not None:
            data.update(step_data(step))
        dossier.version += 1
        dossier.save()
        append_event(
            dossier,
            OutsideEvent.PARTNER_STATUS,
            None,
            now,
            from_status=dossier.status,
            actor_unit_id=partner.pk,
            note=report.description,
            data=data,
        )
    return dossier


def _last_transfer(dossier: Dossier, partner_code: str) -> DossierEvent | None:
    return (
        dossier.events.filter(action=ActionName.TRANSFER, data__to_unit=partner_code)
        .order_by("-version")
        .first()
    )
