"""Bulk assign and bulk forward from the inbox: one action per dossier, a summary of what was done and why
the rest was refused."""

from __future__ import annotations

import re
from typing import Any

import pytest
import time_machine
from django.test import Client

from motcua.backoffice import views_inbox
from motcua.dossiers.lifecycle import ActionName, Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.inbox_fixtures import Desk, local

NOW = "2025-10-10 10:00"


@pytest.fixture
def desk(world) -> Desk:
    return Desk(world)


def signed_in(desk: Desk, username: str) -> Client:
    client = Client()
    client.force_login(desk.user(username))
    return client


def bulk_body(action: str, versions: dict[str, int], **fields: Any) -> dict[str, Any]:
    return {
        "action": action,
        "dossiers": list(versions),
        **{f"version-{code}": str(version) for code, version in versions.items()},
        "query": "tab=unit",
        **fields,
    }


def post(client: Client, body: dict[str, Any]):
    with time_machine.travel(local(NOW), tick=False):
        return client.post("/office/bulk/", body, headers={"Accept-Language": "en"}, follow=True)


def at_appraisal(desk: Desk, received: str) -> Dossier:
    return desk.act("counter", desk.receive(received), "forward", received.replace(":00", ":30", 1))


def test_bulk_assign_does_each_dossier_and_reports_the_stale_one(desk):
    dossiers = [at_appraisal(desk, f"2025-10-09 0{hour}:00") for hour in (8, 9)] + [
        at_appraisal(desk, "2025-10-09 10:00")
    ]
    stale = dossiers[2]
    versions = {d.code: d.version for d in dossiers}
    versions[stale.code] = stale.version - 1  # the officer's page was older than the dossier
    leader = signed_in(desk, "leader")

    response = post(leader, bulk_body("assign", versions, assignee="specialist2"))

    assert response.redirect_chain[-1][0] == "/office/?tab=unit"
    html = response.content.decode()
    assert f"2 dossiers done: {dossiers[0].code}, {dossiers[1].code}." in html
    assert f"{stale.code} was not changed: You acted on version {stale.version - 1}" in html
    assigned = dict(Dossier.objects.values_list("code", "assignee__username"))
    assert [assigned[d.code] for d in dossiers] == ["specialist2", "specialist2", None]

    # The same form sent twice: every version is now stale, nothing is done twice.
    again = post(leader, bulk_body("assign", versions, assignee="specialist2")).content.decode()
    assert "done" not in again
    assert again.count("was not changed: You acted on version") == 3


def test_bulk_forward_reports_what_the_lifecycle_refuses(desk):
    first = desk.receive("2025-10-10 08:00")
    second = desk.receive("2025-10-10 08:10")
    in_process = at_appraisal(desk, "2025-10-09 08:00")
    counter = signed_in(desk, "counter")

    body = bulk_body("forward", {d.code: d.version for d in (first, second, in_process)})
    html = post(counter, body).content.decode()

    assert f"2 dossiers done: {first.code}, {second.code}." in html
    assert f"{in_process.code} was not changed: Your roles do not allow" in html
    statuses = dict(Dossier.objects.values_list("code", "status"))
    assert statuses[first.code] == statuses[second.code] == Status.IN_PROCESS


def test_assigning_needs_an_officer_and_keeps_the_selection(desk):
    dossier = at_appraisal(desk, "2025-10-09 08:00")
    other = at_appraisal(desk, "2025-10-09 09:00")
    leader = signed_in(desk, "leader")

    with time_machine.travel(local(NOW), tick=False):
        response = leader.post(
            "/office/bulk/",
            bulk_body("assign", {dossier.code: dossier.version}),
            headers={"Accept-Language": "en"},
        )
    html = response.content.decode()
    assert response.status_code == 422
    assert "There is a problem" in html and "Choose the officer to assign the dossiers to." in html
    assert 'aria-invalid="true"' in html and 'aria-describedby="bulk_assignee_error"' in html
    assert re.search(rf'value="{dossier.code}" id="pick-\d+" checked>', html)
    assert re.search(rf'value="{other.code}" id="pick-\d+">', html)
    assert Dossier.objects.get(pk=dossier.pk).assignee is None


def test_nothing_selected_is_an_error_not_a_500(desk):
    desk.receive("2025-10-10 08:00")
    with time_machine.travel(local(NOW), tick=False):
        response = signed_in(desk, "counter").post(
            "/office/bulk/", {"action": "forward", "query": "tab=mine"}, headers={"Accept-Language": "en"}
        )
    assert response.status_code == 422
    assert "Select at least one dossier." in response.content.decode()


def test_officers_offered_are_those_of_the_units_the_leader_leads(desk):
    at_appraisal(desk, "2025-10-09 08:00")
    with time_machine.travel(local(NOW), tick=False):
        html = signed_in(desk, "leader").get("/office/?tab=unit").content.decode()
        counter_html = signed_in(desk, "counter").get("/office/?tab=unit").content.decode()
    assert '<option value="specialist2">' in html and '<option value="clerk">' in html
    assert '<option value="counter">' not in html and '<option value="other_specialist">' not in html
    # Only a leader assigns: the counter officer's bar offers forwarding alone.
    assert 'name="assignee"' not in counter_html and 'value="forward"' in counter_html


def test_the_bar_draws_one_button_per_bulk_action_from_the_view(desk, monkeypatch):
    at_appraisal(desk, "2025-10-09 08:00")
    # The template names no action: a relabelled or a further action shows up without touching it.
    monkeypatch.setattr(
        views_inbox, "BULK_ACTIONS", {**views_inbox.BULK_ACTIONS, ActionName.SEND_BACK: "Send them back"}
    )
    with time_machine.travel(local(NOW), tick=False):
        html = signed_in(desk, "leader").get("/office/?tab=unit").content.decode()
    buttons = re.findall(r'<button type="submit"[^>]* name="action" value="([^"]+)">', html)
    assert buttons == [ActionName.ASSIGN, ActionName.FORWARD, ActionName.SEND_BACK]
    # The officer field comes with the action that takes an assignee in the lifecycle table, once.
    assert html.count('name="assignee"') == 1
