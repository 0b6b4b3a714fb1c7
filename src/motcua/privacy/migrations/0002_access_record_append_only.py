"""The database itself refuses to change or remove an access record (ADR 0016).

On PostgreSQL a row trigger refuses UPDATE and DELETE; TRUNCATE (an operator's deliberate act, and how test
databases are emptied) is not a row operation and is left to the database's privileges. On SQLite, the
embedded default for a single machine, a trigger refuses UPDATE only: Django empties an SQLite test database
with DELETE, which a DELETE trigger would refuse; the model refuses deletes."""

from django.db import migrations

POSTGRES_FORWARD = """
CREATE OR REPLACE FUNCTION privacy_access_record_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'access records are append-only: %% refused on privacy_accessrecord', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER privacy_access_record_append_only
    BEFORE UPDATE OR DELETE ON privacy_accessrecord
    FOR EACH ROW EXECUTE FUNCTION privacy_access_record_append_only();
"""

POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS privacy_access_record_append_only ON privacy_accessrecord;
DROP FUNCTION IF EXISTS privacy_access_record_append_only();
"""


SQLITE_FORWARD = """
CREATE TRIGGER privacy_access_record_no_update BEFORE UPDATE ON privacy_accessrecord
BEGIN
    SELECT RAISE(ABORT, 'access records are append-only: UPDATE refused on privacy_accessrecord');
END;
"""

SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS privacy_access_record_no_update;"


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_BACKWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_access_record")]

    operations = [migrations.RunPython(forward, backward)]
