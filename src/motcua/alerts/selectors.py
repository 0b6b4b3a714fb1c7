"""What the alert pages read: an officer's current warnings, and the late dossiers owing an apology."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from django.contrib.auth.models import AnonymousUser, User
from django.core.cache import cache
from django.db.models import F, OuterRef, Q, QuerySet, Subquery

from motcua.alerts.constants import Level, WarningKind
from motcua.alerts.models import DeadlineWarning
from motcua.dossiers.lifecycle import CLOCK_RUNNING_STATUSES
from motcua.dossiers.models import Dossier
from motcua.dossiers.punctuality import before_due_filter, past_due_filter
from motcua.org.constants import Role
from motcua.org.selectors import roles_by_agency, subtree_ids

AnyUser = User | AnonymousUser

# The number in the menu is counted again after this long, not on every page.
COUNT_TTL_SECONDS = 30


class Section(StrEnum):
    OVERDUE = "overdue"
    ESCALATED = "escalated"
    DUE_SOON = "due_soon"


def _still_current(now: dt.datetime) -> Q:
    """A warning still worth reading: its dossier's clock runs, the deadline it is about is still the one in
    force (a supplement counts a new one), and a due-soon deadline has not passed yet (then it is overdue)."""
    deadline_in_force = Q(step__isnull=True, due_at=F("dossier__due_at")) | Q(
        step=F("dossier__current_step"), step__finished_at__isnull=True, due_at=F("step__due_at")
    )
    return (
        Q(dossier__status__in=CLOCK_RUNNING_STATUSES)
        & deadline_in_force
        & (Q(kind=WarningKind.OVERDUE) | (Q(kind=WarningKind.DUE_SOON) & before_due_filter(now)))
    )


SECTION_FILTERS = {
    Section.OVERDUE: Q(kind=WarningKind.OVERDUE, level=Level.ASSIGNEE),
    Section.ESCALATED: Q(kind=WarningKind.OVERDUE, level__gt=Level.ASSIGNEE),
    Section.DUE_SOON: Q(kind=WarningKind.DUE_SOON),
}


def my_warnings(user: AnyUser, section: Section, now: dt.datetime) -> QuerySet[DeadlineWarning]:
    """The user's current warnings of one section, the earliest deadline first."""
    return (
        DeadlineWarning.objects.filter(recipient_id=user.pk)
        .filter(_still_current(now), SECTION_FILTERS[section])
        .select_related("dossier__procedure_version", "dossier__current_unit", "step__agency")
        .order_by("due_at", "id")
    )


def section_counts(user: AnyUser, now: dt.datetime) -> dict[Section, int]:
    return {section: my_warnings(user, section, now).count() for section in Section}


def menu_count(user: AnyUser, now: dt.datetime) -> int:
    """How many current warnings the user has, for the menu; kept COUNT_TTL_SECONDS."""
    key = f"motcua:alert-count:{user.pk}"
    count = cache.get(key)
    if count is None:
        count = DeadlineWarning.objects.filter(recipient_id=user.pk).filter(_still_current(now)).count()
        cache.set(key, count, COUNT_TTL_SECONDS)
    return int(count)


def led_unit_ids(user: AnyUser) -> frozenset[int]:
    """The agencies the user leads, and those below them: where an apology is theirs to issue."""
    led = [agency for agency, roles in roles_by_agency(user).items() if Role.UNIT_LEADER in roles]
    return subtree_ids(led)


def missing_apologies(user: AnyUser, now: dt.datetime) -> QuerySet[Dossier]:
    """Dossiers past their due moment at the units the user leads with no apology issued, the longest overdue
    first, each with when its applicant was reminded of the apology (`applicant_reminded_at`, empty if never).
    The due moment, not the due day: this is a warning (dossiers.punctuality), and the apology is owed before
    the dossier counts as late.

    The apology is a leader's action at the unit the dossier is at (lifecycle "apologise"), so that is the
    unit that counts. Read through the (status, due_at) index."""
    reminder = DeadlineWarning.objects.filter(dossier=OuterRef("pk"), kind=WarningKind.APOLOGY_OWED)
    return (
        Dossier.objects.filter(
            past_due_filter(now),
            status__in=CLOCK_RUNNING_STATUSES,
            apology_count=0,
            current_unit_id__in=sorted(led_unit_ids(user)),
        )
        .select_related("procedure_version", "current_unit", "current_step", "assignee")
        .annotate(applicant_reminded_at=Subquery(reminder.values("sent_at")[:1]))
        .order_by("due_at", "id")
    )
