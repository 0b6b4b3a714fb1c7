"""Lifecycle actions: one transaction each that locks the dossier, checks its version, status and the actor's
right, applies the change, appends the event and recomputes the deadlines (DESIGN.md §4)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from motcua.catalog.constants import SupplementPolicy
from motcua.catalog.models import WorkflowStep
from motcua.core.errors import Conflict, FieldProblem, InvalidInput, NotFound, PermissionDenied, StaleVersion
from motcua.core.input import MAX_ID
from motcua.dossiers.lifecycle import ACTIONS, Action, ResultDelivery, target_status
from motcua.dossiers.models import Dossier, DossierDocument, DossierStep, SupplementRequest, UploadedFile
from motcua.dossiers.policy import may_take, signer_capacity, state_problem
from motcua.dossiers.selectors import DETAIL_RELATIONS, visible_dossiers, with_reference_rows
from motcua.dossiers.services.clock import extend_by_pause, start_clock, start_step_clock
from motcua.dossiers.services.events import append_event
from motcua.org.constants import Role
from motcua.org.selectors import agency_by_code, roles_in
from motcua.org.services import record_delegated_signature

MAX_TEXT = 4000


@dataclass
class ActionContext:
    actor: User
    dossier: Dossier
    action: Action
    payload: dict[str, Any]
    now: dt.datetime
    data: dict[str, Any] = field(default_factory=dict)

    def text(self, name: str) -> str:
        value = self.payload.get(name) or ""
        if not isinstance(value, str):
            raise InvalidInput.field(name, "type", _("Expected text."))
        return value.strip()[:MAX_TEXT]


def take_action(
    actor: User,
    code: str,
    action_name: str,
    expected_version: int,
    payload: dict[str, Any],
    now: dt.datetime | None = None,
) -> Dossier:
    """Take a lifecycle action. `now` is for replaying history (simulation, migration), never for the API."""
    action = ACTIONS.get(action_name)
    if action is None:
        raise NotFound(_("There is no action %s.") % action_name)
    _check_required(action, payload)
    with transaction.atomic():
        # Lock the row alone, then read it with its relations: after the wait PostgreSQL re-checks a locking
        # query's joins against rows the winner may have changed, and would drop the dossier (404, not 409).
        locked = visible_dossiers(actor).select_for_update().filter(code=code).values_list("pk", flat=True)
        pk = locked.first()
        if pk is None:
            raise NotFound(_("No dossier %s is visible to you.") % code)
        dossier = with_reference_rows(Dossier.objects.select_related(*DETAIL_RELATIONS).get(pk=pk))
        if dossier.version != expected_version:
            raise StaleVersion(
                _("You acted on version %(yours)d, but the dossier is now at version %(now)d; reload it.")
                % {"yours": expected_version, "now": dossier.version}
            )
        if problem := state_problem(dossier, action):
            raise Conflict(problem)
        if not may_take(actor, dossier, action):
            raise PermissionDenied(_("Your roles do not allow “%s” on this dossier.") % action.label)
        context = ActionContext(actor, dossier, action, payload, now or timezone.now())
        source = dossier.status
        HANDLERS[action.name](context)
        dossier.status = target_status(action, source, dossier.status_before or None)
        dossier.version += 1
        dossier.save()
        append_event(
            dossier,
            action.name,
            actor,
            context.now,
            from_status=source,
            actor_unit_id=_acting_unit(actor, dossier),
            note=context.text("note"),
            data=context.data,
        )
    return dossier


def _check_required(action: Action, payload: dict[str, Any]) -> None:
    missing = [
        FieldProblem(name, "required", _("This action needs “%s”.") % name)
        for name in action.requires
        if _is_blank(payload.get(name))
    ]
    if missing:
        raise InvalidInput(_("Some fields this action needs are missing."), missing)


def _is_blank(value: Any) -> bool:
    return value is None or value == [] or (isinstance(value, str) and not value.strip())


def _file_id(value: Any) -> int | None:
    """`value` as the id of an uploaded file, or None when it cannot be one."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ID:
        return None
    return value


def _acting_unit(actor: User, dossier: Dossier) -> int | None:
    for agency_id in (dossier.current_unit_id, dossier.receiving_unit_id, dossier.competent_authority_id):
        if roles_in(actor, agency_id):
            return agency_id
    return None


# --- the steps of the internal workflow --------------------------------------------------------------------


def _workflow(dossier: Dossier) -> list[WorkflowStep]:
    return list(dossier.case.steps.order_by("order"))


def _close_current_step(dossier: Dossier, now: dt.datetime, outcome: str) -> None:
    step = dossier.current_step
    if step is not None and step.finished_at is None:
        step.finished_at = now
        step.outcome = outcome
        step.save(update_fields=["finished_at", "outcome"])


