"""Every read of a dossier's personal data or files is recorded: who (with the unit and roles they acted
for), when, from which address, through what and what (issue 10, "An access log of personal data"). Each
test fails on the code before issue 10, which recorded nothing."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from motcua.dossiers.models import Dossier
from motcua.privacy.constants import AccessChannel, AccessKind
from motcua.privacy.models import AccessRecord
from motcua.privacy.tests.scenes import counter_dossier, online_dossier, signed_in


def only_record(**filters) -> AccessRecord:
    records = list(AccessRecord.objects.filter(**filters))
    assert len(records) == 1, records
    return records[0]


def test_opening_the_dossier_page_records_the_officer_their_unit_role_and_address(world):
    code = counter_dossier(world)
    assert not AccessRecord.objects.exists()  # the intake itself reads nothing back

    response = signed_in("counter").get(f"/office/dossiers/{code}/", REMOTE_ADDR="203.0.113.7")

    assert response.status_code == 200
    record = only_record(kind=AccessKind.DOSSIER_PAGE)
    assert record.user.username == "counter"
    assert record.unit == world.centre and record.roles == "counter_officer"
    assert record.dossier_code == code and record.channel == AccessChannel.PAGE
    assert record.client_address == "203.0.113.7"
    assert abs((timezone.now() - record.at).total_seconds()) < 60


def test_a_dossier_outside_the_officers_scope_is_not_recorded_as_read(world):
    code = counter_dossier(world)
    assert signed_in("other_specialist").get(f"/office/dossiers/{code}/").status_code == 404
    assert not AccessRecord.objects.exists()


def test_opening_a_file_records_which_file(world):
    code = counter_dossier(world)
    file_id = Dossier.objects.get(code=code).documents.get().file_id

    response = signed_in("counter").get(f"/office/dossiers/{code}/files/{file_id}/")

    assert response.status_code == 200
    record = only_record(kind=AccessKind.FILE)
    assert record.dossier_code == code and record.detail.startswith(f"{file_id} ")


def test_printing_a_form_records_the_form(world):
    code = online_dossier(world)
    response = signed_in("counter").get(f"/print/dossiers/{code}/receipt.pdf")
    assert response.status_code == 200
    record = only_record(kind=AccessKind.PRINTED_FORM, user__username="counter")
    assert (
        record.channel == AccessChannel.PRINT and record.detail == "receipt" and record.dossier_code == code
    )


@pytest.mark.parametrize("fmt", ["xlsx", "pdf"])
def test_exporting_the_tracking_book_records_each_of_its_dossiers(world, fmt):
    codes = {counter_dossier(world) for _ in range(3)}
    today = timezone.localdate().isoformat()
    query = f"unit={world.centre.identity_code}&start={today}&end={today}"

    response = signed_in("counter").get(f"/print/tracking-book.{fmt}?{query}")

    assert response.status_code == 200
    records = AccessRecord.objects.filter(kind=AccessKind.TRACKING_BOOK)
    assert {r.dossier_code for r in records} == codes and records.count() == 3
    assert {(r.channel, r.unit_id) for r in records} == {(AccessChannel.EXPORT, world.centre.pk)}
    assert all(r.detail.endswith(f".{fmt}") for r in records)


def test_the_tracking_book_on_screen_records_the_dossiers_shown(world):
    code = counter_dossier(world)
    today = timezone.localdate().isoformat()
    response = signed_in("counter").get(
        f"/office/tracking-book/?unit={world.centre.identity_code}&start={today}&end={today}"
    )
    assert response.status_code == 200
    assert only_record(kind=AccessKind.TRACKING_BOOK).channel == AccessChannel.PAGE
    assert only_record(kind=AccessKind.TRACKING_BOOK).dossier_code == code


def test_the_api_read_of_a_dossier_and_of_its_history_is_recorded(world, django_capture_on_commit_callbacks):
    code = counter_dossier(world)
    client = world.client("specialist")

    # The dossiers app publishes the read (ADR 0011); outside a test's transaction it is delivered at once.
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(f"/api/v1/dossiers/{code}", REMOTE_ADDR="198.51.100.4").status_code == 200
        assert client.get(f"/api/v1/dossiers/{code}/events").status_code == 200

    read = only_record(kind=AccessKind.API_DOSSIER)
    assert read.user.username == "specialist" and read.channel == AccessChannel.API
    assert read.unit == world.department and read.roles == "specialist"
    assert read.client_address == "198.51.100.4" and read.dossier_code == code
    assert only_record(kind=AccessKind.API_EVENTS).dossier_code == code


def test_behind_a_trusted_proxy_the_forwarded_client_is_recorded_and_garbage_is_not(world, settings):
    code = counter_dossier(world)
    settings.MOTCUA_TRUSTED_PROXY_HEADER = "HTTP_X_FORWARDED_FOR"
    client = signed_in("counter")

    # The proxy appends the address it saw; what came before it the client wrote itself, and proves nothing.
    client.get(f"/office/dossiers/{code}/", HTTP_X_FORWARDED_FOR="10.0.0.1, 192.0.2.10")
    # Garbage is never stored: the connection's own address (the proxy's) stands in.
    client.get(f"/office/dossiers/{code}/", HTTP_X_FORWARDED_FOR="<script>001090012345")

    addresses = sorted(AccessRecord.objects.values_list("client_address", flat=True))
    assert addresses == ["127.0.0.1", "192.0.2.10"]


def test_without_the_proxy_setting_a_forwarded_header_is_ignored(world):
    code = counter_dossier(world)
    signed_in("counter").get(
        f"/office/dossiers/{code}/", HTTP_X_FORWARDED_FOR="192.0.2.10", REMOTE_ADDR="10.1.2.3"
    )
    assert only_record(kind=AccessKind.DOSSIER_PAGE).client_address == "10.1.2.3"


def test_recording_a_read_costs_one_insert_and_no_other_query(world):
    code = counter_dossier(world)
    client = signed_in("counter")
    client.get(f"/office/dossiers/{code}/")  # warm the per-process caches
    with CaptureQueriesContext(connection) as queries:
        client.get(f"/office/dossiers/{code}/")
    touching = [q["sql"] for q in queries.captured_queries if "privacy_accessrecord" in q["sql"]]
    assert len(touching) == 1 and touching[0].startswith("INSERT")
    # and the page asks nothing more than before: the unit and roles come from the scope check's memo
    assert not [q for q in queries.captured_queries if "org_staffrole" in q["sql"]][1:]
