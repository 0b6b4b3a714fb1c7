"""The staff inbox: the dossiers an officer works on, by tab, with capped counts, sorting and pages.

Every query starts from `filtered_dossiers`, so the inbox shows what the API lists for the same user and
filters; a tab only narrows it, status by status. The queries are shaped for the indexes of dossiers/models.py
and were checked with EXPLAIN on PostgreSQL with 100,000 open dossiers among a million: pages are read per
status in index order (_SPLIT_BY_STATUS), counts stop at COUNT_CAP and are kept a little while (tab_counts).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from functools import reduce
from operator import or_
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, User
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F, OrderBy, Q, QuerySet

from motcua.catalog.models import WorkflowStep
from motcua.core.memo import timed_cache
from motcua.dossiers.domain_events import DossierActed
from motcua.dossiers.lifecycle import (
    ACTIONS,
    CLOCK_RUNNING_STATUSES,
    OPEN_STATUSES,
    ActionName,
    Status,
    Where,
    clock_running,
    is_open,
)
from motcua.dossiers.models import Dossier
from motcua.dossiers.punctuality import due_soon_cutoff, due_soon_filter, is_due_soon, overdue_filter
from motcua.dossiers.selectors import DossierFilters, filtered_dossiers, with_reference_rows
from motcua.dossiers.timing import Timing, remaining_timing, step_remaining_timing
from motcua.org.constants import Role
from motcua.org.selectors import roles_by_agency, subtree_ids

AnyUser = User | AnonymousUser

# Tab counts stop here and show "1000+", and are kept this long for the officer who asked.
COUNT_CAP = 1000
COUNTS_TTL_SECONDS = 30
PAGE_SIZES = (25, 50, 100)
# The actions by which the one-stop counter moves a dossier on: receive it, hand it to the competent unit,
# hand the result over. Dossiers waiting for one of them are the counter officers' work.
COUNTER_WORK = (ActionName.ACCEPT, ActionName.FORWARD, ActionName.RETURN_RESULT)


class Tab(StrEnum):
    MINE = "mine"
    UNIT = "unit"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    SUPPLEMENT = "supplement"
    PAYMENT = "payment"
    ALL = "all"


class SortKey(StrEnum):
    RECEIVED = "received"
    DUE = "due"
    CODE = "code"
    STATUS = "status"


# Columns each sort orders by, ending with a unique one so that pages never overlap. "Received" orders by the
# creation time, which the indexes cover: it is the receipt at the counter and, online, the submission, which
# precedes the receipt by hours.
_ORDER_COLUMNS: dict[SortKey, tuple[str, ...]] = {
    SortKey.RECEIVED: ("created_at", "id"),
    SortKey.DUE: ("due_at", "id"),
    SortKey.CODE: ("code",),
    SortKey.STATUS: ("status", "due_at", "id"),
}


@dataclass(frozen=True)
class InboxQuery:
    tab: Tab = Tab.MINE
    q: str = ""
    status: str = ""
    procedure: str = ""
    unit: str = ""
    sort: SortKey = SortKey.DUE
    descending: bool = False
    page: int = 1
    page_size: int = PAGE_SIZES[0]


@dataclass(frozen=True)
class TabCount:
    tab: Tab
    count: int
    capped: bool  # there are more than `count`
    # For a tab counted status by status, how many in each (up to the cap); a status not reached is absent.
    by_status: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class InboxRow:
    dossier: Dossier
    timing: Timing
    step_timing: Timing | None
    due_soon: bool  # the clock runs and the appointment falls within the due-soon window
    waiting_for_applicant: bool  # open, but the clock waits for the applicant's supplement


@dataclass(frozen=True)
class InboxPage:
    rows: list[InboxRow]
    number: int
    size: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


# A tab, as what it asks of a dossier in each status it shows; a status it does not show is absent.
TabConditions = dict[str, Q]


@timed_cache()
def _step_roles() -> frozenset[str]:
    """The roles a dossier's current step can name: those of the configured workflows, and the specialist's
    of a case without one (services.actions)."""
    named = WorkflowStep.objects.values_list("role", flat=True).distinct()
    return frozenset(named) | {Role.SPECIALIST}


def _my_work(user: AnyUser) -> TabConditions:
    """Open dossiers assigned to the user; unassigned ones whose current step needs a role the user holds at
    the unit the dossier is at; and, for the counter, those waiting to be received, handed on or returned."""
    work: TabConditions = dict.fromkeys(OPEN_STATUSES, Q(assignee_id=user.pk))
    for agency_id, roles in roles_by_agency(user).items():
        # A role held in an agency covers the agencies below it (org.selectors.roles_in).
        units = sorted(subtree_ids([agency_id]))
        # Asking for a role no step names (an auditor's) would only make the database look through every
        # open dossier to find none.
        if step_roles := roles & _step_roles():
            step_work = Q(
                current_unit_id__in=units, current_step__role__in=sorted(step_roles), assignee__isnull=True
            )
            for open_status in OPEN_STATUSES:
                work[open_status] |= step_work
        for name in COUNTER_WORK:
            for permit in ACTIONS[name].permits:
                if permit.where == Where.RECEIVING and permit.actors & roles:
                    for status in permit.sources:
                        counter_work = Q(receiving_unit_id__in=units)
                        work[status] = work[status] | counter_work if status in work else counter_work
    return work


ALL_STATUSES = frozenset(Status.values)


def _tab(user: AnyUser, tab: Tab, now: dt.datetime) -> TabConditions:
    if tab == Tab.MINE:
        return _my_work(user)
    if tab == Tab.DUE_SOON:
        return dict.fromkeys(CLOCK_RUNNING_STATUSES, due_soon_filter(now, due_soon_cutoff(now)))
    if tab == Tab.OVERDUE:
        return dict.fromkeys(CLOCK_RUNNING_STATUSES, overdue_filter(now))
    statuses = {
        Tab.UNIT: OPEN_STATUSES,
        Tab.SUPPLEMENT: {Status.SUPPLEMENT_REQUESTED},
        Tab.PAYMENT: {Status.AWAITING_PAYMENT},
        Tab.ALL: ALL_STATUSES,
    }[tab]
    return dict.fromkeys(statuses, Q())


def _is_everything(conditions: TabConditions) -> bool:
    return set(conditions) == ALL_STATUSES and not any(conditions.values())


def tab_filter(user: AnyUser, tab: Tab, now: dt.datetime) -> Q:
    """What `tab` adds to the user's visible dossiers."""
    conditions = _tab(user, tab, now)
    if _is_everything(conditions):
        return Q()
    # Statuses asking the same are named together: one `status IN (…)` per condition.
    grouped: list[tuple[Q, list[str]]] = []
    for status in sorted(conditions):
        same = next((names for condition, names in grouped if condition == conditions[status]), None)
        if same is None:
            grouped.append((conditions[status], [status]))
        else:
            same.append(status)
    return reduce(or_, (Q(status__in=names) & condition for condition, names in grouped))


