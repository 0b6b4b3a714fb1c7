"""How a dossier ends, or is promised a new date: stop, issue and return the result, withdraw, apologise."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from motcua.core.errors import InvalidInput, PermissionDenied
from motcua.dossiers.models import Dossier, UploadedFile
from motcua.dossiers.policy import signer_capacity
from motcua.dossiers.punctuality import before_due_moment, past_due_moment
from motcua.dossiers.services.actions.engine import ActionContext, handles, take_action
from motcua.dossiers.services.actions.payloads import Apologise, IssueResult, ReturnResult, Stop, Withdraw
from motcua.dossiers.services.actions.steps import close_current_step
from motcua.org.services import record_delegated_signature


def _finish(dossier: Dossier, now: dt.datetime, outcome: str) -> None:
    close_current_step(dossier, now, outcome)
    dossier.finished_at = now


@handles(Stop)
def _stop(ctx: ActionContext[Stop]) -> None:
    _finish(ctx.dossier, ctx.now, "stopped")
    ctx.dossier.closed_at = ctx.now
    ctx.data["reason"] = ctx.payload.reason


@handles(IssueResult)
def _issue_result(ctx: ActionContext[IssueResult]) -> None:
    dossier = ctx.dossier
    capacity = signer_capacity(ctx.actor, dossier)
    if capacity is None:  # may_take has just found it: a signer without a capacity cannot sign
        raise PermissionDenied(_("Your roles do not allow “%s” on this dossier.") % ctx.action.label)
    if ctx.payload.result_file is not None:
        result = UploadedFile.objects.filter(pk=ctx.payload.result_file, owner=ctx.actor).first()
        if result is None:
            raise InvalidInput.field("result_file", "unknown", _("No such file uploaded by you."))
        dossier.result_file = result
    dossier.result_number = ctx.payload.result_number
    _finish(dossier, ctx.now, "result_issued")
    record_delegated_signature(capacity, ctx.actor, dossier.code)
    ctx.data.update(
        result_number=dossier.result_number,
        result_file=dossier.result_file_id,
        signed_as="direct" if capacity.direct else "on_behalf",
        delegation=capacity.delegation.pk if capacity.delegation else None,
    )


@handles(ReturnResult)
def _return_result(ctx: ActionContext[ReturnResult]) -> None:
    dossier = ctx.dossier
    details = {
        "recipient_name": ctx.payload.recipient_name,
        "recipient_id_number": ctx.payload.recipient_id_number,
        "waybill_number": ctx.payload.waybill_number,
    }
    dossier.return_details = details
    dossier.returned_at = dossier.closed_at = ctx.now
    ctx.data.update(details)


@handles(Withdraw)
def _withdraw(ctx: ActionContext[Withdraw]) -> None:
    _finish(ctx.dossier, ctx.now, "withdrawn")
    ctx.dossier.closed_at = ctx.now


@handles(Apologise)
def _apologise(ctx: ActionContext[Apologise]) -> None:
    dossier = ctx.dossier
    new_date = ctx.payload.new_appointment
    # To the minute, as the alerts that prompted the apology (ADR 0009): the promise is a new moment.
    if not before_due_moment(new_date, ctx.now) or (
        dossier.due_at is not None and not past_due_moment(dossier.due_at, new_date)
    ):
        raise InvalidInput.field(
            "new_appointment",
            "too_early",
            _("The new date must be later than now and than the original due date."),
        )
    dossier.new_appointment_at = new_date
    dossier.apology_count += 1
    ctx.data.update(
        reason=ctx.payload.reason,
        new_appointment=new_date.isoformat(),
        original_due_at=dossier.due_at.isoformat() if dossier.due_at else None,
        after_due_date=dossier.due_at is not None and past_due_moment(dossier.due_at, ctx.now),
    )


def stop(dossier: Dossier, actor: User, *, reason: str, version: int, note: str = "") -> Dossier:
    """Stop processing the dossier for good, saying why."""
    return take_action(actor, dossier.code, Stop(reason=reason, note=note), version=version)


def issue_result(
    dossier: Dossier,
    actor: User,
    *,
    result_number: str = "",
    result_file: int | None = None,
    version: int,
    note: str = "",
) -> Dossier:
    """Sign the result, directly or under a delegation; `result_file` is an upload of the signer's."""
    payload = IssueResult(result_number=result_number, result_file=result_file, note=note)
    return take_action(actor, dossier.code, payload, version=version)


def return_result(
    dossier: Dossier,
    actor: User,
    *,
    recipient_name: str = "",
    recipient_id_number: str = "",
    waybill_number: str = "",
    version: int,
    note: str = "",
) -> Dossier:
    """Hand the result over: to the person collecting it, or by post with its waybill."""
    payload = ReturnResult(
        recipient_name=recipient_name,
        recipient_id_number=recipient_id_number,
        waybill_number=waybill_number,
        note=note,
    )
    return take_action(actor, dossier.code, payload, version=version)


def withdraw(dossier: Dossier, actor: User, *, version: int, note: str = "") -> Dossier:
    """Withdraw the dossier at the applicant's request; the note says why."""
    return take_action(actor, dossier.code, Withdraw(note=note), version=version)


def apologise(
    dossier: Dossier, actor: User, *, reason: str, new_appointment: dt.datetime, version: int, note: str = ""
) -> Dossier:
    """Apologise in writing for a delay and promise a new date, later than now and than the due date."""
    payload = Apologise(reason=reason, new_appointment=new_appointment, note=note)
    return take_action(actor, dossier.code, payload, version=version)
