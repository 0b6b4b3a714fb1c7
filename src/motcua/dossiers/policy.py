"""Who may take which action on a dossier now: the lifecycle table applied to a user and a dossier."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.utils import timezone

from motcua.dossiers.lifecycle import ACTIONS, Action, Actor, Permit, Where, state_problem
from motcua.dossiers.models import Dossier, DossierStep
from motcua.org.selectors import roles_in
from motcua.org.services import SigningCapacity, signing_capacity

AnyUser = User | AnonymousUser


def _agency_for(permit: Permit, dossier: Dossier) -> int:
    return dossier.receiving_unit_id if permit.where == Where.RECEIVING else dossier.current_unit_id


def signer_capacity(user: AnyUser, dossier: Dossier) -> SigningCapacity | None:
    if not user.is_authenticated:
        return None
    return signing_capacity(
        user,
        dossier.competent_authority_id,
        dossier.procedure_version.procedure.national_code,
        timezone.localdate(),
    )


def may_take(user: AnyUser, dossier: Dossier, action: Action) -> bool:
    """Whether the user's roles (or ownership) let them take `action` on `dossier` in its present status."""
    if not user.is_authenticated:
        return False
    step: DossierStep | None = dossier.current_step
    for permit in action.permits:
        if dossier.status not in permit.sources:
            continue
        held = roles_in(user, _agency_for(permit, dossier))
        for actor in permit.actors:
            if actor == Actor.APPLICANT:
                if dossier.applicant_user_id is not None and dossier.applicant_user_id == user.pk:
                    return True
            elif actor == Actor.STEP_ROLE:
                if step is not None and step.role in held:
                    return True
            elif actor == Actor.SIGNER:
                if signer_capacity(user, dossier) is not None:
                    return True
            elif actor in held:
                return True
    return False


def allowed_actions(user: AnyUser, dossier: Dossier) -> list[str]:
    # The status test first: it rules out most actions without composing a message for each.
    return [
        name
        for name, action in ACTIONS.items()
        if dossier.status in action.sources
        and state_problem(dossier, action) is None
        and may_take(user, dossier, action)
    ]
