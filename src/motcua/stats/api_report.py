"""REST endpoint of the periodic report (Biểu 06 / 06a): a thin adapter over `reporting.periodic_report`."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import ConfigDict, Field

from motcua.core.api import LocalDateTime
from motcua.org.auth import api_auth
from motcua.stats.reporting import ReportLine, periodic_report

router = Router(tags=["statistics"], auth=api_auth)


class CountsOut(Schema):
    """One line of Biểu 06. carried_over + received_total = resolved_total + pending_total."""

    carried_over: int = Field(description="Received before the period and still pending when it began.")
    received_online: int
    received_direct: int = Field(description="Received at the counter or by post.")
    received_total: int = Field(description="Received in the period (carried-over dossiers not included).")
    resolved_early: int
    resolved_on_time: int = Field(description="Including dossiers withdrawn by the applicant.")
    resolved_late: int
    resolved_total: int
    pending_within: int = Field(description="Including dossiers waiting for the applicant's supplement.")
    pending_overdue: int
    pending_total: int
    on_time_rate: float | None = Field(
        description="Percentage (0 to 100, to one decimal) of resolved dossiers resolved early or on time; "
        "null when none was resolved."
    )


class ReportRowOut(CountsOut):
    key: str = Field(description="The field's code (by=field) or the agency's identity code (by=unit).")
    name: str


class PeriodOut(Schema):
    model_config = ConfigDict(populate_by_name=True)

    first: dt.date = Field(alias="from")
    last: dt.date = Field(alias="to")


class ReportOut(Schema):
    model_config = ConfigDict(populate_by_name=True)

    form: str = Field(description="The form's number in Circular 01/2020/TT-VPCP.", examples=["06/VPCP/KSTT"])
    by: Literal["field", "unit"]
    unit: str | None = Field(description="The reporting unit's identity code; null for several units.")
    unit_name: str
    period: PeriodOut
    generated_at: LocalDateTime
    rows: list[ReportRowOut]
    total: CountsOut


def _row(line: ReportLine) -> dict[str, Any]:
    return {"key": line.key, "name": line.name, **line.counts.as_dict()}


@router.get(
    "/report",
    response=ReportOut,
    by_alias=True,
    summary="Biểu 06 / 06a: dossiers received, resolved and pending in a period",
)
def report(
    request: HttpRequest,
    first: dt.date = Query(..., alias="from", description="First day of the period (local date)."),
    last: dt.date = Query(..., alias="to", description="Last day of the period, included."),
    unit: str = Query(
        "",
        max_length=35,
        description="Identity code of the reporting unit; its whole subtree is counted. Empty: every unit "
        "you may see.",
    ),
    by: Literal["field", "unit"] = Query("field", description="Rows by field (Biểu 06) or by unit (06a)."),
) -> dict[str, Any]:
    """The dossiers whose competent agency is the unit or below it, read from the statistics rollups. A unit
    outside your scope is refused (403); a period is at most five years long."""
    result = periodic_report(request.user, unit.strip() or None, first, last, by)
    return {
        "form": result.form_number,
        "by": result.by,
        "unit": result.unit.identity_code if result.unit else None,
        "unit_name": result.unit_name,
        "period": {"first": result.period.first, "last": result.period.last},
        "generated_at": result.generated_at,
        "rows": [_row(line) for line in result.lines],
        "total": result.total.as_dict(),
    }
