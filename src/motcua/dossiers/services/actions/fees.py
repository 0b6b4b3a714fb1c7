"""Fees: an officer asks for the payment, and the dossier waits until it is recorded."""

from __future__ import annotations

from django.contrib.auth.models import User

from motcua.dossiers.models import Dossier
from motcua.dossiers.services.actions.engine import ActionContext, handles, take_action
from motcua.dossiers.services.actions.payloads import RecordPayment, RequestPayment


@handles(RequestPayment)
def _request_payment(ctx: ActionContext[RequestPayment]) -> None:
    ctx.dossier.status_before = ctx.dossier.status
    ctx.dossier.fee_due = ctx.payload.amount
    ctx.data["amount"] = ctx.payload.amount


@handles(RecordPayment)
def _record_payment(ctx: ActionContext[RecordPayment]) -> None:
    ctx.dossier.fee_paid = ctx.dossier.fee_due
    ctx.data.update(amount=ctx.dossier.fee_due, receipt_number=ctx.payload.receipt_number)


def request_payment(dossier: Dossier, actor: User, *, amount: int, version: int, note: str = "") -> Dossier:
    """Ask for `amount` đồng; the dossier waits for the payment."""
    return take_action(actor, dossier.code, RequestPayment(amount=amount, note=note), version=version)


def record_payment(
    dossier: Dossier, actor: User, *, receipt_number: str = "", version: int, note: str = ""
) -> Dossier:
    """Record that the fee asked for was paid; the dossier resumes where it was."""
    payload = RecordPayment(receipt_number=receipt_number, note=note)
    return take_action(actor, dossier.code, payload, version=version)
