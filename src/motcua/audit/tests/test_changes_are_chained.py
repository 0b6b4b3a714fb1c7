"""Changes to delegations, staff roles, staff rights and the catalogue each append a hash-chained change
record in the change's own transaction, naming who (the admin's user), what (model, row, fields old → new)
and when, whether made in the admin, by a service or by `importprocedures` (ADR 0015). Before, nothing
recorded them."""

from __future__ import annotations

import datetime as dt
import itertools
from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from motcua.audit.models import ChangeRecord
from motcua.catalog.tests.sample_catalogue import make_agencies
from motcua.catalog.tests.test_admin_catalogue_pages import add_step, case_url, page_data
from motcua.conftest import post_json
from motcua.core import hashchain
from motcua.org.constants import Role
from motcua.org.services import create_citizen, grant_delegation, revoke_delegation
from motcua.org.tests.test_delegation_api import grant_body


def records_after(mark: int, model: str | None = None) -> list[ChangeRecord]:
    found = ChangeRecord.objects.filter(pk__gt=mark)
    return list(found.filter(model=model) if model else found)


def mark() -> int:
    return ChangeRecord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@pytest.fixture
def admin_client(world, client, django_user_model):
    user = django_user_model.objects.create_superuser("quantri", "admin@example.vn", "pw-12345678")
    client.force_login(user)
    return client


def test_an_admin_edit_of_a_case_records_who_changed_which_step(world, admin_client):
    before = mark()
    data = page_data(admin_client.get(case_url(world.case)))
    data["steps-0-budget_hours"] = 10
    add_step(data, "Kiểm tra lại", Role.SPECIALIST, 2)
    assert admin_client.post(case_url(world.case), data).status_code == 302

    steps = records_after(before, "catalog.workflowstep")
    changed = next(r for r in steps if r.operation == "update")
    assert changed.changes == {"budget_hours": [12, 10]}
    created = next(r for r in steps if r.operation == "create")
    assert created.changes["name"] == [None, "Kiểm tra lại"]
    assert {(r.actor_name, r.via) for r in steps} == {("quantri", "web POST")}


def test_a_refused_admin_edit_records_nothing(world, admin_client):
    before = mark()
    data = page_data(admin_client.get(case_url(world.case)))
    add_step(data, "Quá giờ", Role.SPECIALIST, 200)
    assert admin_client.post(case_url(world.case), data).status_code == 200  # refused: over the case's time
    assert records_after(before) == []


def test_granting_and_revoking_a_delegation_are_chained(world):
    leader, specialist = User.objects.get(username="leader"), User.objects.get(username="specialist")
    before = mark()
    delegation = grant_delegation(
        leader,
        specialist,
        world.department,
        [world.procedure.local_code],
        dt.date(2026, 3, 1),
        dt.date(2026, 5, 1),
    )
    revoke_delegation(delegation, leader, "Đã hết việc")

    kinds = [(r.model, r.operation) for r in records_after(before)]
    assert kinds == [
        ("org.delegation", "create"),
        ("org.delegationaudit", "create"),
        ("org.delegation", "update"),
        ("org.delegationaudit", "create"),
    ]
    revoked = records_after(before, "org.delegation")[1]
    assert revoked.changes["revocation_reason"] == ["", "Đã hết việc"]
    assert revoked.changes["revoked_by_id"] == [None, leader.pk]


def test_importing_procedures_records_each_row(db, tmp_path):
    make_agencies()
    before = mark()
    sample = "src/motcua/catalog/tests/data/national_procedures.json"
    call_command(
        "importprocedures", sample, "--valid-from", "2025-07-01", stdout=StringIO(), stderr=StringIO()
    )
    models = {r.model for r in records_after(before)}
    assert {"catalog.procedure", "catalog.procedureversion", "catalog.case", "catalog.fee"} <= models
    assert {"catalog.requireddocument", "catalog.workflowstep"} & models


def test_staff_rights_are_chained_and_citizens_and_sign_ins_are_not(world):
    before = mark()
    create_citizen("new-citizen", "001090099999", password="pw-12345678")
    specialist = User.objects.get(username="specialist")
    specialist.last_login = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)
    specialist.save(update_fields=["last_login"])
    assert records_after(before) == []

    specialist.is_staff = not specialist.is_staff
    specialist.save()
    specialist.groups.add(Group.objects.create(name="Kiểm soát"))
    flags, groups = records_after(before, "auth.user")
    assert flags.changes == {"is_staff": [not specialist.is_staff, specialist.is_staff]}
    assert list(groups.changes) == ["groups"] and groups.object_pk == str(specialist.pk)


def test_the_change_chain_links_every_record_in_order(world):
    # The world's set-up recorded its catalogue and staff roles.
    chain = list(ChangeRecord.objects.order_by("pk"))
    assert len(chain) > 10
    assert chain[0].prev_hash == hashchain.GENESIS
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(chain))
    out = StringIO()
    call_command("audit", "verify", stdout=out, stderr=StringIO())
    assert "All chains are intact" in out.getvalue()


def test_the_admin_shows_the_change_chain_read_only(world, admin_client):
    record = ChangeRecord.objects.order_by("pk")[0]
    assert admin_client.get("/admin/audit/changerecord/").status_code == 200
    page = admin_client.get(f"/admin/audit/changerecord/{record.pk}/change/")
    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert admin_client.post(f"/admin/audit/changerecord/{record.pk}/delete/").status_code == 403


def test_a_change_through_the_api_names_the_tokens_user(world):
    before = mark()
    response = post_json(world.client("leader"), "/api/v1/delegations", grant_body(world))
    assert response.status_code == 201, response.content
    delegation, audit = records_after(before)
    assert (delegation.model, delegation.operation, delegation.actor_name) == (
        "org.delegation",
        "create",
        "leader",
    )
    assert (audit.model, audit.actor_name, audit.via) == ("org.delegationaudit", "leader", "web POST")
