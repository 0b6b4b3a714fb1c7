"""Decision 766/QĐ-TTg: the service-quality index of a set of agencies over a period (DOMAIN.md §7), read from
the rollups (`UnitFieldTally` buckets and `OpenTally`), never from the dossier table.

The weights, thresholds and bands are in index766.toml; this module holds what each indicator means (its
name, formula and note, translated) and how its numerator and denominator are counted. Indicators that need
data this platform does not hold are listed with their maximum and a note, and are never scored: the scaled
score is the points obtained over the maximum of the indicators computed here. The national portal's published
score stays the official value; this one is for monitoring (DOMAIN.md §7.3).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

from django.db.models import F, Q, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core.toml_config import toml_config
from motcua.dossiers.lifecycle import NOT_RECEIVED_STATUSES, Channel
from motcua.exchange.models import NationalSync
from motcua.stats import counters
from motcua.stats.contributions import RECEIVED_COLUMN
from motcua.stats.models import OpenTally, UnitFieldTally
from motcua.stats.periods import Period, cover
from motcua.stats.report import in_buckets
from motcua.worktime.calendar import LOCAL_TZ
from motcua.worktime.services import calendar_for

CONFIG_FILE = Path(__file__).with_name("index766.toml")
Source = Literal["platform", "outside"]


@dataclasses.dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    group: str
    numerator: int | None
    denominator: int | None
    rate: float | None  # a percentage, 0..100, one decimal (stats.counters.rate)
    points: float | None  # None: not scored (outside data, or tracked without points)
    max_points: float
    formula: str
    source: Source
    note: str
    # A tracked figure that is not a rate: indicator 2.2's average processing time in working days.
    value: float | None = None


@dataclasses.dataclass(frozen=True)
class Group:
    code: str
    name: str
    points: float
    max_points: float  # of the indicators computed from platform data
    indicators: list[Indicator]
    legal_max_points: float = 0.0  # the group's maximum in the methodology, outside data included


@dataclasses.dataclass(frozen=True)
class Index766:
    period: Period
    groups: list[Group]
    points: float
    max_points: float
    scaled: float  # points × 100 ÷ max_points, 0..100
    band: str
    band_label: str
    legal_max_points: float = 100.0


# --- configuration -----------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class IndicatorRule:
    code: str
    group: str
    max: float
    source: Source
    full_at: float
    when_empty: Literal["zero", "full"]


@dataclasses.dataclass(frozen=True)
class Config:
    groups: tuple[tuple[str, float], ...]  # (code, legal maximum)
    indicators: tuple[IndicatorRule, ...]
    bands: tuple[tuple[str, float], ...]  # (code, lowest scaled score), highest first


def parse_config(data: dict[str, Any]) -> Config:
    rules = []
    for group in data["group"]:
        for item in group.get("indicator", []):
            if item["code"] not in TEXTS:
                raise ValueError(f"{CONFIG_FILE.name}: unknown indicator {item['code']!r}")
            if item["source"] == "platform" and item["code"] not in MEASURES:
                raise ValueError(f"{CONFIG_FILE.name}: {item['code']} is not computed from platform data")
            rules.append(
                IndicatorRule(
                    code=item["code"],
                    group=group["code"],
                    max=float(item["max"]),
                    source=item["source"],
                    full_at=float(item.get("full_at", 1.0)),
                    when_empty=item.get("when_empty", "zero"),
                )
            )
    bands = tuple(sorted(((b["code"], float(b["min"])) for b in data["band"]), key=lambda b: -b[1]))
    if unknown := {code for code, _min in bands} - BAND_LABELS.keys():
        raise ValueError(f"{CONFIG_FILE.name}: bands without a label: {sorted(unknown)}")
    return Config(
        groups=tuple((g["code"], float(g["max"])) for g in data["group"]),
        indicators=tuple(rules),
        bands=bands,
    )


config = toml_config(CONFIG_FILE, parse_config)


# --- what each indicator means -----------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Text:
    name: Promise
    formula: Promise
    note: Promise | None = None


GROUP_NAMES: dict[str, Promise] = {
    "1": gettext_lazy("Publicity and transparency"),
    "2": gettext_lazy("Progress and results of settlement"),
    "3": gettext_lazy("Online public services"),
    "3p": gettext_lazy("Online payment"),
    "4": gettext_lazy("Digitisation of dossiers"),
    "5": gettext_lazy("Satisfaction"),
}
BAND_LABELS: dict[str, Promise] = {
    "excellent": gettext_lazy("Excellent"),
    "good": gettext_lazy("Good"),
    "fair": gettext_lazy("Fair"),
    "average": gettext_lazy("Average"),
    "weak": gettext_lazy("Weak"),
}
NATIONAL_CATALOGUE = gettext_lazy(
    "Needs the national procedure database: when each procedure was published, updated and publicised there. "
    "This platform does not read it yet."
)
TEXTS: dict[str, Text] = {
    "1.1": Text(
        gettext_lazy("Procedures published on time"),
        gettext_lazy("procedures published on time ÷ procedures to publish"),
        NATIONAL_CATALOGUE,
    ),
    "1.2": Text(
        gettext_lazy("Procedures updated and publicised on time"),
        gettext_lazy("procedures updated and publicised on time ÷ procedures changed"),
        NATIONAL_CATALOGUE,
    ),
    "1.3": Text(
        gettext_lazy("Procedures publicised with complete content"),
        gettext_lazy("procedures publicised in full ÷ procedures"),
        NATIONAL_CATALOGUE,
    ),
    "1.4": Text(
        gettext_lazy("Dossiers synchronised to the national portal"),
        gettext_lazy(
            "dossiers received in the period that the national portal has accepted ÷ dossiers received in "
            "the period"
        ),
        gettext_lazy(
            "The national portal divides by the larger of its own count and the national reporting system's; "
            "this platform divides by the dossiers it received."
        ),
    ),
    "2.1": Text(
        gettext_lazy("Dossiers settled early or on time"),
        gettext_lazy(
            "(dossiers finished by their due date + dossiers still open and not yet due at the end of the "
            "period) ÷ dossiers received in the period; a dossier waiting for a supplement counts at the day "
            "of the request; more than one supplement request counts as late; points = 20 × rate"
        ),
    ),
    "2.2": Text(
        gettext_lazy("Average processing time"),
        gettext_lazy(
            "working minutes from receipt to result ÷ dossiers with a result, received in the period; shown "
            "in working days of 8 hours"
        ),
        gettext_lazy("Tracked, no points."),
    ),
    "3.1": Text(
        gettext_lazy("Dossiers handled fully online"),
        gettext_lazy(
            "dossiers submitted fully online ÷ dossiers of the procedures eligible for full-process online "
            "service"
        ),
        gettext_lazy(
            "Needs the national catalogue's list of procedures eligible for full-process online service, and "
            "the split of the group's 12 points, which the sources do not establish."
        ),
    ),
    "3.3": Text(
        gettext_lazy("Dossiers received online"),
        gettext_lazy(
            "dossiers received online ÷ dossiers received in the period; full points from half of them online"
        ),
        gettext_lazy(
            "The national formula also multiplies by the synchronisation rate (1.4); this share is shown "
            "without it."
        ),
    ),
    "3.3b": Text(
        gettext_lazy("Dossiers received at the counter"),
        gettext_lazy("dossiers received at the counter ÷ dossiers received in the period"),
        gettext_lazy("Tracked, no points."),
    ),
    "3.3c": Text(
        gettext_lazy("Dossiers received by public post"),
        gettext_lazy("dossiers received by public post ÷ dossiers received in the period"),
        gettext_lazy("Tracked, no points."),
    ),
    "3.5": Text(
        gettext_lazy("Procedures with fees integrated on the national portal"),
        gettext_lazy("procedures whose fee data is synchronised ÷ procedures with fees"),
        gettext_lazy("Needs the synchronisation of fee data with the national portal, not built yet."),
    ),
    "3.6": Text(
        gettext_lazy("Dossiers paid online"),
        gettext_lazy("dossiers paid online ÷ dossiers with a fee to pay"),
        gettext_lazy(
            "No online payment provider is connected yet, so no dossier was paid online: 0 points, as the "
            "national portal would score it. The dossiers with a fee to pay are not counted in the rollups."
        ),
    ),
    "3.7": Text(
        gettext_lazy("Procedures with an online payment"),
        gettext_lazy("procedures with at least one payment made online ÷ procedures with fees"),
        gettext_lazy(
            "No online payment provider is connected yet, so no procedure had a payment made online: 0 "
            "points, as the national portal would score it."
        ),
    ),
    "4.1": Text(
        gettext_lazy("Electronic results issued"),
        gettext_lazy("dossiers whose result was issued with its electronic file ÷ dossiers with a result"),
    ),
    "4.2": Text(
        gettext_lazy("Dossiers digitised"),
        gettext_lazy("dossiers whose every document handed in was scanned ÷ dossiers received in the period"),
    ),
    "4.3": Text(
        gettext_lazy("Reuse of digitised data"),
        gettext_lazy("dossiers reusing at least one digitised document ÷ dossiers received"),
        gettext_lazy("The platform does not yet record which documents were reused from earlier dossiers."),
    ),
    "4.4": Text(
        gettext_lazy("Dossiers linked to the citizen's data store"),
        gettext_lazy("dossiers using or feeding the citizen's store on the national portal ÷ dossiers"),
        gettext_lazy("Needs the connection to the citizen's data store on the national portal."),
    ),
    "4.5a": Text(
        gettext_lazy("Procedures connected to the population database"),
        gettext_lazy("procedures with dossiers verified through VNeID or population data ÷ procedures"),
        gettext_lazy("Needs VNeID sign-in and the population database connection, not built yet."),
    ),
    "4.5b": Text(
        gettext_lazy("Dossiers using population data"),
        gettext_lazy("dossiers verified through VNeID or population data ÷ dossiers"),
        gettext_lazy("Needs VNeID sign-in and the population database connection, not built yet."),
    ),
    "4.6": Text(
        gettext_lazy("Electronic certified-copy service"),
        gettext_lazy("electronic certified copies provided ÷ requests"),
        gettext_lazy("The platform does not provide electronic certified copies yet."),
    ),
    "5.2": Text(
        gettext_lazy("Complaints and petitions handled on time"),
        gettext_lazy("complaints and petitions handled on time ÷ complaints and petitions received"),
        gettext_lazy("Complaints and petitions (PAKN) are received on the national portal, not here."),
    ),
    "5.3": Text(
        gettext_lazy("Satisfaction with the handling of complaints and petitions"),
        gettext_lazy("(complaints − unsatisfied − late − repeated) ÷ complaints and petitions received"),
        gettext_lazy("Complaints and petitions (PAKN) are received on the national portal, not here."),
    ),
    "5.4": Text(
        gettext_lazy("Satisfaction in receipt and settlement"),
        gettext_lazy(
            "(dossiers received − late − rated dissatisfied) ÷ dossiers received in the period; full "
            "points at 90 %"
        ),
        gettext_lazy("A dossier both late and rated dissatisfied counts twice, as in the national formula."),
    ),
}
# Numerator and denominator of each indicator computed from platform data, as keys of `_measures`; a key
# absent from the measures is unknown (None).
MEASURES: dict[str, tuple[str, str]] = {
    "1.4": ("synced", "received"),
    "2.1": ("on_time", "received"),
    "2.2": ("completed_minutes", "completed"),
    "3.3": ("received_online", "received"),
    "3.3b": ("received_counter", "received"),
    "3.3c": ("received_post", "received"),
    "3.6": ("paid_online", "fee_dossiers"),
    "3.7": ("procedures_paid_online", "procedures_with_fees"),
    "4.1": ("electronic_result", "completed"),
    "4.2": ("digitised", "received"),
    "5.4": ("satisfied", "received"),
}
FLOW_COLUMNS = (
    "completed",
    "completed_minutes",
    "settled_on_time_766",
    "settled_late_766",
    "digitised",
    "electronic_result",
    "rated_dissatisfied",
)


# --- counting ----------------------------------------------------------------------------------------------


def _measures(agency_ids: list[int], period: Period, today: dt.date) -> dict[str, int]:
    """The counts behind the indicators, from the rollups: the flows of the dossiers received in the period,
    and those of them still open with the clock running, judged at T' = min(period end, today)."""
    received_in = Q(in_buckets(cover(period.first, period.last)), agency_id__in=agency_ids)
    # Aliases differ from the column names: an aggregate named like a column hides the column from the next.
    # The agency-and-field rollup holds these sums for every procedure and channel: far fewer rows to read.
    sums = UnitFieldTally.objects.filter(received_in).aggregate(
        **{f"sum_{column}": Sum(column) for column in FLOW_COLUMNS},
        **{f"received_{c}": Sum(RECEIVED_COLUMN[c]) for c in Channel.values},
    )
    flows = {key.removeprefix("sum_"): int(value or 0) for key, value in sums.items()}
    flows["received"] = sum(flows[f"received_{c}"] for c in Channel.values)
    judged_on = min(period.last, today)
    # Over-supplemented open dossiers are already in settled_late_766 (contributions._settled_on_time_766).
    running = F("count") - F("over_supplemented")
    open_ = OpenTally.objects.filter(
        agency_id__in=agency_ids, received_on__range=(period.first, period.last)
    ).aggregate(
        within=Sum(running, filter=Q(due_on__gte=judged_on)),
        late=Sum(running, filter=Q(due_on__lt=judged_on)),
    )
    out = {key: int(value or 0) for key, value in {**flows, **open_}.items()}
    late = out["settled_late_766"] + out["late"]
    out["on_time"] = out["settled_on_time_766"] + out["within"]
    out["satisfied"] = max(0, out["received"] - late - out["rated_dissatisfied"])
    # No online payment provider exists: nothing was paid online, whatever was owed (which is not tallied).
    out["paid_online"] = out["procedures_paid_online"] = 0
    out["synced"] = _synced(agency_ids, period)
    return out


