"""The inbox's cached tab counts of an officer are forgotten by a subscriber to the dossier events, once the
officer's action has committed, never before: a page counting at the same time would cache the counts of
before again."""

from __future__ import annotations

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.utils import timezone

from motcua.conftest import post_json
from motcua.dossiers.inbox import Tab, tab_counts

MONDAY_9 = "2026-03-02T09:00:00+07:00"


@pytest.fixture(autouse=True)
def _monday_morning():
    with time_machine.travel(MONDAY_9, tick=False):
        yield


def _all_count(user) -> int:
    return next(c.count for c in tab_counts(user, timezone.now()) if c.tab == Tab.ALL)


def test_the_counts_change_once_the_receipt_commits(world, django_capture_on_commit_callbacks):
    counter = get_user_model().objects.get(username="counter")
    before = _all_count(counter)
    with django_capture_on_commit_callbacks() as callbacks:
        response = post_json(world.client("counter"), "/api/v1/dossiers", world.intake_body("counter"))
        assert response.status_code == 201, response.content
        # Not committed yet: the counts cached a moment ago stay.
        assert _all_count(counter) == before
    for callback in callbacks:
        callback()
    assert _all_count(counter) == before + 1