def _open_step(
    dossier: Dossier,
    now: dt.datetime,
    *,
    order: int,
    name: str,
    role: str,
    agency_id: int,
    budget_hours: int | None,
    workflow_step: WorkflowStep | None = None,
) -> DossierStep:
    step = DossierStep(
        dossier=dossier,
        workflow_step=workflow_step,
        workflow_order=order,
        name=name,
        role=role,
        agency_id=agency_id,
        budget_minutes=budget_hours * 60 if budget_hours is not None else None,
        started_at=now,
    )
    start_step_clock(step, now)
    step.save()
    dossier.current_step = step
    dossier.current_unit_id = agency_id
    dossier.assignee = None
    return step


def _open_workflow_step(dossier: Dossier, now: dt.datetime, step: WorkflowStep) -> DossierStep:
    return _open_step(
        dossier,
        now,
        order=step.order,
        name=step.name,
        role=step.role,
        agency_id=step.agency_id or dossier.competent_authority_id,
        budget_hours=step.budget_hours,
        workflow_step=step,
    )


def _step_data(step: DossierStep) -> dict[str, Any]:
    return {
        "step": step.name,
        "step_order": step.workflow_order,
        "role": step.role,
        "unit": step.agency.identity_code,
        "step_due_at": step.due_at.isoformat() if step.due_at else None,
    }


# --- handlers, one per action ------------------------------------------------------------------------------


def _accept(ctx: ActionContext) -> None:
    dossier = ctx.dossier
    dossier.received_at = ctx.now
    dossier.needs_fix = False
    start_clock(dossier, ctx.now)
    ctx.data["due_at"] = dossier.due_at.isoformat() if dossier.due_at else None


def _request_fix(ctx: ActionContext) -> None:
    ctx.dossier.needs_fix = True
    ctx.data.update(reason=ctx.text("reason"), items=_items(ctx.payload.get("items") or [], required=False))


def _refuse(ctx: ActionContext) -> None:
    ctx.dossier.closed_at = ctx.now
    ctx.data["reason"] = ctx.text("reason")


def _assign(ctx: ActionContext) -> None:
    dossier = ctx.dossier
    username = ctx.text("assignee")
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


def _forward(ctx: ActionContext) -> None:
    dossier = ctx.dossier
    current = dossier.current_step
    position = current.workflow_order if current is not None else 0
    following = [s for s in _workflow(dossier) if s.order > position]
    if current is not None and not following:
        raise Conflict(_("This is the last step of the workflow: issue the result instead."))
    _close_current_step(dossier, ctx.now, "forwarded")
    if following:
        step = _open_workflow_step(dossier, ctx.now, following[0])
    else:
        # A case without a configured workflow is handled in one step by a specialist of the competent unit.
        step = _open_step(
            dossier,
            ctx.now,
            order=1,
            name=_("Processing"),
            role=Role.SPECIALIST,
            agency_id=dossier.competent_authority_id,
            budget_hours=None,
        )
    ctx.data.update(_step_data(step))


def _send_back(ctx: ActionContext) -> None:
    dossier = ctx.dossier
    current = dossier.current_step
    earlier = [s for s in _workflow(dossier) if current is not None and s.order < current.workflow_order]
    if current is None or (not earlier and current.workflow_step_id is not None):
        raise Conflict(_("This is the first step: there is no step to send the dossier back to."))
    _close_current_step(dossier, ctx.now, "sent_back")
    if current.workflow_step_id is None:
        # A unit the dossier was transferred to sends it back to the step that transferred it.
        previous = dossier.steps.exclude(pk=current.pk).order_by("-started_at", "-id").first()
        assert previous is not None
        step = _open_step(
            dossier,
            ctx.now,
            order=previous.workflow_order,
            name=previous.name,
            role=previous.role,
            agency_id=previous.agency_id,
            budget_hours=previous.budget_minutes // 60 if previous.budget_minutes else None,
            workflow_step=previous.workflow_step,
        )
    else:
        step = _open_workflow_step(dossier, ctx.now, earlier[-1])
    ctx.data.update(_step_data(step))