def _ordering(sort: SortKey, descending: bool) -> list[OrderBy]:
    # Nulls (no appointment date) sort as PostgreSQL's indexes hold them, last going up and first going
    # down, so that an index can give the order; SQLite is told the same for the same pages.
    return [
        F(column).desc(nulls_first=True) if descending else F(column).asc(nulls_last=True)
        for column in _ORDER_COLUMNS[sort]
    ]


# A dossier code begins with its receiving unit's identity code ("000.A1.01.H26-…"); no name, personal or tax
# number has a dot there. Such a search is a code prefix alone, which the code's index answers, where the
# name search would read the names of the whole scope.
_CODE_START = re.compile(r"^[0-9A-Z]{3}\.", re.IGNORECASE)


def _searched(user: AnyUser, query: InboxQuery) -> QuerySet[Dossier]:
    """The user's dossiers matching the query's search and filters (filtered_dossiers, as the API's list)."""
    text = query.q.strip()
    code = text.upper() if _CODE_START.match(text) else ""
    filters = DossierFilters(
        status=query.status, procedure=query.procedure, unit=query.unit, q="" if code else text
    )
    dossiers = filtered_dossiers(user, filters)
    return dossiers.filter(code__startswith=code) if code else dossiers


def inbox_dossiers(user: AnyUser, query: InboxQuery, now: dt.datetime) -> QuerySet[Dossier]:
    """The dossiers of the query's tab and filters, in its order."""
    dossiers = _searched(user, query).filter(tab_filter(user, query.tab, now))
    return dossiers.order_by(*_ordering(query.sort, query.descending))


