"""Keep the officers' monthly tallies in step with the dossiers: every appended event and every rating adds
its contribution in the same transaction (stats.scorecards). The step an event closes is saved before the
event is appended (dossiers/services/actions.py), so it is there to read."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from motcua.dossiers.models import DossierEvent, Rating
from motcua.stats.scorecards import count_event, count_rating


@receiver(post_save, sender=DossierEvent, dispatch_uid="stats_count_officer_event")
def count_officer_event(
    sender: type, instance: DossierEvent, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if created and not raw:
        count_event(instance)


@receiver(post_save, sender=Rating, dispatch_uid="stats_count_officer_rating")
def count_officer_rating(
    sender: type, instance: Rating, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if created and not raw:
        count_rating(instance)
