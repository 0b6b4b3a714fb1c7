"""Access records are only ever added: the model refuses to change or delete one; the database itself refuses
an UPDATE written in SQL (PostgreSQL and SQLite) and a DELETE (PostgreSQL)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import DatabaseError, connection, transaction

from motcua.privacy.constants import AccessChannel, AccessKind
from motcua.privacy.models import AccessRecord
from motcua.privacy.services import Reader, record


@pytest.fixture
def one(world) -> AccessRecord:
    user = User.objects.get(username="counter")
    record(
        Reader(user.pk, world.centre.pk, "counter_officer", "192.0.2.1"),
        channel=AccessChannel.PAGE,
        kind=AccessKind.DOSSIER_PAGE,
        codes=["000.00.01.H26-261207-0001"],
    )
    return AccessRecord.objects.get()


def test_the_model_refuses_to_change_or_delete_a_record(one):
    one.detail = "changed"
    with pytest.raises(TypeError):
        one.save()
    with pytest.raises(TypeError):
        one.delete()
    with pytest.raises(TypeError):
        AccessRecord.objects.filter(pk=one.pk).update(detail="changed")
    with pytest.raises(TypeError):
        AccessRecord.objects.all().delete()


def test_the_database_refuses_an_update_in_sql(one):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE privacy_accessrecord SET client_address = '10.0.0.1'")
    assert AccessRecord.objects.get().client_address == "192.0.2.1"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite's test databases are emptied by DELETE")
@pytest.mark.parametrize("sql", ["DELETE FROM privacy_accessrecord"])
def test_the_database_refuses_a_delete_in_sql(one, sql):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert AccessRecord.objects.get().client_address == "192.0.2.1"