# Statuses are few and each is one range of the (status, due_at) index: a tab ordered by due date is read as
# one query per status, each walking its range in order and stopping after a page, and the pages are merged.
# One query over all the statuses at once would have to sort every open dossier of a large scope first.
_SPLIT_BY_STATUS = frozenset({SortKey.DUE, SortKey.STATUS})


def _conditions_asked(user: AnyUser, query: InboxQuery, now: dt.datetime) -> TabConditions:
    conditions = _tab(user, query.tab, now)
    asked = set(query.status.split(",")) if query.status else set(conditions)
    return {status: conditions[status] for status in sorted(asked & set(conditions))}


def _sort_key(values: tuple[Any, ...]) -> tuple[tuple[bool, Any], ...]:
    # As the database orders them: nulls after every value going up (and so before them going down).
    return tuple((value is None, 0 if value is None else value) for value in values)


# Below this many dossiers, the statuses of a tab are read in one query that finds them by its conditions
# and sorts them. Walking a status's range in due order suits a status the tab is dense in, and reads the
# whole range for one it is sparse in: a leader's "my work" among a commune's 100,000 open dossiers took
# 200 ms that way and 30 ms in one query; a counter officer's thousands took 10 ms that way, 130 ms in one.
FEW_TO_SORT = 300


def _sparse_statuses(user: AnyUser, tab: Tab, now: dt.datetime) -> frozenset[str]:
    """The statuses in which the tab holds few dossiers, by its counts (kept a while per officer)."""
    count = next(c for c in tab_counts(user, now) if c.tab == tab)
    return frozenset(status for status, found in count.by_status.items() if found < FEW_TO_SORT)


def _page_ids(user: AnyUser, query: InboxQuery, now: dt.datetime) -> list[int]:
    """The ids of the page's dossiers, and of the first of the next page if there is one. Ids alone: the rows
    a deep page skips are not joined to their steps and officers."""
    start, stop = (query.page - 1) * query.page_size, query.page * query.page_size + 1
    conditions = _conditions_asked(user, query, now)
    sparse = _sparse_statuses(user, query.tab, now) & set(conditions)
    if query.sort not in _SPLIT_BY_STATUS or sparse == set(conditions):
        return list(inbox_dossiers(user, query, now).values_list("id", flat=True)[start:stop])
    columns = _ORDER_COLUMNS[query.sort]
    ordering = _ordering(query.sort, query.descending)
    searched = _searched(user, query)
    branches = [Q(cond, status=status) for status, cond in conditions.items() if status not in sparse]
    if sparse:
        branches.append(reduce(or_, (Q(conditions[status], status=status) for status in sorted(sparse))))
    keyed: list[tuple[Any, ...]] = []
    for branch in branches:
        # Each dense status with its own condition alone: a simple filter the planner estimates well.
        keyed += searched.filter(branch).order_by(*ordering).values_list(*columns)[:stop]
    keyed.sort(key=_sort_key, reverse=query.descending)
    return [values[-1] for values in keyed[start:stop]]


def _page_of_dossiers(user: AnyUser, query: InboxQuery, now: dt.datetime) -> list[Dossier]:
    ids = _page_ids(user, query, now)
    # The step and the people are joined; the catalogue and agencies come from the caches.
    found = (
        Dossier.objects.select_related("assignee", "current_step__assignee")
        .defer("form_data", "representative", "return_details", "other_codes", "search_text")
        .in_bulk(ids)
    )
    return [found[pk] for pk in ids]


