"""No personal identification number in an address this slice adds (issue 10, "Personal data duties"): the
access log is filtered by dossier code and username, the citizen's download is a POST without parameters,
and every link the new pages draw is free of the number."""

from __future__ import annotations

import re

from django.urls import get_resolver

from motcua.conftest import CITIZEN_ID
from motcua.privacy.tests.scenes import online_dossier, signed_in

NEW_ROUTES = ("audit/access", "my/data")


def test_the_new_routes_take_no_personal_number():
    patterns = [str(p.pattern) for p in get_resolver().url_patterns]
    patterns += [str(p.pattern) for r in get_resolver().url_patterns for p in getattr(r, "url_patterns", [])]
    added = [p for p in patterns if p.startswith(NEW_ROUTES)]
    assert added and not [p for p in added if "<" in p]


def test_no_link_of_the_new_pages_carries_the_number(world):
    code = online_dossier(world)
    signed_in("counter").get(f"/office/dossiers/{code}/")
    pages = [
        signed_in("auditor").get("/office/audit/access/", {"dossier": code}),
        signed_in("citizen").get(f"/my/dossiers/{code}/"),
        signed_in("citizen").get("/my/data/"),
    ]
    for page in pages:
        links = re.findall(r'(?:href|action)="([^"]*)"', page.content.decode())
        assert links and not [link for link in links if CITIZEN_ID in link]