def _transfer(ctx: ActionContext) -> None:
    dossier = ctx.dossier
    target = agency_by_code(ctx.text("to_unit"))
    if target is None:
        raise InvalidInput.field("to_unit", "unknown", _("No agency has this identity code."))
    if target.pk == dossier.current_unit_id:
        raise InvalidInput.field("to_unit", "same_unit", _("The dossier is already at this unit."))
    current = dossier.current_step
    workflow = _workflow(dossier)
    if current is None:
        # Received "regardless of boundary": the unit it is handed to is the one that decides.
        dossier.competent_authority = target
        ctx.data["competent_authority"] = target.identity_code
    role = current.role if current is not None else (workflow[0].role if workflow else Role.SPECIALIST)
    _close_current_step(dossier, ctx.now, "transferred")
    step = _open_step(
        dossier,
        ctx.now,
        order=current.workflow_order if current is not None else 0,
        name=_("Transferred to %s") % target.name,
        role=role,
        agency_id=target.pk,
        budget_hours=None,
    )
    ctx.data.update(_step_data(step), to_unit=target.identity_code)


def _items(raw: Any, required: bool = True) -> list[dict[str, str]]:
    if not isinstance(raw, list) or (required and not raw):
        raise InvalidInput.field("items", "invalid", _("List the items as [{description, requirement}]."))
    items = []
    for index, item in enumerate(raw):
        description = item.get("description") if isinstance(item, dict) else None
        if not isinstance(description, str) or not description.strip():
            raise InvalidInput.field(f"items.{index}.description", "required", _("Describe the item."))
        requirement = item.get("requirement") or ""
        items.append(
            {"description": description.strip()[:MAX_TEXT], "requirement": str(requirement)[:MAX_TEXT]}
        )
    return items


def _request_supplement(ctx: ActionContext) -> None:
    dossier = ctx.dossier
    items = _items(ctx.payload.get("items"))
    request = SupplementRequest.objects.create(
        dossier=dossier, requested_by=ctx.actor, requested_at=ctx.now, reason=ctx.text("reason"), items=items
    )
    dossier.status_before = dossier.status
    dossier.supplement_count += 1
    dossier.supplement_requested_at = ctx.now
    dossier.supplement_submitted_at = None
    ctx.data.update(reason=request.reason, items=items, supplement=request.pk, round=dossier.supplement_count)


def _latest_supplement(dossier: Dossier) -> SupplementRequest:
    request = dossier.supplements.order_by("-requested_at", "-id").first()
    assert request is not None, "a dossier waiting for a supplement has a supplement request"
    return request


def _submit_supplement(ctx: ActionContext) -> None:
    dossier = ctx.dossier
    request = _latest_supplement(dossier)
    raw = ctx.payload.get("documents") or []
    if not isinstance(raw, list):
        raise InvalidInput.field("documents", "invalid", _("List the documents as [{requirement, file}]."))
    file_ids = [_file_id(d.get("file")) for d in raw if isinstance(d, dict)]
    files = {f.pk: f for f in UploadedFile.objects.filter(owner=ctx.actor, pk__in=[i for i in file_ids if i])}
    requirements = {r.pk for r in dossier.case.documents.all()}
    attached = []
    for index, document in enumerate(raw):
        file_id = _file_id(document.get("file")) if isinstance(document, dict) else None
        if file_id is None or file_id not in files:
            raise InvalidInput.field(f"documents.{index}.file", "unknown", _("No such file uploaded by you."))
        requirement = document.get("requirement")
        if requirement is not None and (isinstance(requirement, bool) or requirement not in requirements):
            raise InvalidInput.field(
                f"documents.{index}.requirement", "unknown", _("Not a document this case requires.")
            )
        attached.append(
            DossierDocument(
                dossier=dossier,
                requirement_id=requirement,
                file=files[file_id],
                added_at=ctx.now,
                supplement=request,
            )
        )
    DossierDocument.objects.bulk_create(attached)
    request.submitted_at = ctx.now
    request.save(update_fields=["submitted_at"])
    dossier.supplement_submitted_at = ctx.now
    ctx.data.update(supplement=request.pk, files=[d.file_id for d in attached])


def _accept_supplement(ctx: ActionContext) -> None:
    dossier = ctx.dossier
    request = _latest_supplement(dossier)
    request.accepted_at = ctx.now
    request.save(update_fields=["accepted_at"])
    policy = dossier.procedure_version.supplement_policy
    if policy == SupplementPolicy.PAUSE:
        extend_by_pause(dossier, request.requested_at, ctx.now)
    else:
        # Decree 61/2018 Art. 18: once the dossier is complete the time is counted again from the start.
        start_clock(dossier, ctx.now)
    if dossier.current_step is not None:
        start_step_clock(dossier.current_step, ctx.now)
        dossier.current_step.save(update_fields=["started_at", "due_at"])
    dossier.supplement_requested_at = dossier.supplement_submitted_at = None
    ctx.data.update(policy=policy, due_at=dossier.due_at.isoformat() if dossier.due_at else None)
    ctx.data["resumes"] = dossier.status_before


