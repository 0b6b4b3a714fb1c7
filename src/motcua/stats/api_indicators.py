"""REST endpoints of the Decision 766 index, the 9-indicator evaluation and the monthly scorecards: thin
adapters over `index766`, `evaluation` and `scorecards`, with the units and periods read by
`indicators_input` (a unit outside the caller's scope is a 403; a bad parameter a 422 naming it)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import ConfigDict, Field

from motcua.core.api import LocalDateTime
from motcua.dossiers.selectors import dossier_for
from motcua.org.auth import api_auth
from motcua.org.models import Agency
from motcua.stats.api_report import PeriodOut
from motcua.stats.evaluation import Evaluation, dossier_evaluation, unit_evaluation
from motcua.stats.index766 import index766
from motcua.stats.indicators_input import (
    asked_agency_ids,
    asked_units,
    parse_days,
    parse_month,
    parse_period,
)
from motcua.stats.scorecards import month_scorecards

router = Router(tags=["statistics"], auth=api_auth)

UNIT_PARAMETER = Query(
    "",
    max_length=35,
    description="Identity code of the unit; its whole subtree is counted. Empty: the units you hold a role "
    "in.",
)


class UnitsOut(Schema):
    unit: str | None = Field(description="The unit's identity code; null for the units you hold a role in.")
    unit_name: str


class IndicatorOut(Schema):
    code: str = Field(examples=["2.1"])
    name: str
    numerator: int | None
    denominator: int | None
    rate: float | None = Field(
        description="numerator ÷ denominator as a percentage, 0..100, one decimal; null when unknown or 0/0."
    )
    points: float | None = Field(description="Null when not scored: outside data, or tracked only.")
    max_points: float
    value: float | None = Field(description="A tracked figure that is not a rate (2.2: working days).")
    formula: str
    source: Literal["platform", "outside"]
    note: str


class GroupOut(Schema):
    code: str
    name: str
    points: float
    max_points: float = Field(description="Of the indicators computed from platform data.")
    legal_max_points: float = Field(description="In the national methodology, outside data included.")
    indicators: list[IndicatorOut]


class IndexOut(UnitsOut):
    model_config = ConfigDict(populate_by_name=True)

    period: PeriodOut
    judged_on: dt.date = Field(description="The day open dossiers are judged at: the period's end or today.")
    total: float = Field(description="Points from the indicators computed from platform data.")
    max: float = Field(description="The maximum of those indicators.")
    scaled: float = Field(description="total × 100 ÷ max, 0..100: what the band is read from.")
    band: str = Field(examples=["excellent", "good", "fair", "average", "weak"])
    band_label: str
    legal_max: float
    groups: list[GroupOut]


def _units_out(units: tuple[Agency, ...]) -> dict[str, Any]:
    return {
        "unit": units[0].identity_code if len(units) == 1 else None,
        "unit_name": "; ".join(unit.name for unit in units),
    }


@router.get(
    "/index766", response=IndexOut, by_alias=True, summary="Decision 766 service-quality index of a unit"
)
def index(
    request: HttpRequest,
    unit: str = UNIT_PARAMETER,
    period: str = Query(
        "", description="A year (2026), a quarter (2026-Q3) or a month (2026-10). Default: this month."
    ),
) -> dict[str, Any]:
    """The indicators of the dossiers received in the period whose competent agency is the unit or below it,
    read from the statistics rollups. Indicators that need data from outside the platform are listed with
    their maximum and a note, and are not scored; `scaled` is over the indicators computed here."""
    today = timezone.localdate()
    asked = parse_period(period or f"{today:%Y-%m}")
    units = asked_units(request.user, unit.strip())
    result = index766(asked_agency_ids(units), asked, today)
    return {
        **_units_out(units),
        "period": {"first": result.period.first, "last": result.period.last},
        "judged_on": min(result.period.last, today),
        "total": result.points,
        "max": result.max_points,
        "scaled": result.scaled,
        "band": result.band,
        "band_label": result.band_label,
        "legal_max": result.legal_max_points,
        "groups": [dataclasses.asdict(group) for group in result.groups],
    }


class ScorecardOut(Schema):
    steps_finished: int = Field(description="Steps finished in the month.")
    steps_on_time: int = Field(description="Of those, finished by their due time.")
    steps_late: int
    on_time_rate: float | None = Field(
        description="steps_on_time as a percentage of steps_finished (0 to 100, to one decimal); null when "
        "no step was finished."
    )
    open_overdue: int = Field(description="Steps open past their due time at the end of the month (or now).")
    overdue: int = Field(description="steps_late + open_overdue.")
    apologies: int
    supplement_requests: int
    rated_very_satisfied: int
    rated_satisfied: int
    rated_dissatisfied: int
    ratings: int = Field(description="Ratings given in the month to the results issued.")
    satisfaction_rate: float | None = Field(
        description="The ratings very satisfied or satisfied as a percentage of ratings (0 to 100, to one "
        "decimal); null when none was given."
    )


class OfficerScorecardOut(ScorecardOut):
    officer: str = Field(description="The officer's user name.")
    name: str
    unit: str


class UnitScorecardOut(ScorecardOut):
    unit: str
    name: str


class ScorecardsOut(UnitsOut):
    month: str = Field(examples=["2026-10"])
    judged_at: LocalDateTime
    officers: list[OfficerScorecardOut]
    units: list[UnitScorecardOut]
    total: ScorecardOut


@router.get("/scorecards", response=ScorecardsOut, summary="Monthly scorecards of officers and units")
def scorecards(
    request: HttpRequest,
    unit: str = UNIT_PARAMETER,
    month: str = Query("", description="The month, 2026-10. Default: this month."),
) -> dict[str, Any]:
    """Per officer and per unit: steps finished and their punctuality, overdue steps, apologies, supplement
    requests, and the ratings of the results they issued."""
    now = timezone.now()
    today = timezone.localdate(now)
    first = parse_month(month or f"{today:%Y-%m}", today)
    units = asked_units(request.user, unit.strip())
    cards = month_scorecards(asked_agency_ids(units), first, now)
    return {
        **_units_out(units),
        "month": f"{cards.month:%Y-%m}",
        "judged_at": cards.judged_at,
        "officers": [
            {
                **line.card.as_dict(),
                "officer": line.username,
                "name": line.name,
                "unit": line.unit_code,
            }
            for line in cards.officers
        ],
        "units": [{**line.card.as_dict(), "unit": line.code, "name": line.name} for line in cards.units],
        "total": cards.total.as_dict(),
    }


class CriterionOut(Schema):
    number: int = Field(ge=1, le=9)
    name: str
    score: float | None = Field(description="2, 1 or 0 (a unit: the average); null when nothing to score.")
    max_points: float
    source: Literal["platform", "default"] = Field(description="default: the configured score (no data).")
    basis: str
    note: str
    distribution: dict[int, int] | None = Field(description="A unit: how many scored 2, 1 and 0.")


class EvaluationOut(Schema):
    model_config = ConfigDict(populate_by_name=True)

    subject: str = Field(description="The dossier's code or the unit's identity code.")
    period: PeriodOut | None
    dossiers: int = Field(description="A unit: dossiers resolved in the period.")
    final: bool = Field(description="Every criterion scored (a dossier: processing has ended).")
    total: float | None
    max: float
    band: str | None
    band_label: str
    criteria: list[CriterionOut]


def _evaluation_out(result: Evaluation) -> dict[str, Any]:
    period = result.period
    return {
        "subject": result.subject,
        "period": {"first": period.first, "last": period.last} if period else None,
        "dossiers": result.dossiers,
        "final": result.final,
        "total": result.total,
        "max": result.max_points,
        "band": result.band,
        "band_label": result.band_label,
        "criteria": [dataclasses.asdict(c) for c in result.criteria],
    }


@router.get(
    "/evaluation",
    response=EvaluationOut,
    by_alias=True,
    summary="The 9-indicator evaluation of a unit over a period",
)
def unit_evaluation_endpoint(
    request: HttpRequest,
    unit: str = UNIT_PARAMETER,
    first: str = Query("", alias="from", description="First day, 2026-10-01. Default: this month's first."),
    last: str = Query("", alias="to", description="Last day, included. Default: today."),
) -> dict[str, Any]:
    today = timezone.localdate()
    period = parse_days(first or today.replace(day=1).isoformat(), last or today.isoformat())
    units = asked_units(request.user, unit.strip())
    subject = ", ".join(u.identity_code for u in units)
    return _evaluation_out(unit_evaluation(asked_agency_ids(units), period, subject))


@router.get(
    "/evaluation/{code}",
    response=EvaluationOut,
    by_alias=True,
    summary="The 9-indicator evaluation of one dossier",
)
def dossier_evaluation_endpoint(request: HttpRequest, code: str) -> dict[str, Any]:
    """A dossier you may see (404 otherwise), evaluated as it stands: final once processing has ended."""
    dossier = dossier_for(request.user, code)
    return _evaluation_out(dossier_evaluation(dossier, timezone.now()))
