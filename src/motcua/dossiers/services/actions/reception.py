"""Receiving a dossier submitted online: accept it, ask to complete it, or refuse it."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.models import User

from motcua.dossiers.models import Dossier
from motcua.dossiers.services.actions.engine import ActionContext, handles, take_action
from motcua.dossiers.services.actions.payloads import Accept, Refuse, RequestFix, SupplementItem
from motcua.dossiers.services.clock import start_clock


@handles(Accept)
def _accept(ctx: ActionContext[Accept]) -> None:
    dossier = ctx.dossier
    dossier.received_at = ctx.now
    dossier.needs_fix = False
    start_clock(dossier, ctx.now)
    ctx.data["due_at"] = dossier.due_at.isoformat() if dossier.due_at else None


@handles(RequestFix)
def _request_fix(ctx: ActionContext[RequestFix]) -> None:
    ctx.dossier.needs_fix = True
    ctx.data.update(reason=ctx.payload.reason, items=[item.as_json() for item in ctx.payload.items])


@handles(Refuse)
def _refuse(ctx: ActionContext[Refuse]) -> None:
    ctx.dossier.closed_at = ctx.now
    ctx.data["reason"] = ctx.payload.reason


def accept(dossier: Dossier, actor: User, *, version: int, note: str = "") -> Dossier:
    """Receive a dossier submitted online: its legal clock starts."""
    return take_action(actor, dossier.code, Accept(note=note), version=version)


def request_fix(
    dossier: Dossier,
    actor: User,
    *,
    reason: str,
    items: Sequence[SupplementItem] = (),
    version: int,
    note: str = "",
) -> Dossier:
    """Ask the applicant to complete a dossier submitted online before it is received."""
    payload = RequestFix(reason=reason, items=tuple(items), note=note)
    return take_action(actor, dossier.code, payload, version=version)


def refuse(dossier: Dossier, actor: User, *, reason: str, version: int, note: str = "") -> Dossier:
    """Refuse to receive a dossier submitted online."""
    return take_action(actor, dossier.code, Refuse(reason=reason, note=note), version=version)