def _request_payment(ctx: ActionContext) -> None:
    amount = ctx.payload.get("amount")
    if isinstance(amount, bool) or not isinstance(amount, int) or not 0 < amount <= MAX_ID:
        raise InvalidInput.field("amount", "invalid", _("The amount is a positive whole number of đồng."))
    ctx.dossier.status_before = ctx.dossier.status
    ctx.dossier.fee_due = amount
    ctx.data["amount"] = amount


def _record_payment(ctx: ActionContext) -> None:
    ctx.dossier.fee_paid = ctx.dossier.fee_due
    ctx.data.update(amount=ctx.dossier.fee_due, receipt_number=ctx.text("receipt_number"))


def _finish(ctx: ActionContext, outcome: str) -> None:
    _close_current_step(ctx.dossier, ctx.now, outcome)
    ctx.dossier.finished_at = ctx.now


def _stop(ctx: ActionContext) -> None:
    _finish(ctx, "stopped")
    ctx.dossier.closed_at = ctx.now
    ctx.data["reason"] = ctx.text("reason")


def _issue_result(ctx: ActionContext) -> None:
    dossier = ctx.dossier
    capacity = signer_capacity(ctx.actor, dossier)
    assert capacity is not None, "may_take checked the signing right"
    file_id = ctx.payload.get("result_file")
    if file_id is not None:
        result = (
            UploadedFile.objects.filter(pk=file_id, owner=ctx.actor).first()
            if isinstance(file_id, int)
            else None
        )
        if result is None:
            raise InvalidInput.field("result_file", "unknown", _("No such file uploaded by you."))
        dossier.result_file = result
    dossier.result_number = ctx.text("result_number")
    _finish(ctx, "result_issued")
    record_delegated_signature(capacity, ctx.actor, dossier.code)
    ctx.data.update(
        result_number=dossier.result_number,
        result_file=dossier.result_file_id,
        signed_as="direct" if capacity.direct else "on_behalf",
        delegation=capacity.delegation.pk if capacity.delegation else None,
    )


def _return_result(ctx: ActionContext) -> None:
    dossier = ctx.dossier
    details = {
        "recipient_name": ctx.text("recipient_name"),
        "recipient_id_number": ctx.text("recipient_id_number"),
        "waybill_number": ctx.text("waybill_number"),
    }
    if dossier.result_delivery == ResultDelivery.POST and not details["waybill_number"]:
        raise InvalidInput.field(
            "waybill_number", "required", _("A result sent by post needs its waybill number.")
        )
    dossier.return_details = details
    dossier.returned_at = dossier.closed_at = ctx.now
    ctx.data.update(details)


def _withdraw(ctx: ActionContext) -> None:
    _finish(ctx, "withdrawn")
    ctx.dossier.closed_at = ctx.now


def _apologise(ctx: ActionContext) -> None:
    dossier = ctx.dossier
    raw = ctx.payload.get("new_appointment")
    try:
        new_date = parse_datetime(raw) if isinstance(raw, str) else None
    except ValueError:  # well-formed but impossible, such as 31 February
        new_date = None
    if new_date is None:
        raise InvalidInput.field(
            "new_appointment", "invalid", _("Give the new date as an ISO 8601 date and time.")
        )
    if timezone.is_naive(new_date):
        new_date = timezone.make_aware(new_date)
    if new_date <= ctx.now or (dossier.due_at is not None and new_date <= dossier.due_at):
        raise InvalidInput.field(
            "new_appointment",
            "too_early",
            _("The new date must be later than now and than the original due date."),
        )
    dossier.new_appointment_at = new_date
    dossier.apology_count += 1
    ctx.data.update(
        reason=ctx.text("reason"),
        new_appointment=new_date.isoformat(),
        original_due_at=dossier.due_at.isoformat() if dossier.due_at else None,
        after_due_date=dossier.due_at is not None and ctx.now > dossier.due_at,
    )


HANDLERS: dict[str, Callable[[ActionContext], None]] = {
    "accept": _accept,
    "request_fix": _request_fix,
    "refuse": _refuse,
    "assign": _assign,
    "forward": _forward,
    "send_back": _send_back,
    "transfer": _transfer,
    "request_supplement": _request_supplement,
    "submit_supplement": _submit_supplement,
    "accept_supplement": _accept_supplement,
    "request_payment": _request_payment,
    "record_payment": _record_payment,
    "stop": _stop,
    "issue_result": _issue_result,
    "return_result": _return_result,
    "withdraw": _withdraw,
    "apologise": _apologise,
}
assert HANDLERS.keys() == ACTIONS.keys(), "every action in the lifecycle has exactly one handler"
