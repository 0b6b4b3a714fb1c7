"""Rollups of the dossiers, kept in the transaction of each dossier event (ADR 0008).

Every rollup is a sum of per-dossier contributions, and each contribution is a function of the dossier as it
stands now (`facts.CountedState`). A change of a dossier subtracts what it contributed before and adds what it
contributes now, so the rollups always equal a recount of the dossiers themselves.

Flow tallies (`UnitFieldTally`, `ProcedureTally`) are kept at three grains, day, month and year, so that any
period is a handful of buckets; `open_delta` and `overdue_delta` are changes of the stock of pending dossiers
dated on the day they happen, so the stock on a day is the sum of the deltas up to it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Field, Procedure
from motcua.dossiers.lifecycle import Channel
from motcua.dossiers.models import Dossier
from motcua.org.models import Agency


class Grain(models.TextChoices):
    DAY = "d", _("day")
    MONTH = "m", _("month")
    YEAR = "y", _("year")


class DossierFact(models.Model):
    """What a dossier contributed to the rollups when it was last counted: the 'before' of its next change."""

    dossier = models.OneToOneField(Dossier, primary_key=True, on_delete=models.CASCADE, related_name="+")
    state = models.JSONField()


class FlowTally(models.Model):
    """The columns both flow rollups keep for a competent agency and field in one bucket: the dossiers
    resolved, dated by the end of processing, and the receipt-dated figures of the Decision 766 indicators and
    the dashboards."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    field = models.ForeignKey(Field, on_delete=models.PROTECT, related_name="+")
    # Dated by the end of processing.
    resolved_early = models.IntegerField(db_default=0)
    resolved_on_time = models.IntegerField(db_default=0)
    resolved_late = models.IntegerField(db_default=0)
    # Dated by receipt: results issued (status 9/10) and their working time, for indicator 2.2.
    completed = models.IntegerField(db_default=0)
    completed_minutes = models.BigIntegerField(db_default=0)
    # Indicator 2.1 for the dossiers whose end is known (finished, or waiting for a supplement).
    settled_on_time_766 = models.IntegerField(db_default=0)
    settled_late_766 = models.IntegerField(db_default=0)
    digitised = models.IntegerField(db_default=0)
    electronic_result = models.IntegerField(db_default=0)
    rated_very_satisfied = models.IntegerField(db_default=0)
    rated_satisfied = models.IntegerField(db_default=0)
    rated_dissatisfied = models.IntegerField(db_default=0)

    class Meta:
        abstract = True


class UnitFieldTally(FlowTally):
    """Biểu 06's grain: per competent agency and field (DOMAIN.md §10). Its receipt-dated columns are the
    procedure rollup's summed over procedures and channels: the Decision 766 indicators and the dashboards of
    a whole province read a few thousand rows instead of a few hundred thousand (docs/benchmarks.md,
    Reports)."""

    grain = models.CharField(max_length=1, choices=Grain.choices)
    period = models.DateField(help_text=_("First day of the day, month or year."))
    received_counter = models.IntegerField(db_default=0)
    received_online = models.IntegerField(db_default=0)
    received_post = models.IntegerField(db_default=0)
    open_delta = models.IntegerField(db_default=0)
    overdue_delta = models.IntegerField(db_default=0)

    class Meta:
        constraints = [
            # Agency first: one unit's report reads its own runs of rows, not every unit's.
            models.UniqueConstraint(
                fields=["agency", "grain", "period", "field"], name="unit_field_tally_key"
            )
        ]
        # A period is read as a few runs of (grain, period) OR-ed together: a whole province's reading scans
        # each run through this index (a bitmap OR), not the whole table.
        indexes = [models.Index(fields=["grain", "period"], name="unit_field_tally_period")]


class ProcedureTally(FlowTally):
    """Per competent agency, procedure and channel, dated by the day of receipt unless a column says
    otherwise: the Decision 766 indicators, the dashboards and the slowest procedures."""

    grain = models.CharField(max_length=1, choices=Grain.choices)
    period = models.DateField()
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=16, choices=Channel.choices)
    received = models.IntegerField(db_default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "grain", "period", "procedure", "field", "channel"],
                name="procedure_tally_key",
            )
        ]
        indexes = [models.Index(fields=["grain", "period"], name="procedure_tally_period")]


class OpenTally(models.Model):
    """Dossiers open now with the legal clock running (not waiting for a supplement), by receipt and due
    day: the unfinished part of indicator 2.1, and what is due soon or overdue."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="+")
    received_on = models.DateField()
    due_on = models.DateField(help_text=_("9999-12-31 when the case has no due date."))
    count = models.IntegerField(db_default=0)
    # Of these, the ones asked for a supplement more than once: late for indicator 2.1 whatever their dates.
    over_supplemented = models.IntegerField(db_default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "procedure", "received_on", "due_on"], name="open_tally_key"
            )
        ]


class WorkloadTally(models.Model):
    """Open dossiers by the unit and workflow step they are at now: a leader's workload view."""

    unit = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    step = models.CharField(max_length=200, blank=True)
    waiting = models.BooleanField(help_text=_("Waiting for the applicant (supplement)."))
    count = models.IntegerField(db_default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "step", "waiting"], name="workload_tally_key")]


class OfficerMonthTally(models.Model):
    """Per month, officer and unit: the monthly scorecard (stats.scorecards), dated by the month of each event
    (local time). Steps are counted when they are finished, with the unit that held them."""

    month = models.DateField(help_text=_("First day of the month."))
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    steps_finished = models.IntegerField(db_default=0)
    steps_on_time = models.IntegerField(db_default=0)
    steps_late = models.IntegerField(db_default=0)
    # Steps finished since, that were still open past their due time at the end of this month.
    overdue_at_month_end = models.IntegerField(db_default=0)
    apologies = models.IntegerField(db_default=0)
    supplement_requests = models.IntegerField(db_default=0)
    # Ratings given in the month to the dossiers whose result this officer issued for this unit.
    rated_very_satisfied = models.IntegerField(db_default=0)
    rated_satisfied = models.IntegerField(db_default=0)
    rated_dissatisfied = models.IntegerField(db_default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["month", "officer", "agency"], name="officer_month_tally_key")
        ]


class StepMonthTally(models.Model):
    """Per month, agency and workflow step: the steps finished and the working time they took (from the step's
    start to its end), for the slowest steps on a leader's dashboard. Kept with the officers' tallies."""

    month = models.DateField(help_text=_("First day of the month."))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    step = models.CharField(max_length=200)
    finished = models.IntegerField(db_default=0)
    late = models.IntegerField(db_default=0)
    working_minutes = models.BigIntegerField(db_default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "month", "step"], name="step_month_tally_key")
        ]
