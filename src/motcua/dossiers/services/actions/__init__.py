"""Lifecycle actions: one typed function per action (`request_supplement(dossier, actor, *, reason, items,
version)`), each over the one transactional dispatcher `take_action`; `take_action_from_fields` reads untyped
input (a JSON body, a posted form) into the action's payload first. Importing the package registers the
handler of every action of the lifecycle table."""

from motcua.dossiers.services.actions.engine import (
    check_every_action_is_handled,
    take_action,
    take_action_from_fields,
)
from motcua.dossiers.services.actions.fees import record_payment, request_payment
from motcua.dossiers.services.actions.outcomes import apologise, issue_result, return_result, stop, withdraw
from motcua.dossiers.services.actions.reception import accept, refuse, request_fix
from motcua.dossiers.services.actions.routing import assign, forward, send_back, transfer
from motcua.dossiers.services.actions.supplements import (
    accept_supplement,
    request_supplement,
    submit_supplement,
)

check_every_action_is_handled()

__all__ = [
    "accept",
    "accept_supplement",
    "apologise",
    "assign",
    "forward",
    "issue_result",
    "record_payment",
    "refuse",
    "request_fix",
    "request_payment",
    "request_supplement",
    "return_result",
    "send_back",
    "stop",
    "submit_supplement",
    "take_action",
    "take_action_from_fields",
    "transfer",
    "withdraw",
]
