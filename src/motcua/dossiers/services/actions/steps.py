"""The steps of a dossier's internal workflow, as the actions that move it open and close them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from motcua.catalog.models import WorkflowStep
from motcua.dossiers.models import Dossier, DossierStep
from motcua.dossiers.services.clock import start_step_clock


def workflow(dossier: Dossier) -> list[WorkflowStep]:
    return list(dossier.case.steps.order_by("order"))


def close_current_step(dossier: Dossier, now: dt.datetime, outcome: str) -> None:
    step = dossier.current_step
    if step is not None and step.finished_at is None:
        step.finished_at = now
        step.outcome = outcome
        step.save(update_fields=["finished_at", "outcome"])


def open_step(
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


def open_workflow_step(dossier: Dossier, now: dt.datetime, step: WorkflowStep) -> DossierStep:
    return open_step(
        dossier,
        now,
        order=step.order,
        name=step.name,
        role=step.role,
        agency_id=step.agency_id or dossier.competent_authority_id,
        budget_hours=step.budget_hours,
        workflow_step=step,
    )


def reopen_previous_step(dossier: Dossier, now: dt.datetime, outcome: str) -> DossierStep | None:
    """Close the current step and open again the one before it, at its unit; None, changing nothing, when the
    current step is the dossier's first."""
    current = dossier.current_step
    earlier = dossier.steps.exclude(pk=current.pk) if current is not None else dossier.steps.all()
    previous = earlier.order_by("-started_at", "-id").first()
    if previous is None:
        return None
    close_current_step(dossier, now, outcome)
    return open_step(
        dossier,
        now,
        order=previous.workflow_order,
        name=previous.name,
        role=previous.role,
        agency_id=previous.agency_id,
        budget_hours=previous.budget_minutes // 60 if previous.budget_minutes else None,
        workflow_step=previous.workflow_step,
    )


def step_data(step: DossierStep) -> dict[str, Any]:
    return {
        "step": step.name,
        "step_order": step.workflow_order,
        "role": step.role,
        "unit": step.agency.identity_code,
        "step_due_at": step.due_at.isoformat() if step.due_at else None,
    }