def _synced(agency_ids: list[int], period: Period) -> int:
    """Dossiers received in the period (statuses 1 and 3 never are) that the national portal accepted at least
    once: counted as the rollup counts "received" (competent agency, local day of receipt).

    The one count read from the dossier table: the sync record is written by the portal's sender after the
    action, outside the transactions that keep the rollups. The bound on `created_at` (a dossier is received
    after it is created) lets the competent-agency index narrow the rows read."""
    start = dt.datetime.combine(period.first, dt.time.min, tzinfo=LOCAL_TZ)
    end = dt.datetime.combine(period.last + dt.timedelta(days=1), dt.time.min, tzinfo=LOCAL_TZ)
    return (
        NationalSync.objects.filter(
            dossier__competent_authority_id__in=agency_ids,
            dossier__created_at__lt=end,
            dossier__received_at__gte=start,
            dossier__received_at__lt=end,
        )
        .exclude(dossier__status__in=NOT_RECEIVED_STATUSES)
        .count()
    )


def _points(rule: IndicatorRule, share: float | None) -> float | None:
    """Points from the exact share (0..1, like `full_at`), not from the rounded rate that is shown."""
    if rule.source == "outside" or not rule.max:
        return None
    if share is None:
        return rule.max if rule.when_empty == "full" else 0.0
    return round(rule.max * min(1.0, share / rule.full_at), 2)


