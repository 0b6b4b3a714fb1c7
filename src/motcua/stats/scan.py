"""Biểu 06 straight from the dossier table: one GROUP BY over every received dossier.

This is the independent reading that `motcua stats verify` and `bench/reports.py` hold the rollups against;
reports never use it (it reads the whole table). The rules are those of DOMAIN.md §4.4 and §10, written
directly on the dossier's columns.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Q

from motcua.dossiers.lifecycle import (
    CLOCK_STOPPED_STATUSES,
    FINISHED_STATUSES,
    NOT_RECEIVED_STATUSES,
    Channel,
)
from motcua.dossiers.models import Dossier
from motcua.dossiers.punctuality import dossier_outcome_sql, overdue_on_filter
from motcua.stats.periods import ONE_DAY, Period
from motcua.stats.report import By, Counts, Report
from motcua.worktime.calendar import start_of_day


def scanned_report(agency_ids: Iterable[int], period: Period, by: By = "field") -> Report:
    first, after = start_of_day(period.first), start_of_day(period.last + ONE_DAY)
    resolved = Q(status__in=FINISHED_STATUSES)
    resolved_before = resolved & Q(finished_at__lt=first)
    resolved_by_end = resolved & Q(finished_at__lt=after)
    in_period = Q(received_at__gte=first, received_at__lt=after)
    resolved_in_period = resolved & Q(finished_at__gte=first, finished_at__lt=after)
    pending = Q(received_at__lt=after) & ~resolved_by_end
    waiting_at_end = Q(status__in=CLOCK_STOPPED_STATUSES, supplement_requested_at__lt=after)
    overdue = pending & overdue_on_filter(period.last) & ~waiting_at_end
    group = "procedure_version__field_id" if by == "field" else "competent_authority_id"
    rows = (
        Dossier.objects.filter(received_at__isnull=False, received_at__lt=after)
        .exclude(status__in=NOT_RECEIVED_STATUSES)
        .filter(competent_authority_id__in=list(agency_ids))
        .annotate(punctuality=dossier_outcome_sql())
        .values(group)
        .annotate(
            carried_over=Count("pk", filter=Q(received_at__lt=first) & ~resolved_before),
            received_online=Count("pk", filter=in_period & Q(channel=Channel.ONLINE)),
            received_direct=Count("pk", filter=in_period & ~Q(channel=Channel.ONLINE)),
            resolved_early=Count("pk", filter=resolved_in_period & Q(punctuality="early")),
            resolved_on_time=Count("pk", filter=resolved_in_period & Q(punctuality="on_time")),
            resolved_late=Count("pk", filter=resolved_in_period & Q(punctuality="late")),
            pending_total=Count("pk", filter=pending),
            pending_overdue=Count("pk", filter=overdue),
        )
        .order_by()
    )
    counted: dict[int, Counts] = {}
    for row in rows:
        counts = Counts(
            carried_over=row["carried_over"],
            received_online=row["received_online"],
            received_direct=row["received_direct"],
            resolved_early=row["resolved_early"],
            resolved_on_time=row["resolved_on_time"],
            resolved_late=row["resolved_late"],
            pending_within=row["pending_total"] - row["pending_overdue"],
            pending_overdue=row["pending_overdue"],
        )
        if any(vars(counts).values()):
            counted[row[group]] = counts
    return Report(period, by, dict(sorted(counted.items())), sum(counted.values(), Counts()))
