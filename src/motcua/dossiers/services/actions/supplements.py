"""The supplement round: an officer asks for documents, the applicant (or the counter) hands them in, and an
officer accepts them, which restarts or extends the legal clock (Decree 61/2018 Art. 18)."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from motcua.catalog.constants import SupplementPolicy
from motcua.core.errors import Conflict, InvalidInput
from motcua.dossiers.models import Dossier, DossierDocument, SupplementRequest, UploadedFile
from motcua.dossiers.services.actions.engine import ActionContext, handles, take_action
from motcua.dossiers.services.actions.payloads import (
    AcceptSupplement,
    RequestSupplement,
    SubmitSupplement,
    SupplementItem,
    SuppliedDocument,
)
from motcua.dossiers.services.clock import extend_by_pause, start_clock, start_step_clock


@handles(RequestSupplement)
def _request_supplement(ctx: ActionContext[RequestSupplement]) -> None:
    dossier = ctx.dossier
    items = [item.as_json() for item in ctx.payload.items]
    request = SupplementRequest.objects.create(
        dossier=dossier, requested_by=ctx.actor, requested_at=ctx.now, reason=ctx.payload.reason, items=items
    )
    dossier.status_before = dossier.status
    dossier.supplement_count += 1
    dossier.supplement_requested_at = ctx.now
    dossier.supplement_submitted_at = None
    ctx.data.update(reason=request.reason, items=items, supplement=request.pk, round=dossier.supplement_count)


def _latest_supplement(dossier: Dossier) -> SupplementRequest:
    request = dossier.supplements.order_by("-requested_at", "-id").first()
    if request is None:
        raise Conflict(_("No supplement was requested for this dossier."))
    return request


@handles(SubmitSupplement)
def _submit_supplement(ctx: ActionContext[SubmitSupplement]) -> None:
    dossier = ctx.dossier
    request = _latest_supplement(dossier)
    documents = ctx.payload.documents
    owned = UploadedFile.objects.filter(owner=ctx.actor, pk__in=[d.file for d in documents])
    files = {f.pk: f for f in owned}
    requirements = {r.pk for r in dossier.case.documents.all()}
    attached = []
    for index, document in enumerate(documents):
        if document.file not in files:
            raise InvalidInput.field(f"documents.{index}.file", "unknown", _("No such file uploaded by you."))
        if document.requirement is not None and document.requirement not in requirements:
            raise InvalidInput.field(
                f"documents.{index}.requirement", "unknown", _("Not a document this case requires.")
            )
        attached.append(
            DossierDocument(
                dossier=dossier,
                requirement_id=document.requirement,
                file=files[document.file],
                added_at=ctx.now,
                supplement=request,
            )
        )
    DossierDocument.objects.bulk_create(attached)
    request.submitted_at = ctx.now
    request.save(update_fields=["submitted_at"])
    dossier.supplement_submitted_at = ctx.now
    ctx.data.update(supplement=request.pk, files=[d.file_id for d in attached])


@handles(AcceptSupplement)
def _accept_supplement(ctx: ActionContext[AcceptSupplement]) -> None:
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


def request_supplement(
    dossier: Dossier,
    actor: User,
    *,
    reason: str,
    items: Sequence[SupplementItem],
    version: int,
    note: str = "",
) -> Dossier:
    """Ask the applicant for documents; the legal clock stops until they are accepted."""
    payload = RequestSupplement(reason=reason, items=tuple(items), note=note)
    return take_action(actor, dossier.code, payload, version=version)


def submit_supplement(
    dossier: Dossier, actor: User, *, documents: Sequence[SuppliedDocument] = (), version: int, note: str = ""
) -> Dossier:
    """Hand in the requested documents: uploads of the actor's, each for a required document or none."""
    payload = SubmitSupplement(documents=tuple(documents), note=note)
    return take_action(actor, dossier.code, payload, version=version)


def accept_supplement(dossier: Dossier, actor: User, *, version: int, note: str = "") -> Dossier:
    """Accept the documents handed in: the dossier resumes where it was, its clock extended or restarted."""
    return take_action(actor, dossier.code, AcceptSupplement(note=note), version=version)
