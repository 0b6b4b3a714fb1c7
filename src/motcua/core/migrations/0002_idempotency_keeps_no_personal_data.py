"""Stored idempotency answers keep the created resource's reference, not its body (issue 10, finding 6).

Existing rows keep the `code` their body named, and lose the body, which held the applicant's personal data,
and their unkeyed fingerprint (a plain SHA-256 of that data); such a row answers a retry until it expires.
"""

from django.db import migrations, models


def keep_only_the_reference(apps, schema_editor):
    IdempotencyKey = apps.get_model("core", "IdempotencyKey")
    for row in IdempotencyKey.objects.only("pk", "response").iterator():
        response = row.response if isinstance(row.response, dict) else {}
        IdempotencyKey.objects.filter(pk=row.pk).update(
            resource=str(response.get("code", ""))[:64], request_hash=""
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="idempotencykey",
            name="resource",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(keep_only_the_reference, migrations.RunPython.noop),
        migrations.RemoveField(model_name="idempotencykey", name="response"),
        migrations.AlterField(
            model_name="idempotencykey",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, db_index=True),
        ),
    ]
