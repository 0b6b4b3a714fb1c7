"""The one transactional dispatcher of the lifecycle (DESIGN.md §4): lock the dossier, check its version, its
state and the actor's right, run the action's handler, move the status, bump the version and append the
event, which is published to the apps above once the transaction commits (ADR 0011)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import Conflict, FieldProblem, InvalidInput, NotFound, PermissionDenied, StaleVersion
from motcua.dossiers.lifecycle import ACTIONS, Action, missing_fields, state_problem, target_status
from motcua.dossiers.models import Dossier
from motcua.dossiers.policy import may_take
from motcua.dossiers.selectors import DETAIL_RELATIONS, visible_dossiers, with_reference_rows
from motcua.dossiers.services.actions.payloads import Payload, read_payload, values_of
from motcua.dossiers.services.events import append_event
from motcua.org.selectors import roles_in

P = TypeVar("P", bound=Payload)


@dataclass
class ActionContext(Generic[P]):
    """What a handler works with: the locked dossier, the typed payload, and the event data it gathers."""

    actor: User
    dossier: Dossier
    action: Action
    payload: P
    now: dt.datetime
    data: dict[str, Any] = field(default_factory=dict)


Handler = Callable[[ActionContext[P]], None]
_HANDLERS: dict[str, Callable[[ActionContext[Any]], None]] = {}


def handles(payload_type: type[P]) -> Callable[[Handler[P]], Handler[P]]:
    """Make the decorated function the handler of the action `payload_type` is the payload of."""

    def register(handler: Handler[P]) -> Handler[P]:
        if _HANDLERS.setdefault(payload_type.action, handler) is not handler:
            raise ImproperlyConfigured(f"The action {payload_type.action} has two handlers.")
        return handler

    return register


def check_every_action_is_handled() -> None:
    if missing := ACTIONS.keys() - _HANDLERS.keys():
        raise ImproperlyConfigured(f"Lifecycle actions without a handler: {', '.join(sorted(missing))}.")


def _raise_missing(problems: list[FieldProblem]) -> None:
    if problems:
        raise InvalidInput(_("Some fields this action needs are missing."), problems)


def take_action(
    actor: User, code: str, payload: Payload, *, version: int, now: dt.datetime | None = None
) -> Dossier:
    """Take the action `payload` is for on the dossier `code`, as seen at `version`.

    `now` is for replaying history (simulation, migration), never for the API."""
    action = ACTIONS[payload.action]
    values = values_of(payload)
    _raise_missing(missing_fields(action.fields_for_every_dossier, values))
    with transaction.atomic():
        # Lock the row alone, then read it with its relations: after the wait PostgreSQL re-checks a locking
        # query's joins against rows the winner may have changed, and would drop the dossier (404, not 409).
        locked = visible_dossiers(actor).select_for_update().filter(code=code).values_list("pk", flat=True)
        pk = locked.first()
        if pk is None:
            raise NotFound(_("No dossier %s is visible to you.") % code)
        dossier = with_reference_rows(Dossier.objects.select_related(*DETAIL_RELATIONS).get(pk=pk))
        if dossier.version != version:
            raise StaleVersion(
                _("You acted on version %(yours)d, but the dossier is now at version %(now)d; reload it.")
                % {"yours": version, "now": dossier.version}
            )
        if problem := state_problem(dossier, action):
            raise Conflict(problem)
        if not may_take(actor, dossier, action):
            raise PermissionDenied(_("Your roles do not allow “%s” on this dossier.") % action.label)
        # The fields asked of some dossiers only, such as the waybill of a result sent by post.
        _raise_missing(missing_fields((f for f in action.fields_for(dossier) if f.asked_of), values))
        context = ActionContext(actor, dossier, action, payload, now or timezone.now())
        source = dossier.status
        _HANDLERS[action.name](context)
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
            note=payload.note,
            data=context.data,
        )
    return dossier


def take_action_from_fields(
    actor: User,
    code: str,
    action_name: str,
    version: int,
    fields: Mapping[str, Any],
    now: dt.datetime | None = None,
) -> Dossier:
    """Take an action named by untyped input (a JSON body, a posted form): read its fields into the action's
    payload, each problem named by its field, then take it."""
    action = ACTIONS.get(action_name)
    if action is None:
        raise NotFound(_("There is no action %s.") % action_name)
    return take_action(actor, code, read_payload(action, fields), version=version, now=now)


def _acting_unit(actor: User, dossier: Dossier) -> int | None:
    for agency_id in (dossier.current_unit_id, dossier.receiving_unit_id, dossier.competent_authority_id):
        if roles_in(actor, agency_id):
            return agency_id
    return None
