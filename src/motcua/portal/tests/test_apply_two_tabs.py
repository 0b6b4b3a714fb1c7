"""Two tabs on the same draft: the second save of a stale page is refused with a clear message, shows what it
tried to save, and goes through once the citizen saves again from that page; a submission from a stale review
is refused the same way, and a submitted draft takes no more changes."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from motcua.dossiers.models import Dossier
from motcua.portal.models import ApplicationDraft


def _client() -> Client:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(User.objects.get(username="citizen"))
    return client


def _draft(client: Client, world) -> ApplicationDraft:
    client.get(reverse("portal:apply", args=[world.procedure.local_code]), {"case": "same_day"})
    return ApplicationDraft.objects.get()


def _save(client: Client, draft: ApplicationDraft, version: int, child_name: str):
    body = {"intent": "save", "version": version, "form.child_name": child_name, "applicant.kind": "person"}
    return client.post(reverse("portal:application", args=[draft.pk]), body)


def test_a_stale_save_is_refused_with_a_message_and_nothing_is_lost(world):
    first_tab, second_tab = _client(), _client()
    draft = _draft(first_tab, world)
    opened_at = draft.version

    assert _save(first_tab, draft, opened_at, "Tab một").status_code == 302
    stale = _save(second_tab, draft, opened_at, "Tab hai")

    assert stale.status_code == 409
    page = stale.content.decode()
    assert "changed in another tab or window" in page
    assert 'value="Tab hai"' in page  # what the second tab typed is still in front of the citizen
    draft.refresh_from_db()
    assert draft.answers["form.child_name"] == "Tab một"  # and the first tab's save was not overwritten
    assert f'name="version" value="{draft.version}"' in page

    assert _save(second_tab, draft, draft.version, "Tab hai").status_code == 302
    draft.refresh_from_db()
    assert draft.answers["form.child_name"] == "Tab hai"


def test_a_submission_from_a_stale_review_is_refused(world):
    client = _client()
    draft = _draft(client, world)
    reviewed_at = draft.version
    _save(client, draft, reviewed_at, "Nguyễn Văn Bé")

    response = client.post(reverse("portal:application-review", args=[draft.pk]), {"version": reviewed_at})

    assert response["Location"] == reverse("portal:application-review", args=[draft.pk])
    assert not Dossier.objects.exists()
    page = client.get(response["Location"], follow=True).content.decode()
    assert "changed in another tab or window" in page
