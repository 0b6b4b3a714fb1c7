"""Each dossier gets the secret its receipt carries for the public lookup (ADR 0014); existing dossiers each
get their own, drawn here (a column default would give them all the same one)."""

from django.db import migrations, models

import motcua.core.identifiers


def draw_keys(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    pks = list(Dossier.objects.filter(lookup_key__isnull=True).values_list("pk", flat=True))
    for start in range(0, len(pks), 2000):
        batch = [
            Dossier(pk=pk, lookup_key=motcua.core.identifiers.new_lookup_key())
            for pk in pks[start : start + 2000]
        ]
        Dossier.objects.bulk_update(batch, ["lookup_key"])


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0004_document_submitted_as")]

    operations = [
        migrations.AddField(
            model_name="dossier", name="lookup_key", field=models.CharField(max_length=16, null=True)
        ),
        migrations.RunPython(draw_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="dossier",
            name="lookup_key",
            field=models.CharField(
                default=motcua.core.identifiers.new_lookup_key, editable=False, max_length=16
            ),
        ),
    ]
