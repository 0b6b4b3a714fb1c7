"""The table of the "throttle" cache (settings.CACHES): rate-limit counts shared by every process."""

from django.core.management import call_command
from django.db import migrations

TABLE = "motcua_throttle"


def create(apps, schema_editor):
    call_command("createcachetable", TABLE, database=schema_editor.connection.alias, verbosity=0)


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("core", "0002_idempotency_keeps_no_personal_data")]

    operations = [migrations.RunPython(create, drop)]
