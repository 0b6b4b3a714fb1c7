"""What people say about a dossier without changing its state: the applicant's rating and officers' notes."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import Conflict, InvalidInput, PermissionDenied
from motcua.core.text import written_text
from motcua.dossiers.lifecycle import may_be_rated
from motcua.dossiers.models import DossierNote, Rating, RatingChannel, Satisfaction
from motcua.dossiers.selectors import dossier_for
from motcua.org.constants import Role
from motcua.org.selectors import has_role, roles_by_agency

MAX_COMMENT = 2000
MAX_NOTE = 4000


def rate_dossier(
    actor: User,
    code: str,
    score: str,
    comment: str = "",
    channel: str = RatingChannel.PORTAL,
    now: dt.datetime | None = None,
) -> Rating:
    """Record the applicant's satisfaction with a returned dossier, once. On the portal only the applicant
    rates; at the counter an officer of the receiving unit enters what the applicant said."""
    if score not in Satisfaction.values:
        raise InvalidInput.field("score", "choice", _("Choose one of: %s.") % ", ".join(Satisfaction.values))
    if channel not in RatingChannel.values:
        raise InvalidInput.field("channel", "choice", _("Unknown rating channel."))
    comment = written_text(comment, "comment", MAX_COMMENT)
    dossier = dossier_for(actor, code)
    if channel == RatingChannel.PORTAL:
        allowed = dossier.applicant_user_id == actor.pk
    else:
        allowed = has_role(actor, dossier.receiving_unit_id, {Role.COUNTER_OFFICER})
    if not allowed:
        raise PermissionDenied(_("Only the applicant may rate this dossier."))
    if not may_be_rated(dossier.status):
        raise Conflict(_("A dossier can be rated once its result has been returned."))
    try:
        with transaction.atomic():
            return Rating.objects.create(
                dossier=dossier,
                score=score,
                comment=comment,
                channel=channel,
                rated_by=actor,
                rated_at=now or timezone.now(),
            )
    except IntegrityError:
        raise Conflict(_("This dossier has already been rated.")) from None


def add_note(actor: User, code: str, text: str, now: dt.datetime | None = None) -> DossierNote:
    """A note for the other officers who handle the dossier; the applicant never sees it."""
    text = written_text(text, "text", MAX_NOTE, missing=_("Write the note."))
    dossier = dossier_for(actor, code)
    units = roles_by_agency(actor)
    if not units:
        raise PermissionDenied(_("Only officers may write notes on a dossier."))
    unit_id = dossier.current_unit_id if dossier.current_unit_id in units else next(iter(units))
    return DossierNote.objects.create(
        dossier=dossier, author=actor, author_unit_id=unit_id, text=text, created_at=now or timezone.now()
    )
