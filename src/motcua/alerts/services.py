"""The deadline scan: who must hear that a deadline is near or missed, recorded once, then told by e-mail.

A deadline is a dossier's appointment date, or the due moment of the step it is at. Only dossiers whose clock
runs are looked at: one waiting for the applicant's supplement is not late however long it waits (DOMAIN.md
§4.4). Time before and after a deadline is working time on the province's calendar.

Safe to run twice at once, by two workers or by a worker and `motcua alerts scan`: a warning is inserted
under the unique constraints of DeadlineWarning (get_or_create: the loser of a race reads the winner's row),
and an e-mail is claimed by a conditional update before it is sent.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Q
from django.utils import timezone

from motcua.alerts.config import AlertConfig, alert_config
from motcua.alerts.constants import Channel, Level, WarningKind
from motcua.alerts.mail import warning_message
from motcua.alerts.models import DeadlineWarning
from motcua.alerts.recipients import Directory, Officer, Place
from motcua.dossiers.lifecycle import CLOCK_RUNNING_STATUSES
from motcua.dossiers.models import Dossier, DossierStep
from motcua.dossiers.punctuality import (
    before_due_moment,
    due_by,
    due_by_filter,
    past_due_moment,
    working_minutes_past_due,
)
from motcua.notify.channels import DeliveryFailed, channels
from motcua.org.constants import Role
from motcua.worktime.calendar import WorkingCalendar
from motcua.worktime.services import calendar_for

logger = logging.getLogger(__name__)

# Dossiers read, and warnings compared, this many at a time.
CHUNK = 500
# A mail server that refused the same e-mail this often will not take it: stop trying.
MAX_SEND_FAILURES = 5

# The identity of a warning, as in the unique constraint: nullable step and recipient as 0.
Key = tuple[int, int, str, int, int, dt.datetime]


@dataclass(frozen=True)
class Deadline:
    dossier: Dossier
    step: DossierStep | None
    due_at: dt.datetime
    place: Place


@dataclass(frozen=True)
class Wanted:
    """A warning the scan wants recorded."""

    deadline: Deadline
    kind: str
    level: int
    recipient: Officer | None  # None: the applicant, at recipient_email
    recipient_email: str

    @property
    def key(self) -> Key:
        step_id = self.deadline.step.pk if self.deadline.step is not None else 0
        recipient_id = self.recipient.id if self.recipient is not None else 0
        return (self.deadline.dossier.pk, step_id, self.kind, self.level, recipient_id, self.deadline.due_at)


@dataclass(frozen=True)
class Warned:
    """A line of what one scan recorded."""

    dossier: str
    step: str
    kind: str
    level: int
    recipient: str
    due_at: dt.datetime


@dataclass
class ScanResult:
    dossiers: int = 0  # looked at: due soon or overdue, by their own deadline or their step's
    warned: list[Warned] = field(default_factory=list)
    emails_sent: int = 0
    emails_failed: int = 0

    def as_dict(self) -> dict[str, Any]:
        """The figures, for the task's stored return value."""
        return {
            "dossiers": self.dossiers,
            "warned": len(self.warned),
            "emails_sent": self.emails_sent,
            "emails_failed": self.emails_failed,
        }


def scan_deadlines(now: dt.datetime, progress: Callable[[int, int], None] | None = None) -> ScanResult:
    """Record the warnings that deadlines call for at `now`, then send the e-mails not yet sent.

    `progress(done, total)` is called after each chunk of dossiers. Stopping a scan half-way is safe: each
    warning is committed as it is recorded, and the next scan carries on from there."""
    config = alert_config()
    calendar = calendar_for()
    soon = calendar.add_working_minutes(now, config.due_soon_minutes)
    directory = Directory()
    by_email = channels.get(Channel.EMAIL) is not None
    result = ScanResult()
    ids = _dossier_ids(soon)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        dossiers = list(
            # Read again, as the chunk comes: a dossier finished or paused since the list was made is skipped.
            Dossier.objects.filter(pk__in=chunk, status__in=CLOCK_RUNNING_STATUSES)
            .select_related("assignee", "current_step__assignee")
            .order_by("pk")
        )
        result.dossiers += len(dossiers)
        recorded = _Recorded.of(chunk)
        for dossier in dossiers:
            for wanted in _wanted(dossier, now, soon, config, calendar, directory):
                if not recorded.covers(wanted) and _record(wanted, now, by_email):
                    result.warned.append(_line(wanted))
        if progress is not None:
            progress(start + len(chunk), len(ids))
    result.emails_sent, result.emails_failed = deliver_pending()
    return result


