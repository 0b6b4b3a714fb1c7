"""Only a database that cannot be reached becomes a 503 (core.outage); a failing query stays a fault."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, IntegrityError
from django.db.utils import ConnectionHandler

from motcua.core.outage import is_connection_failure
from motcua.core.tests.liveserver import free_port


@pytest.fixture(autouse=True)
def _unblocked(django_db_blocker):
    # These connections are made here, to databases of the test's own, not to the test run's database.
    with django_db_blocker.unblock():
        yield


def _error_of(settings_dict: dict, sql: str | None = None) -> Exception:
    handler = ConnectionHandler({"default": settings_dict})
    connection = handler["default"]
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql or "SELECT 1")
    except DatabaseError as exc:  # the real error of a real driver is what is under test
        return exc
    finally:
        connection.close()
    raise AssertionError("no error")


def test_postgresql_refusing_connections_is_an_outage():
    """Issue 10 "Faults": a PostgreSQL that is down made every request a 500."""
    exc = _error_of(
        {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": "motcua",
            "HOST": "127.0.0.1",
            "PORT": free_port(),
            "USER": "postgres",
            "OPTIONS": {"connect_timeout": 3},
        }
    )
    assert is_connection_failure(exc), repr(exc)


def test_sqlite_file_that_cannot_be_opened_is_an_outage(tmp_path):
    exc = _error_of(
        {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "missing" / "db.sqlite3")}
    )
    assert is_connection_failure(exc), repr(exc)


def test_a_failing_query_is_not_an_outage(tmp_path):
    exc = _error_of(
        {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "db.sqlite3")},
        "SELECT * FROM nothing",
    )
    assert not is_connection_failure(exc), repr(exc)
    assert not is_connection_failure(IntegrityError("duplicate key"))


@pytest.mark.django_db
def test_healthz_says_when_to_come_back(client, settings):
    settings.MOTCUA_RETRY_AFTER_SECONDS = 7
    response = client.get("/healthz")
    assert response.status_code == 200 and "Retry-After" not in response
