"""Chain every dossier's events by hash and make the events table append-only in the database (ADR 0015).

The existing events are sealed in each dossier's version order, a few hundred dossiers at a time, before the
triggers that refuse UPDATE are installed."""

from itertools import islice
from typing import Any

from django.db import migrations, models

from motcua.core import hashchain
from motcua.core.appendonly import forbid_changes
from motcua.dossiers.chain import event_content

DOSSIERS_PER_BATCH = 500


def seal_existing_events(apps: Any, schema_editor: Any) -> None:
    Dossier = apps.get_model("dossiers", "Dossier")
    DossierEvent = apps.get_model("dossiers", "DossierEvent")
    ids = Dossier.objects.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=DOSSIERS_PER_BATCH)
    while batch := list(islice(ids, DOSSIERS_PER_BATCH)):
        codes = dict(Dossier.objects.filter(pk__in=batch).values_list("pk", "code"))
        events = list(DossierEvent.objects.filter(dossier_id__in=batch).order_by("dossier_id", "version"))
        head: dict[int, str] = {}
        for event in events:
            event.prev_hash = head.get(event.dossier_id, hashchain.GENESIS)
            event.hash_algorithm = hashchain.ALGORITHM
            content = event_content(
                code=codes[event.dossier_id],
                action=event.action,
                actor_id=event.actor_id,
                actor_unit_id=event.actor_unit_id,
                at=event.at,
                from_status=event.from_status,
                to_status=event.to_status,
                version=event.version,
                note=event.note,
                data=event.data,
            )
            event.hash = hashchain.link(event.prev_hash, content, event.hash_algorithm)
            head[event.dossier_id] = event.hash
        DossierEvent.objects.bulk_update(events, ["prev_hash", "hash", "hash_algorithm"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0005_dossier_lookup_key"),
    ]

    operations = [
        migrations.AddField(
            model_name="dossierevent",
            name="prev_hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="dossierevent",
            name="hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="dossierevent",
            name="hash_algorithm",
            field=models.CharField(default="", editable=False, max_length=8),
            preserve_default=False,
        ),
        migrations.RunPython(seal_existing_events, migrations.RunPython.noop, elidable=False),
        forbid_changes("dossiers_dossierevent"),
    ]