def _dossier_ids(soon: dt.datetime) -> list[int]:
    """Dossiers whose clock runs and whose own deadline, or current step's, falls before `soon`.

    The statuses with a running clock are read through the (status, due_at) index; the step's due moment is
    on the step row, joined by its key. A worker may read every open dossier this way every few minutes."""
    step_due = Q(current_step__finished_at__isnull=True) & due_by_filter(soon, "current_step__")
    return list(
        Dossier.objects.filter(status__in=CLOCK_RUNNING_STATUSES)
        .filter(due_by_filter(soon) | step_due)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@dataclass(frozen=True)
class _Recorded:
    """The warnings already recorded for some dossiers: most of what a scan wants, an earlier scan recorded,
    and one query here spares an insert attempt for each."""

    keys: frozenset[Key]
    reminded: frozenset[int]  # dossiers whose applicant has had the apology reminder

    @classmethod
    def of(cls, dossier_ids: list[int]) -> _Recorded:
        rows = DeadlineWarning.objects.filter(dossier_id__in=dossier_ids).values_list(
            "dossier_id", "step_id", "kind", "level", "recipient_id", "due_at"
        )
        keys: set[Key] = set()
        reminded: set[int] = set()
        for dossier_id, step_id, kind, level, recipient_id, due_at in rows:
            keys.add((dossier_id, step_id or 0, kind, level, recipient_id or 0, due_at))
            if kind == WarningKind.APOLOGY_OWED:
                reminded.add(dossier_id)
        return cls(frozenset(keys), frozenset(reminded))

    def covers(self, wanted: Wanted) -> bool:
        if wanted.kind == WarningKind.APOLOGY_OWED:
            return wanted.deadline.dossier.pk in self.reminded
        return wanted.key in self.keys


def _deadlines(dossier: Dossier) -> Iterator[Deadline]:
    step = dossier.current_step
    if dossier.due_at is not None:
        # A received dossier not yet handed on waits for the one-stop counter (lifecycle: forward, transfer).
        role = step.role if step is not None else Role.COUNTER_OFFICER
        yield Deadline(dossier, None, dossier.due_at, Place(dossier.current_unit_id, role, dossier.assignee))
    if step is not None and step.finished_at is None and step.due_at is not None:
        yield Deadline(dossier, step, step.due_at, Place(step.agency_id, step.role, step.assignee))


def _wanted(
    dossier: Dossier,
    now: dt.datetime,
    soon: dt.datetime,
    config: AlertConfig,
    calendar: WorkingCalendar,
    directory: Directory,
) -> Iterator[Wanted]:
    for deadline in _deadlines(dossier):
        if not due_by(deadline.due_at, soon):
            continue
        ladder = directory.ladder(deadline.place)
        if before_due_moment(deadline.due_at, now):
            for officer in ladder[Level.ASSIGNEE]:
                yield Wanted(deadline, WarningKind.DUE_SOON, Level.ASSIGNEE, officer, officer.email)
        elif past_due_moment(deadline.due_at, now):
            yield from _overdue(deadline, ladder, now, config, calendar)


def _overdue(
    deadline: Deadline,
    ladder: dict[int, tuple[Officer, ...]],
    now: dt.datetime,
    config: AlertConfig,
    calendar: WorkingCalendar,
) -> Iterator[Wanted]:
    # A warning, not a classification (dossiers.punctuality): escalation runs on office time past the due
    # moment, so that leaders hear of a missed appointment before its day is lost.
    overdue = working_minutes_past_due(calendar, deadline.due_at, now)
    for level, after in enumerate(config.escalate_after_minutes):
        if overdue >= after:
            for officer in ladder[level]:
                yield Wanted(deadline, WarningKind.OVERDUE, level, officer, officer.email)
    dossier = deadline.dossier
    if deadline.step is None and dossier.apology_count == 0 and dossier.applicant_email:
        yield Wanted(deadline, WarningKind.APOLOGY_OWED, Level.ASSIGNEE, None, dossier.applicant_email)


def _record(wanted: Wanted, now: dt.datetime, by_email: bool) -> bool:
    """Insert the warning unless it exists; True when this call inserted it. It is to be e-mailed when
    `by_email` (the e-mail channel is on) and the recipient has an address."""
    deadline = wanted.deadline
    defaults = {
        "recipient_email": wanted.recipient_email,
        "channel": Channel.EMAIL if by_email and wanted.recipient_email else Channel.IN_APP,
        "warned_at": now,
    }
    if wanted.kind == WarningKind.APOLOGY_OWED:
        # Once per dossier (constraint apology_reminder_once), whichever deadline it missed.
        identity: dict[str, Any] = {"dossier": deadline.dossier, "kind": wanted.kind}
        defaults.update(step=None, level=wanted.level, recipient=None, due_at=deadline.due_at)
    else:
        identity = {
            "dossier": deadline.dossier,
            "step": deadline.step,
            "kind": wanted.kind,
            "level": wanted.level,
            "recipient_id": wanted.recipient.id if wanted.recipient is not None else None,
            "due_at": deadline.due_at,
        }
    _warning, created = DeadlineWarning.objects.get_or_create(**identity, defaults=defaults)
    return created


def _line(wanted: Wanted) -> Warned:
    deadline = wanted.deadline
    return Warned(
        dossier=deadline.dossier.code,
        step=deadline.step.name if deadline.step is not None else "",
        kind=wanted.kind,
        level=wanted.level,
        recipient=wanted.recipient.username if wanted.recipient is not None else wanted.recipient_email,
        due_at=deadline.due_at,
    )


def deliver_pending() -> tuple[int, int]:
    """Send the e-mails of warnings not sent yet; (sent, failed). Each is claimed first, so a warning is
    e-mailed once even when two scans deliver at the same time; a refused one is tried again next scan.
    Nothing is sent while MOTCUA_NOTIFY_CHANNELS leaves the e-mail channel off."""
    sent = failed = 0
    email = channels.get(Channel.EMAIL)
    if email is None:
        return sent, failed
    pending = DeadlineWarning.objects.filter(
        channel=Channel.EMAIL, sent_at__isnull=True, send_failures__lt=MAX_SEND_FAILURES
    ).order_by("pk")
    for pk in list(pending.values_list("pk", flat=True)):
        claim = DeadlineWarning.objects.filter(pk=pk, sent_at__isnull=True)
        if not claim.update(sent_at=timezone.now()):
            continue  # another scan took it
        warning = DeadlineWarning.objects.select_related(
            "dossier__procedure_version",
            "dossier__competent_authority",
            "dossier__current_unit",
            "step__agency",
            "recipient",
        ).get(pk=pk)
        try:
            email.send(warning_message(warning))
        except DeliveryFailed:
            logger.exception("could not e-mail deadline warning %s", pk)
            DeadlineWarning.objects.filter(pk=pk).update(sent_at=None, send_failures=F("send_failures") + 1)
            failed += 1
        except BaseException:
            # Interrupted while sending (Ctrl+C, the worker stopped): give the claim back for the next scan.
            DeadlineWarning.objects.filter(pk=pk).update(sent_at=None)
            raise
        else:
            sent += 1
    return sent, failed
