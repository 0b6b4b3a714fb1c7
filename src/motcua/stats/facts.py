"""What a dossier counts for in the statistics, read from the dossier as it stands or folded from its events.

The two readings must agree: `motcua stats rebuild` uses the events, the live rollups and `motcua stats
verify` use the dossier rows, and the tests check that both give the same rollups (ADR 0008).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q

from motcua.catalog.models import ProcedureVersion
from motcua.core.memo import timed_cache
from motcua.dossiers.lifecycle import (
    CLOCK_STOPPED_STATUSES,
    FINISHED_STATUSES,
    NOT_RECEIVED_STATUSES,
    RESULT_STATUSES,
    ActionName,
    CreationEvent,
)
from motcua.dossiers.models import Dossier, DossierDocument, DossierEvent, Rating
from motcua.dossiers.punctuality import day_of, dossier_outcome
from motcua.worktime.services import calendar_for

ENDING_ACTIONS = frozenset({ActionName.ISSUE_RESULT, ActionName.STOP, ActionName.WITHDRAW})
MOVING_ACTIONS = frozenset({ActionName.FORWARD, ActionName.SEND_BACK, ActionName.TRANSFER})


@dataclasses.dataclass(frozen=True)
class CountedState:
    agency: int  # the competent authority: the unit that answers for the dossier in every report
    procedure: int
    field: int
    channel: str
    received_on: dt.date
    due_on: dt.date | None
    ended_on: dt.date | None  # resolved: a result, a withdrawal or a stop
    outcome: str | None  # Punctuality of a resolved dossier
    waiting_on: dt.date | None  # waiting for the applicant's supplement since
    supplements: int
    completed_minutes: int | None  # a result issued: working minutes from receipt to the end of processing
    digitised: bool
    electronic_result: bool
    rating: str
    unit: int | None  # where an open dossier is now
    step: str

    def to_json(self) -> dict[str, Any]:
        return {
            k: v.isoformat() if isinstance(v, dt.date) else v for k, v in dataclasses.asdict(self).items()
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CountedState:
        dates = {"received_on", "due_on", "ended_on", "waiting_on"}
        return cls(
            **{k: dt.date.fromisoformat(v) if k in dates and v else v for k, v in data.items()}  # type: ignore[arg-type]
        )


@timed_cache()
def _version_dimensions() -> dict[int, tuple[int, int]]:
    return {
        pk: (procedure, field)
        for pk, procedure, field in ProcedureVersion.objects.values_list("pk", "procedure_id", "field_id")
    }


def version_dimensions(version_id: int) -> tuple[int, int]:
    """(procedure, field) of a procedure version, from a per-process copy; a new version is looked up."""
    found = _version_dimensions().get(version_id)
    if found is None:
        found = ProcedureVersion.objects.values_list("procedure_id", "field_id").get(pk=version_id)
    return found


def _day(moment: dt.datetime | None) -> dt.date | None:
    return day_of(moment) if moment is not None else None


@dataclasses.dataclass
class _Lifecycle:
    """The moving parts of a dossier, as its row holds them or as its events replay them."""

    status: str
    agency: int
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    finished_at: dt.datetime | None
    supplement_requested_at: dt.datetime | None
    supplements: int
    result_file: bool
    unit: int | None
    step: str


def _state(dossier: Dossier, life: _Lifecycle, digitised: bool, rating: str) -> CountedState | None:
    if life.status in NOT_RECEIVED_STATUSES or life.received_at is None:
        return None
    procedure, field = version_dimensions(dossier.procedure_version_id)
    resolved = life.status in FINISHED_STATUSES
    ended_at = life.finished_at if resolved else None
    outcome = dossier_outcome(life.status, ended_at, life.due_at)
    completed = life.status in RESULT_STATUSES and ended_at is not None
    waiting = life.status in CLOCK_STOPPED_STATUSES
    return CountedState(
        agency=life.agency,
        procedure=procedure,
        field=field,
        channel=dossier.channel,
        received_on=day_of(life.received_at),
        due_on=_day(life.due_at),
        ended_on=_day(ended_at),
        outcome=outcome,
        waiting_on=_day(life.supplement_requested_at) if waiting else None,
        supplements=life.supplements,
        completed_minutes=(
            max(0, calendar_for().working_minutes_between(life.received_at, ended_at))
            if completed and ended_at is not None
            else None
        ),
        digitised=digitised,
        electronic_result=completed and life.result_file,
        rating=rating,
        unit=None if resolved else life.unit,
        step="" if resolved else life.step,
    )


def counted_state(dossier: Dossier, *, digitised: bool, rating: str) -> CountedState | None:
    """What the dossier counts for now, from its row; None while it is not received (statuses 1 and 3)."""
    # The step's name is read only for an open dossier: a resolved one counts for no workload.
    open_step = (
        dossier.current_step if dossier.status not in FINISHED_STATUSES and dossier.current_step_id else None
    )
    step = open_step.name if open_step is not None else ""
    return _state(
        dossier,
        _Lifecycle(
            status=dossier.status,
            agency=dossier.competent_authority_id,
            received_at=dossier.received_at,
            due_at=dossier.due_at,
            finished_at=dossier.finished_at,
            supplement_requested_at=dossier.supplement_requested_at,
            supplements=dossier.supplement_count,
            result_file=dossier.result_file_id is not None,
            unit=dossier.current_unit_id,
            step=step,
        ),
        digitised,
        rating,
    )


def _datetime(value: Any) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if isinstance(value, str) else None


def state_from_events(
    dossier: Dossier,
    events: Iterable[DossierEvent],
    agency_ids: dict[str, int],
    *,
    digitised: bool,
    rating: str,
) -> CountedState | None:
    """Replay the dossier's events (in order). The row gives only what never changes after creation: the
    procedure version, the channel and the receiving unit."""
    life = _Lifecycle(
        status="",
        agency=dossier.competent_authority_id,
        received_at=None,
        due_at=None,
        finished_at=None,
        supplement_requested_at=None,
        supplements=0,
        result_file=False,
        unit=dossier.receiving_unit_id,
        step="",
    )
    for event in events:
        data = event.data or {}
        life.status = event.to_status
        if event.action in {CreationEvent.RECEIVE, ActionName.ACCEPT}:
            life.received_at = event.at
            life.due_at = _datetime(data.get("due_at"))
        elif event.action == ActionName.REQUEST_SUPPLEMENT:
            life.supplements += 1
            life.supplement_requested_at = event.at
        elif event.action == ActionName.ACCEPT_SUPPLEMENT:
            life.supplement_requested_at = None
            life.due_at = _datetime(data.get("due_at"))
        elif event.action in ENDING_ACTIONS:
            life.finished_at = event.at
            life.result_file = bool(data.get("result_file"))
        if event.action in MOVING_ACTIONS:
            life.unit = agency_ids[data["unit"]]
            life.step = data.get("step", "")
        if event.action == ActionName.TRANSFER and data.get("competent_authority"):
            life.agency = agency_ids[data["competent_authority"]]
    return _state(dossier, life, digitised, rating)


def side_facts(dossier_ids: list[int]) -> tuple[set[int], dict[int, str]]:
    """For many dossiers at once: which are digitised (every document handed in has its file) and their
    ratings."""
    documents = (
        DossierDocument.objects.filter(dossier_id__in=dossier_ids)
        .values("dossier_id")
        .annotate(total=Count("id"), unscanned=Count("id", filter=Q(file__isnull=True)))
    )
    digitised = {row["dossier_id"] for row in documents if row["total"] and not row["unscanned"]}
    ratings = dict(Rating.objects.filter(dossier_id__in=dossier_ids).values_list("dossier_id", "score"))
    return digitised, ratings


def is_digitised(dossier_id: int) -> bool:
    digitised, _ = side_facts([dossier_id])
    return dossier_id in digitised