def _indicator(rule: IndicatorRule, measures: dict[str, int], minutes_per_day: int) -> Indicator:
    text = TEXTS[rule.code]
    numerator = denominator = None
    if rule.source == "platform":
        numerator_key, denominator_key = MEASURES[rule.code]
        numerator, denominator = measures.get(numerator_key), measures.get(denominator_key)
    value = share = rate = None
    if numerator is not None and denominator:
        if rule.code == "2.2":
            value = round(numerator / denominator / minutes_per_day, 2)
        else:
            share, rate = numerator / denominator, counters.rate(numerator, denominator)
    points = _points(rule, share)
    notes = [str(text.note)] if text.note else []
    if rule.source == "platform" and rule.max and denominator == 0:
        notes.append(
            _("Denominator 0 → full points.") if rule.when_empty == "full" else _("Denominator 0 → 0 points.")
        )
    return Indicator(
        code=rule.code,
        name=str(text.name),
        group=rule.group,
        numerator=numerator,
        denominator=denominator,
        rate=rate,
        points=points,
        max_points=rule.max,
        formula=str(text.formula),
        source=rule.source,
        note=" ".join(notes),
        value=value,
    )


def band_of(scaled: float) -> str:
    return next((code for code, lowest in config().bands if scaled >= lowest), config().bands[-1][0])