@contextmanager
def _planned_for_their_values() -> Iterator[None]:
    """On PostgreSQL, plan the inbox's queries for the values they carry, never with a generic plan.

    Statements are prepared (settings: server-side binding), and after five runs of one statement PostgreSQL
    may keep a single generic plan for every value. Statuses and scopes differ by orders of magnitude (90,000
    dossiers in process against 3,000 awaiting payment; a commune against the province), and a plan fit for
    one is ruinous for another: measured with 100,000 open dossiers, one capped count went from 2 to 170 ms.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL plan_cache_mode = force_custom_plan")
        yield


def inbox_page(user: AnyUser, query: InboxQuery, now: dt.datetime, language: str) -> InboxPage:
    """One page of the inbox, each row with its working time left and its current step's."""
    with _planned_for_their_values():
        dossiers = _page_of_dossiers(user, query, now)
    cutoff = due_soon_cutoff(now)
    rows = []
    for dossier in dossiers[: query.page_size]:
        with_reference_rows(dossier)
        step = dossier.current_step
        rows.append(
            InboxRow(
                dossier,
                remaining_timing(dossier, now, language),
                step_remaining_timing(step, now, language) if step is not None else None,
                due_soon=is_due_soon(dossier.status, dossier.due_at, now, cutoff),
                waiting_for_applicant=is_open(dossier.status) and not clock_running(dossier.status),
            )
        )
    return InboxPage(rows, query.page, query.page_size, len(dossiers) > query.page_size)


def _count_tabs(user: AnyUser, now: dt.datetime, cap: int) -> list[TabCount]:
    visible = filtered_dossiers(user, DossierFilters()).order_by()
    by_status: dict[str, int] = {}

    def count(dossiers: QuerySet[Dossier]) -> int:
        return dossiers[: cap + 1].count()

    def count_status(status: str, condition: Q) -> int:
        if condition:
            return count(visible.filter(condition, status=status))
        if status not in by_status:
            by_status[status] = count(visible.filter(status=status))
        return by_status[status]

    counts = []
    for tab in Tab:
        conditions = _tab(user, tab, now)
        per_status: dict[str, int] = {}
        if _is_everything(conditions):
            found = count(visible)
        else:
            found = 0
            for status, condition in sorted(conditions.items()):
                if found > cap:
                    break
                per_status[status] = count_status(status, condition)
                found += per_status[status]
        counts.append(TabCount(tab, min(found, cap), found > cap, per_status))
    return counts


def _counts_key(user_id: int | None, cap: int) -> str:
    return f"motcua:inbox-counts:{user_id}:{cap}"


def tab_counts(user: AnyUser, now: dt.datetime, cap: int = COUNT_CAP) -> list[TabCount]:
    """How many dossiers each tab holds, without the search filters, counting no further than `cap`.

    A tab of some statuses is counted status by status, for the reason pages are read so (_SPLIT_BY_STATUS):
    open dossiers are a small, recent part of the table, and a count that stops after `cap` finds them
    soonest in the status index. Even so a large scope costs several milliseconds per count, so an officer's
    counts are kept for COUNTS_TTL_SECONDS: paging, sorting and filtering do not count again."""
    key = _counts_key(user.pk, cap)
    counts = cache.get(key)
    if counts is None:
        with _planned_for_their_values():
            counts = _count_tabs(user, now, cap)
        cache.set(key, counts, COUNTS_TTL_SECONDS)
    return counts


def forget_actor_tab_counts(event: DossierActed) -> None:
    """After an officer's own action, count again on their next page. A subscriber to every dossier event
    (DossiersConfig.ready): it runs once the action has committed, so that a page counting at the same time
    cannot cache the counts of before for COUNTS_TTL_SECONDS after they were forgotten."""
    if event.actor_id is not None:
        cache.delete(_counts_key(event.actor_id, COUNT_CAP))


def assignable_officers(user: AnyUser) -> QuerySet[User]:
    """The active officers of the units the user leads, to whom the user may assign dossiers."""
    led = [agency for agency, roles in roles_by_agency(user).items() if Role.UNIT_LEADER in roles]
    if not led:
        return get_user_model().objects.none()
    return (
        get_user_model()
        .objects.filter(is_active=True, staff_roles__agency_id__in=sorted(subtree_ids(led)))
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
