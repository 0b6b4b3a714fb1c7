"""Keep the rollups in step with the dossiers: every appended event, and every rating, recounts its dossier in
the same transaction (ADR 0008). The dossiers app publishes the rows; it does not know this app."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from motcua.dossiers.lifecycle import ActionName, CreationEvent
from motcua.dossiers.models import Dossier, DossierEvent, Rating
from motcua.stats.contributions import difference
from motcua.stats.facts import CountedState, counted_state, is_digitised
from motcua.stats.models import DossierFact
from motcua.stats.tallies import apply

# The events after which the documents handed in may have changed; other events keep the counted value.
DOCUMENT_EVENTS = frozenset({CreationEvent.RECEIVE, ActionName.ACCEPT, ActionName.SUBMIT_SUPPLEMENT})


def recount(dossier: Dossier, *, documents_changed: bool, rating: str | None = None) -> None:
    """Replace what the dossier contributed when last counted by what it contributes now."""
    fact = DossierFact.objects.filter(dossier_id=dossier.pk).first()
    before = CountedState.from_json(fact.state) if fact is not None else None
    digitised = is_digitised(dossier.pk) if documents_changed or before is None else before.digitised
    if rating is None:
        rating = before.rating if before is not None else ""
    after = counted_state(dossier, digitised=digitised, rating=rating)
    if before == after:
        return
    apply(difference(before, after))
    if after is None:
        DossierFact.objects.filter(dossier_id=dossier.pk).delete()
    elif fact is None:
        DossierFact.objects.create(dossier_id=dossier.pk, state=after.to_json())
    else:
        fact.state = after.to_json()
        fact.save(update_fields=["state"])


@receiver(post_save, sender=DossierEvent, dispatch_uid="stats_count_event")
def count_event(
    sender: type, instance: DossierEvent, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if created and not raw:
        recount(instance.dossier, documents_changed=instance.action in DOCUMENT_EVENTS)


@receiver(post_save, sender=Rating, dispatch_uid="stats_count_rating")
def count_rating(sender: type, instance: Rating, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if created and not raw:
        recount(instance.dossier, documents_changed=False, rating=instance.score)