def index766(agency_ids: Iterable[int], period: Period, today: dt.date) -> Index766:
    """The index of the dossiers whose competent agency is in `agency_ids` (already expanded to the subtree
    the caller may see), received in `period`, judged on `today` for the dossiers still open."""
    settings = config()
    measures = _measures(list(agency_ids), period, today)
    # Indicator 2.2 in working days of the province's own office hours, as the deadlines were counted.
    minutes_per_day = calendar_for().office_hours.minutes_per_day
    indicators = [_indicator(r, measures, minutes_per_day) for r in settings.indicators]
    groups = []
    for code, legal_max in settings.groups:
        members = [i for i in indicators if i.group == code]
        scored = [i for i in members if i.points is not None]
        groups.append(
            Group(
                code=code,
                name=str(GROUP_NAMES[code]),
                points=round(sum(i.points or 0.0 for i in scored), 2),
                max_points=sum(i.max_points for i in scored),
                indicators=members,
                legal_max_points=legal_max,
            )
        )
    points = round(sum(g.points for g in groups), 2)
    max_points = sum(g.max_points for g in groups)
    scaled = round(points * 100 / max_points, 2) if max_points else 0.0
    band = band_of(scaled)
    return Index766(
        period=period,
        groups=groups,
        points=points,
        max_points=max_points,
        scaled=scaled,
        band=band,
        band_label=str(BAND_LABELS[band]),
        legal_max_points=sum(legal_max for _code, legal_max in settings.groups),
    )
