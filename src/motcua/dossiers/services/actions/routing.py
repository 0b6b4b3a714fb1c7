"""Moving a dossier through the units and steps that handle it: assign, forward, send back, transfer."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from motcua.core.errors import Conflict, InvalidInput
from motcua.dossiers.models import Dossier
from motcua.dossiers.services.actions.engine import ActionContext, handles, take_action
from motcua.dossiers.services.actions.payloads import Assign, Forward, SendBack, Transfer
from motcua.dossiers.services.actions.steps import (
    close_current_step,
    open_step,
    open_workflow_step,
    reopen_previous_step,
    step_data,
    workflow,
)
from motcua.org.constants import Role
from motcua.org.selectors import agency_by_code, roles_in


@handles(Assign)
def _assign(ctx: ActionContext[Assign]) -> None:
    dossier = ctx.dossier
    username = ctx.payload.assignee
    assignee = get_user_model().objects.filter(username=username, is_active=True).first()
    if assignee is None or not roles_in(assignee, dossier.current_unit_id):
        raise InvalidInput.field(
            "assignee", "not_in_unit", _("%s is not an officer of this unit.") % username
        )
    dossier.assignee = assignee
    if dossier.current_step is not None:
        dossier.current_step.assignee = assignee
        dossier.current_step.save(update_fields=["assignee"])
    ctx.data["assignee"] = username


@handles(Forward)
def _forward(ctx: ActionContext[Forward]) -> None:
    dossier = ctx.dossier
    current = dossier.current_step
    position = current.workflow_order if current is not None else 0
    following = [s for s in workflow(dossier) if s.order > position]
    if current is not None and not following:
        raise Conflict(_("This is the last step of the workflow: issue the result instead."))
    close_current_step(dossier, ctx.now, "forwarded")
    if following:
        step = open_workflow_step(dossier, ctx.now, following[0])
    else:
        # A case without a configured workflow is handled in one step by a specialist of the competent unit.
        step = open_step(
            dossier,
            ctx.now,
            order=1,
            name=_("Processing"),
            role=Role.SPECIALIST,
            agency_id=dossier.competent_authority_id,
            budget_hours=None,
        )
    ctx.data.update(step_data(step))


@handles(SendBack)
def _send_back(ctx: ActionContext[SendBack]) -> None:
    dossier = ctx.dossier
    current = dossier.current_step
    first_step = _("This is the first step: there is no step to send the dossier back to.")
    if current is None:
        raise Conflict(first_step)
    if current.workflow_step_id is None:
        # A unit the dossier was transferred to sends it back to the step that transferred it.
        reopened = reopen_previous_step(dossier, ctx.now, "sent_back")
        if reopened is None:
            raise Conflict(first_step)
        step = reopened
    else:
        earlier = [s for s in workflow(dossier) if s.order < current.workflow_order]
        if not earlier:
            raise Conflict(first_step)
        close_current_step(dossier, ctx.now, "sent_back")
        step = open_workflow_step(dossier, ctx.now, earlier[-1])
    ctx.data.update(step_data(step))


@handles(Transfer)
def _transfer(ctx: ActionContext[Transfer]) -> None:
    dossier = ctx.dossier
    target = agency_by_code(ctx.payload.to_unit)
    if target is None:
        raise InvalidInput.field("to_unit", "unknown", _("No agency has this identity code."))
    if target.pk == dossier.current_unit_id:
        raise InvalidInput.field("to_unit", "same_unit", _("The dossier is already at this unit."))
    current = dossier.current_step
    steps = workflow(dossier)
    if current is None:
        # Received "regardless of boundary": the unit it is handed to is the one that decides.
        dossier.competent_authority = target
        ctx.data["competent_authority"] = target.identity_code
    role = current.role if current is not None else (steps[0].role if steps else Role.SPECIALIST)
    close_current_step(dossier, ctx.now, "transferred")
    step = open_step(
        dossier,
        ctx.now,
        order=current.workflow_order if current is not None else 0,
        name=_("Transferred to %s") % target.name,
        role=role,
        agency_id=target.pk,
        budget_hours=None,
    )
    ctx.data.update(step_data(step), to_unit=target.identity_code)


def assign(dossier: Dossier, actor: User, *, assignee: str, version: int, note: str = "") -> Dossier:
    """Give the dossier's current step to an officer of its unit, named by username."""
    return take_action(actor, dossier.code, Assign(assignee=assignee, note=note), version=version)


def forward(dossier: Dossier, actor: User, *, version: int, note: str = "") -> Dossier:
    """Close the current step and open the next one of the case's workflow."""
    return take_action(actor, dossier.code, Forward(note=note), version=version)


def send_back(dossier: Dossier, actor: User, *, note: str, version: int) -> Dossier:
    """Return the dossier to the step before, saying why in the note."""
    return take_action(actor, dossier.code, SendBack(note=note), version=version)


def transfer(dossier: Dossier, actor: User, *, to_unit: str, version: int, note: str = "") -> Dossier:
    """Hand the dossier to another unit, named by its identity code."""
    return take_action(actor, dossier.code, Transfer(to_unit=to_unit, note=note), version=version)
