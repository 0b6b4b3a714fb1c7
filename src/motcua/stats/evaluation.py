"""The 9-indicator evaluation of TTHC handling (Decree 61/2018, Circular 01/2018/TT-VPCP; DOMAIN.md §8): each
indicator scores 2, 1 or 0, the total is out of 18 and classified in bands (evaluation.toml).

A dossier is evaluated from its own row, steps and events. A unit over a period is evaluated from:
- the rollups (`ProcedureTally`): indicators 1, 7 (dossiers resolved in the period, by end day), 4, 5 and the
  dossier shares of 9;
- the unit's steps finished in the period (`DossierStep` by its agency index): indicator 2, per step;
- the supplement requests and completion requests of the dossiers of those steps (`SupplementRequest` and
  `DossierEvent` by their dossier index): indicator 3;
- the catalogue (procedure versions in force at the end of the period): the procedure share of 9.
Indicators 6 and 8 need information the platform lacks; they take the configured default, with a note.

Choices of this platform [D]: a late dossier with no complaint keeps 1 point for attitude (7), since
complaints are not recorded here and 0 is for a substantiated complaint; indicator 9 for one dossier is 2 when
it came online and was not late, 1 when its procedure is offered online, 0 when it is not.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

from django.db.models import Count, Q, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.catalog.constants import OnlineLevel
from motcua.catalog.models import ProcedureVersion
from motcua.catalog.selectors import in_force_on
from motcua.core.toml_config import toml_config
from motcua.dossiers.lifecycle import ActionName, Channel
from motcua.dossiers.models import Dossier, DossierEvent, DossierStep, SupplementRequest
from motcua.dossiers.punctuality import (
    dossier_outcome,
    dossier_overdue,
    finished_punctuality_sql,
    step_outcome,
)
from motcua.org.selectors import agency_by_id
from motcua.stats.index766 import BAND_LABELS
from motcua.stats.models import ProcedureTally
from motcua.stats.periods import ONE_DAY, Period, cover
from motcua.stats.report import in_buckets
from motcua.worktime.calendar import start_of_day
from motcua.worktime.constants import Punctuality

CONFIG_FILE = Path(__file__).with_name("evaluation.toml")
# The scale itself, not a weight: every indicator scores 2, 1 or 0 and the pages show how many scored each.
# Which class earns which point is configured (evaluation.toml).
MAX_POINTS = 2
CRITERIA = 9
NAMES: dict[int, Promise] = {
    1: gettext_lazy("Total time compared with the legal time"),
    2: gettext_lazy("Time taken by each participating agency"),
    3: gettext_lazy("Contacts with the counter to complete the dossier"),
    4: gettext_lazy("Agencies the applicant had to contact"),
    5: gettext_lazy("Receipt, settlement and return at the one-stop counter"),
    6: gettext_lazy("Publicity of the procedure"),
    7: gettext_lazy("Attitude of the officers"),
    8: gettext_lazy("Handling of feedback"),
    9: gettext_lazy("Progress and quality of online services"),
}


@dataclasses.dataclass(frozen=True)
class Config:
    publicity: int
    feedback: int
    contacts_full: int
    contacts_partial: int
    procedures_share: float
    dossiers_share_full: float
    dossiers_share_partial: float
    bands: tuple[tuple[str, float, bool], ...]  # (code, threshold, whether the threshold itself is in)
    punctuality: dict[Punctuality, int]  # indicators 1 and 2: the points of a dossier's or a step's class
    attitude: dict[Punctuality, int]  # indicator 7: the points of a dossier's class, no complaint recorded


def _points_by_class(data: dict[str, Any], table: str) -> dict[Punctuality, int]:
    """The `[table]` of points per class (early, on_time, late), each a whole number on the scale."""
    section = data.get(table)
    if not isinstance(section, dict):
        raise ValueError(f"{CONFIG_FILE.name}: [{table}] is missing")
    points = {}
    for punctuality in Punctuality:
        value = section.get(punctuality.value)
        if type(value) is not int or not 0 <= value <= MAX_POINTS:
            raise ValueError(
                f"{CONFIG_FILE.name}: {table}.{punctuality.value} must be a whole number from 0 to "
                f"{MAX_POINTS}, not {value!r}"
            )
        points[punctuality] = value
    if unknown := section.keys() - {p.value for p in Punctuality}:
        raise ValueError(f"{CONFIG_FILE.name}: [{table}] has unknown keys: {sorted(unknown)}")
    return points


def parse_config(data: dict[str, Any]) -> Config:
    bands = []
    for band in data["band"]:
        if band["code"] not in BAND_LABELS:
            raise ValueError(f"{CONFIG_FILE.name}: band {band['code']!r} has no label")
        inclusive = "min" in band
        bands.append((band["code"], float(band["min"] if inclusive else band["above"]), inclusive))
    return Config(
        publicity=int(data["defaults"]["publicity"]),
        feedback=int(data["defaults"]["feedback"]),
        contacts_full=int(data["contacts"]["full"]),
        contacts_partial=int(data["contacts"]["partial"]),
        procedures_share=float(data["online"]["procedures_share"]),
        dossiers_share_full=float(data["online"]["dossiers_share_full"]),
        dossiers_share_partial=float(data["online"]["dossiers_share_partial"]),
        bands=tuple(sorted(bands, key=lambda b: -b[1])),
        punctuality=_points_by_class(data, "punctuality"),
        attitude=_points_by_class(data, "attitude"),
    )


config = toml_config(CONFIG_FILE, parse_config)


@dataclasses.dataclass(frozen=True)
class Criterion:
    number: int
    name: str
    score: float | None  # a dossier: 2, 1 or 0; a unit: the average; None when there is nothing to score
    source: Literal["platform", "default"]
    basis: str  # what was counted, in plain words
    note: str = ""
    # A unit: how many dossiers (steps, for indicator 2) scored 2, 1 and 0.
    distribution: dict[int, int] | None = None
    max_points: float = MAX_POINTS


@dataclasses.dataclass(frozen=True)
class Evaluation:
    criteria: list[Criterion]
    total: float | None  # None until every criterion is scored
    band: str | None
    band_label: str
    final: bool  # a dossier: processing has ended; a unit: every criterion scored
    subject: str  # the dossier's code or the unit's identity code(s)
    period: Period | None = None
    dossiers: int = 0  # a unit: dossiers resolved in the period
    max_points: float = MAX_POINTS * CRITERIA


def band_of(total: float) -> str:
    for code, threshold, inclusive in config().bands:
        if total > threshold or (inclusive and total == threshold):
            return code
    return config().bands[-1][0]


def _evaluation(criteria: list[Criterion], final: bool, subject: str, **extra: Any) -> Evaluation:
    scores = [c.score for c in criteria]
    total = round(sum(s for s in scores if s is not None), 2) if None not in scores else None
    band = band_of(total) if total is not None and final else None
    label = str(BAND_LABELS[band]) if band else ""
    return Evaluation(criteria, total, band, label, final, subject, **extra)


def _criterion(number: int, score: float | None, basis: str, note: str = "", **extra: Any) -> Criterion:
    return Criterion(number, str(NAMES[number]), score, "platform", basis, note, **extra)


def _defaults() -> list[Criterion]:
    settings = config()
    return [
        Criterion(
            6,
            str(NAMES[6]),
            settings.publicity,
            "default",
            _("The configured score."),
            _(
                "The portal publishes every procedure online; whether it is also posted at the counter is "
                "not recorded here (evaluation.toml)."
            ),
        ),
        Criterion(
            8,
            str(NAMES[8]),
            settings.feedback,
            "default",
            _("The configured score."),
            _("Feedback and petitions are received on the national portal, not here (evaluation.toml)."),
        ),
    ]


def _contacts_points(contacts: int) -> int:
    settings = config()
    return 2 if contacts <= settings.contacts_full else 1 if contacts <= settings.contacts_partial else 0


ONE_STOP_NOTE = gettext_lazy(
    "The applicant deals with the receiving unit only: the platform passes the dossier between agencies."
)
ONE_STOP_RETURN_NOTE = gettext_lazy(
    "Received at a one-stop counter or online, and returned by the receiving unit, by post or online."
)
NO_COMPLAINTS_NOTE = gettext_lazy(
    "Complaints are not recorded in the platform: scored from punctuality; a substantiated complaint would "
    "give 0."
)


# --- one dossier -------------------------------------------------------------------------------------------


def _steps_points(steps: list[DossierStep]) -> tuple[int | None, str]:
    """Each agency's steps: 2 if all finished before their due day, 1 if by it, 0 if any later; the dossier
    takes its worst agency."""
    by_agency: dict[int, int] = {}
    for step in steps:
        outcome = step_outcome(step)
        if outcome is None:
            continue
        points = config().punctuality[outcome]
        by_agency[step.agency_id] = min(points, by_agency.get(step.agency_id, points))
    if not by_agency:
        return None, _("No step has been finished yet.")
    detail = "; ".join(f"{agency_by_id(a).name}: {p}" for a, p in by_agency.items())
    return min(by_agency.values()), detail


def dossier_evaluation(dossier: Dossier, now: dt.datetime) -> Evaluation:
    """The evaluation of one dossier the caller may see (read through `dossier_for`), as it stands at `now`:
    final once processing has ended."""
    outcome = dossier_outcome(dossier.status, dossier.finished_at, dossier.due_at)
    ended = outcome is not None
    late_now = outcome == Punctuality.LATE or (
        outcome is None and dossier_overdue(dossier.status, dossier.due_at, now)
    )
    steps_points, steps_detail = _steps_points(list(dossier.steps.all()))
    contacts = dossier.supplement_count + dossier.events.filter(action=ActionName.REQUEST_FIX).count()
    online_level = dossier.procedure_version.online_level
    if online_level == OnlineLevel.NONE:
        online_points = 0
    else:
        online_points = 2 if dossier.channel == Channel.ONLINE and not late_now else 1
    not_ended = _("Processing has not ended.")
    criteria = [
        _criterion(
            1,
            config().punctuality[outcome] if outcome else None,
            _("End of processing against the due date: early %(early)d, on time %(on_time)d, late %(late)d.")
            % config().punctuality,
            "" if ended else not_ended,
        ),
        _criterion(2, steps_points, _("Each agency's steps against their due dates."), steps_detail),
        _criterion(
            3,
            _contacts_points(contacts),
            _("Requests to complete or supplement the dossier: %d.") % contacts,
            _("Whether the applicant was at fault is not recorded."),
        ),
        _criterion(4, 2, _("Agencies contacted: 1."), str(ONE_STOP_NOTE)),
        _criterion(5, 2, _("Handled through the one-stop mechanism."), str(ONE_STOP_RETURN_NOTE)),
        *_defaults()[:1],
        _criterion(
            7,
            config().attitude[outcome] if outcome else None,
            _("Early %(early)d, on time %(on_time)d, late without a complaint %(late)d.") % config().attitude,
            str(NO_COMPLAINTS_NOTE),
        ),
        *_defaults()[1:],
        _criterion(
            9,
            online_points,
            _("Received online and not late 2; procedure offered online 1; not offered online 0."),
        ),
    ]
    return _evaluation(criteria, ended and None not in (c.score for c in criteria), dossier.code)


# --- a unit over a period ----------------------------------------------------------------------------------


def _average(distribution: dict[int, int]) -> float | None:
    count = sum(distribution.values())
    return round(sum(p * n for p, n in distribution.items()) / count, 2) if count else None


def _by_points(points: dict[Punctuality, int], counts: dict[Punctuality, int]) -> dict[int, int]:
    """How many scored each point, from how many fell in each class and the points of each class."""
    distribution = {2: 0, 1: 0, 0: 0}
    for punctuality, count in counts.items():
        distribution[points[punctuality]] += count
    return distribution


def _steps_distribution(steps: Any) -> dict[int, int]:
    classes = steps.annotate(punctuality=finished_punctuality_sql()).aggregate(
        **{str(c): Count("id", filter=Q(punctuality=c)) for c in Punctuality}
    )
    return _by_points(config().punctuality, {c: classes[str(c)] for c in Punctuality})


def _contacts_distribution(steps: Any) -> dict[int, int]:
    dossiers = steps.values("dossier_id").distinct()
    contacts: Counter[int] = Counter()
    for source in (
        SupplementRequest.objects.filter(dossier_id__in=dossiers),
        DossierEvent.objects.filter(dossier_id__in=dossiers, action=ActionName.REQUEST_FIX),
    ):
        for row in source.values("dossier_id").annotate(n=Count("id")).order_by():
            contacts[row["dossier_id"]] += row["n"]
    distribution = {2: 0, 1: 0, 0: 0}
    for count in contacts.values():
        distribution[_contacts_points(count)] += 1
    distribution[_contacts_points(0)] += dossiers.count() - len(contacts)
    return distribution


def _online_points(agency_ids: list[int], period: Period, flows: dict[str, int]) -> tuple[int | None, str]:
    settings = config()
    versions = ProcedureVersion.objects.filter(in_force_on(period.last), competent_agency_id__in=agency_ids)
    levels: dict[int, set[str]] = {}
    for procedure, level in versions.values_list("procedure_id", "online_level"):
        levels.setdefault(procedure, set()).add(level)
    online_procedures = sum(1 for found in levels.values() if found - {OnlineLevel.NONE})
    detail = _(
        "%(procedures)d of %(all_procedures)d procedures offered online; %(online)d of %(received)d dossiers "
        "received online; %(late)d online dossiers resolved late."
    ) % {
        "procedures": online_procedures,
        "all_procedures": len(levels),
        "online": flows["online"],
        "received": flows["received_total"],
        "late": flows["online_late"],
    }
    if not levels or not flows["received_total"]:
        return None, detail
    procedure_share = online_procedures / len(levels)
    dossier_share = flows["online"] / flows["received_total"]
    if (
        procedure_share >= settings.procedures_share
        and dossier_share >= settings.dossiers_share_full
        and not flows["online_late"]
    ):
        return 2, detail
    return (1 if dossier_share >= settings.dossiers_share_partial else 0), detail


def unit_evaluation(agency_ids: Iterable[int], period: Period, subject: str = "") -> Evaluation:
    """The evaluation of the agencies `agency_ids` (already expanded to what the caller may see) over
    `period`: per indicator the average score and how many dossiers scored 2, 1 and 0."""
    agency_ids = list(agency_ids)
    online = Q(channel=Channel.ONLINE)
    flows = {
        key: int(value or 0)
        for key, value in ProcedureTally.objects.filter(
            in_buckets(cover(period.first, period.last)), agency_id__in=agency_ids
        )
        .aggregate(
            early=Sum("resolved_early"),
            on_time=Sum("resolved_on_time"),
            late=Sum("resolved_late"),
            received_total=Sum("received"),
            online=Sum("received", filter=online),
            online_late=Sum("resolved_late", filter=online),
        )
        .items()
    }
    resolved = flows["early"] + flows["on_time"] + flows["late"]
    classes = {
        Punctuality.EARLY: flows["early"],
        Punctuality.ON_TIME: flows["on_time"],
        Punctuality.LATE: flows["late"],
    }
    punctuality = _by_points(config().punctuality, classes)
    attitude = _by_points(config().attitude, classes)
    one_stop = {2: resolved, 1: 0, 0: 0}
    steps = DossierStep.objects.filter(
        agency_id__in=agency_ids,
        finished_at__gte=start_of_day(period.first),
        finished_at__lt=start_of_day(period.last + ONE_DAY),
    )
    step_points = _steps_distribution(steps)
    contacts = _contacts_distribution(steps)
    online_points, online_detail = _online_points(agency_ids, period, flows)
    resolved_basis = _("Dossiers resolved in the period: %d.") % resolved
    criteria = [
        _criterion(1, _average(punctuality), resolved_basis, distribution=punctuality),
        _criterion(
            2,
            _average(step_points),
            _("Steps of the unit finished in the period: %d.") % sum(step_points.values()),
            _("Each step against its due date: early %(early)d, on time %(on_time)d, late %(late)d.")
            % config().punctuality,
            distribution=step_points,
        ),
        _criterion(
            3,
            _average(contacts),
            _("Dossiers with a step of the unit finished in the period: %d.") % sum(contacts.values()),
            _("Requests to complete or supplement: none 2, one 1, more 0."),
            distribution=contacts,
        ),
        _criterion(4, _average(one_stop), resolved_basis, str(ONE_STOP_NOTE), distribution=one_stop),
        _criterion(5, _average(one_stop), resolved_basis, str(ONE_STOP_RETURN_NOTE), distribution=one_stop),
        *_defaults()[:1],
        _criterion(7, _average(attitude), resolved_basis, str(NO_COMPLAINTS_NOTE), distribution=attitude),
        *_defaults()[1:],
        _criterion(9, online_points, _("The unit's procedures and dossiers in the period."), online_detail),
    ]
    final = None not in (c.score for c in criteria)
    return _evaluation(criteria, final, subject, period=period, dossiers=resolved)
