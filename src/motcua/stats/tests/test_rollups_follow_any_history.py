"""After any sequence of lifecycle actions, the rollups kept in each transaction equal a recount from the
dossier rows (`verify`) and a replay of the events (`rebuild`)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.core.errors import DomainError
from motcua.dossiers.lifecycle import ACTIONS, may_be_rated
from motcua.dossiers.models import Dossier
from motcua.dossiers.services.actions import take_action_from_fields
from motcua.dossiers.services.feedback import rate_dossier
from motcua.stats.periods import Period
from motcua.stats.recount import rebuild, verify
from motcua.stats.tallies import TABLES, key_columns
from motcua.stats.tests.indicators_walk import user
from motcua.stats.tests.scenario import at, receive

# Each action with the payload it needs; the actor is whoever the lifecycle lets take it.
PAYLOADS = {
    "accept": {},
    "forward": {},
    "send_back": {"note": "Xem lại"},
    "assign": {"assignee": "specialist"},
    "transfer": {"to_unit": "000.A1.01.H26"},
    "request_supplement": {"reason": "Thiếu", "items": [{"description": "Bản sao"}]},
    "submit_supplement": {},
    "accept_supplement": {},
    "request_payment": {"amount": 50000},
    "record_payment": {},
    "stop": {"reason": "Dừng"},
    "issue_result": {},
    "return_result": {"recipient_name": "Nguyễn Thị Mai"},
    "withdraw": {},
    "apologise": {"reason": "Chậm", "new_appointment": "2026-06-30T09:00:00+07:00"},
    "rate": {},
}
ACTORS = ["counter", "counter_commune", "specialist", "leader", "clerk", "other_leader", "citizen"]
START = at("2026-03-02", 8)


def _try(code: str, action: str, moment: dt.datetime) -> None:
    for username in ACTORS:
        dossier = Dossier.objects.get(code=code)
        try:
            if action == "rate":
                rate_dossier(user(username), code, "dissatisfied", channel="officer", now=moment)
            else:
                take_action_from_fields(
                    user(username), code, action, dossier.version, PAYLOADS[action], now=moment
                )
            return
        except DomainError:
            continue


def _applicable(status: str) -> list[str]:
    rating = ["rate"] if may_be_rated(status) else []
    return rating + [a for a in PAYLOADS if a in ACTIONS and status in ACTIONS[a].sources]


history = st.lists(
    st.tuples(st.integers(0, 3), st.integers(0, 50), st.integers(1, 40)),
    min_size=1,
    max_size=30,
)


def _rollups() -> dict[str, set[tuple]]:
    """Every row with a non-zero count (a row can fall back to zero; a rebuild does not write it)."""
    out = {}
    for table, (model, _, _) in TABLES.items():
        key = key_columns(table)
        counts = [f.attname for f in model._meta.concrete_fields if f.attname not in (*key, "id")]
        out[table] = {row for row in model.objects.values_list(*key, *counts) if any(row[len(key) :])}
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    history=history,
    channels=st.lists(st.sampled_from(["counter", "online", "post"]), min_size=4, max_size=4),
)
def test_rollups_equal_a_recount_after_any_history(world, history, channels):
    # Each example runs in a savepoint that is rolled back, so every example starts from the same world.
    with transaction.atomic():
        _check_history(world, history, channels)
        transaction.set_rollback(True)


def _check_history(world, history, channels) -> None:
    codes = [receive(world, START + dt.timedelta(hours=i), channel=c) for i, c in enumerate(channels)]
    moment = START + dt.timedelta(hours=5)
    for index, choice, hours in history:
        moment += dt.timedelta(hours=hours)
        status = Dossier.objects.get(code=codes[index]).status
        applicable = _applicable(status)
        if applicable:
            _try(codes[index], applicable[choice % len(applicable)], moment)
    # Then the dossiers still in process are carried to their end, so results, returns and ratings occur
    # after whatever came before.
    for code in codes[: 1 + len(history) % 4]:
        for action in ("accept", "forward", "issue_result", "return_result", "rate"):
            moment += dt.timedelta(hours=7)
            _try(code, action, moment)
    periods = [
        Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31)),
        Period(dt.date(2026, 3, 4), dt.date(2026, 3, 9)),
        Period(moment.date(), moment.date()),
        Period(dt.date(2026, 1, 1), dt.date(2027, 12, 31)),
    ]
    agencies = [world.department.pk, world.commune_committee.pk, world.other_commune.pk]
    for period in periods:
        assert verify(period, agencies) == []
    kept = _rollups()
    rebuild()
    assert _rollups() == kept
