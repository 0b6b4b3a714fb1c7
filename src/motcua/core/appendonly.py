"""Append-only tables: database triggers that refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL) on the
tables of the tamper-evident record (ADR 0015), on PostgreSQL and SQLite alike.

The ORM already refuses to change these rows; the triggers also stop a raw SQL statement, an operator's slip
or an injected query: anyone with the application's data rights but not the schema's. A test database must
still be emptied between transactional tests (Django's flush: DELETE on SQLite, TRUNCATE on PostgreSQL), so
a delete is let through while a table named TEST_FLUSH_MARKER exists. Only the tests create it
(src/motcua/conftest.py); creating a table takes the same schema rights as dropping the trigger, so the
marker opens no door that was not already open. UPDATE is refused always.

`forbid_changes(table)` is the migration operation that installs the triggers; its reverse removes them.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

TEST_FLUSH_MARKER = "motcua_test_flush"

_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION motcua_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'TRUNCATE') AND to_regclass('{TEST_FLUSH_MARKER}') IS NOT NULL THEN
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NULL;
    END IF;
    RAISE EXCEPTION '% on % refused: the table is append-only', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
"""


def _pg_install(table: str) -> list[str]:
    return [
        _PG_FUNCTION,
        f'CREATE TRIGGER "{table}_append_only" BEFORE UPDATE OR DELETE ON "{table}" '
        "FOR EACH ROW EXECUTE FUNCTION motcua_refuse_change();",
        f'CREATE TRIGGER "{table}_no_truncate" BEFORE TRUNCATE ON "{table}" '
        "FOR EACH STATEMENT EXECUTE FUNCTION motcua_refuse_change();",
    ]


def _pg_remove(table: str) -> list[str]:
    return [
        f'DROP TRIGGER IF EXISTS "{table}_append_only" ON "{table}";',
        f'DROP TRIGGER IF EXISTS "{table}_no_truncate" ON "{table}";',
    ]


def _sqlite_install(table: str) -> list[str]:
    return [
        f'CREATE TRIGGER "{table}_no_update" BEFORE UPDATE ON "{table}" '
        f"BEGIN SELECT RAISE(ABORT, 'UPDATE on {table} refused: the table is append-only'); END;",
        f'CREATE TRIGGER "{table}_no_delete" BEFORE DELETE ON "{table}" '
        "WHEN NOT EXISTS (SELECT 1 FROM sqlite_master "
        f"WHERE type = 'table' AND name = '{TEST_FLUSH_MARKER}') "
        f"BEGIN SELECT RAISE(ABORT, 'DELETE on {table} refused: the table is append-only'); END;",
    ]


def _sqlite_remove(table: str) -> list[str]:
    return [f'DROP TRIGGER IF EXISTS "{table}_no_update";', f'DROP TRIGGER IF EXISTS "{table}_no_delete";']


def install_statements(table: str, vendor: str) -> list[str]:
    if vendor == "postgresql":
        return _pg_install(table)
    if vendor == "sqlite":
        return _sqlite_install(table)
    raise NotImplementedError(f"append-only triggers for {vendor}")


def remove_statements(table: str, vendor: str) -> list[str]:
    if vendor == "postgresql":
        return _pg_remove(table)
    if vendor == "sqlite":
        return _sqlite_remove(table)
    raise NotImplementedError(f"append-only triggers for {vendor}")


def forbid_changes(table: str) -> migrations.RunPython:
    """The migration operation that makes `table` append-only on the database's engine."""

    def install(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
        for statement in install_statements(table, schema_editor.connection.vendor):
            schema_editor.execute(statement, params=None)

    def remove(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
        for statement in remove_statements(table, schema_editor.connection.vendor):
            schema_editor.execute(statement, params=None)

    return migrations.RunPython(install, remove, elidable=False)
