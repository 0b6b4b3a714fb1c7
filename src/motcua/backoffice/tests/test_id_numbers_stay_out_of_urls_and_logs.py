"""Issue 10, finding 6: a personal identification number never travels in a URL of a search, and never
reaches a log line, whatever the caller does.

On today's code the inbox's search form was a GET (`/office/?q=001090012345` in every access log and
browser history), the API's `GET /api/v1/dossiers?q=` took the number, and the log handlers printed paths and
request lines as they came. The counter intake's look-up was already a POST; its test says so and guards it.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator

import pytest
from django.test import Client

from motcua.conftest import CITIZEN_ID, post_json

OLD_ID = "123456789"  # a 9-digit identity card number (CMND)
ID_RUN = re.compile(r"(?<!\d)(\d{12}|\d{9})(?!\d)")


@pytest.fixture
def received(world) -> str:
    response = post_json(world.client("counter"), "/api/v1/dossiers", world.intake_body("counter"))
    assert response.status_code == 201, response.content
    return response.json()["code"]


@pytest.fixture
def counter(world) -> Client:
    client = Client()
    client.login(username="counter", password="pw-12345678")
    return client


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    """What the configured handlers (settings.LOGGING) write, whatever their stream."""
    captured = io.StringIO()
    handlers = [
        handler
        for name in ("", "django", "django.request", "django.server")
        for handler in logging.getLogger(name).handlers
        if isinstance(handler, logging.StreamHandler) and handler.name in ("console", "django.server")
    ]
    assert {handler.name for handler in handlers} == {"console", "django.server"}
    streams = [handler.setStream(captured) for handler in handlers]
    yield captured
    for handler, stream in zip(handlers, streams, strict=True):
        handler.setStream(stream)


def test_every_configured_handler_masks_personal_ids():
    from motcua.core.log_masking import MaskPersonalIds

    handlers = {h for name in ("", "django", "django.server") for h in logging.getLogger(name).handlers}
    assert len(handlers) >= 3
    for handler in handlers:
        if handler.name:  # pytest's own capture handler has no name
            assert any(isinstance(f, MaskPersonalIds) for f in handler.filters), handler.name


def test_the_inbox_search_posts_and_keeps_the_number_out_of_every_url(world, received, counter):
    """Fails on today's code: the form was a GET, so the number was the URL."""
    page = counter.get("/office/?tab=all").content.decode()
    assert 'method="post"' in page.split('role="search"')[0].rsplit("<form", 1)[1]
    response = counter.post("/office/", {"tab": "all", "q": CITIZEN_ID, "page_size": "10"})
    assert response.status_code == 302
    assert CITIZEN_ID not in response["Location"] and "search=" in response["Location"]
    html = counter.get(response["Location"]).content.decode()
    assert f'name="version-{received}"' in html  # the search found the dossier
    links = re.findall(r'(?:href|value)="([^"]*\?[^"]*|tab=[^"]*)"', html)
    assert links and all(CITIZEN_ID not in link for link in links)
    assert all("search=" in link for link in links if "sort=" in link)  # sorting keeps the search


def test_an_old_link_with_the_number_is_moved_out_of_the_url(world, received, counter):
    response = counter.get(f"/office/?tab=all&q={CITIZEN_ID}")
    assert response.status_code == 302 and CITIZEN_ID not in response["Location"]
    assert f'name="version-{received}"' in counter.get(response["Location"]).content.decode()


def test_a_search_key_is_worth_nothing_in_another_session(world, received, counter):
    location = counter.post("/office/", {"tab": "all", "q": CITIZEN_ID})["Location"]
    other = Client()
    other.login(username="counter", password="pw-12345678")
    html = other.get(location).content.decode()
    assert CITIZEN_ID not in html


def test_the_bulk_form_returns_to_the_search_without_the_number(world, received, counter):
    location = counter.post("/office/", {"tab": "all", "q": CITIZEN_ID})["Location"]
    html = counter.get(location).content.decode()
    query = re.search(r'name="query" value="([^"]*)"', html).group(1)
    assert CITIZEN_ID not in query and "search=" in query
    back = counter.post("/office/bulk/", {"action": "forward", "dossiers": [], "query": query})
    assert CITIZEN_ID not in back.content.decode().split('name="query"')[1][:200]


def test_the_api_list_refuses_a_number_in_the_query_string(world, received):
    """Fails on today's code: GET /api/v1/dossiers?q=<number> answered 200."""
    for number in (CITIZEN_ID, OLD_ID):
        response = world.client("counter").get(f"/api/v1/dossiers?q={number}")
        assert response.status_code == 422, response.content
        (problem,) = response.json()["errors"]
        assert problem["field"] == "q" and problem["code"] == "personal_id_in_url"
        assert "/api/v1/dossiers/search" in problem["message"]
    assert world.client("counter").get("/api/v1/dossiers?q=nguyen thi").status_code == 200


def test_the_api_searches_by_number_in_a_body(world, received):
    client = world.client("counter")
    response = post_json(client, "/api/v1/dossiers/search", {"q": CITIZEN_ID, "page_size": 5})
    assert response.status_code == 200, response.content
    assert [item["code"] for item in response.json()["items"]] == [received]
    assert post_json(client, "/api/v1/dossiers/search", {"q": "001092054321"}).json()["items"] == []
    assert post_json(client, "/api/v1/dossiers/search", {"nope": 1}).status_code == 422
    # Scope still applies: another commune's officer finds nothing.
    other = post_json(world.client("other_specialist"), "/api/v1/dossiers/search", {"q": CITIZEN_ID})
    assert other.json()["items"] == []


def test_the_intake_look_up_is_a_post(world, counter):
    """Already true on today's code (the look-up posts the page's form); kept so."""
    page = counter.get("/office/intake/").content.decode()
    assert re.search(r'<form method="post"[^>]*class="intake"', page)
    response = counter.post("/office/intake/", {"op": "find", "applicant.id_number": CITIZEN_ID})
    assert response.status_code == 200


def test_no_log_line_carries_a_number(world, received, counter, log_output):
    """Fails on today's code: the request lines and paths were printed as they came."""
    world.client("counter").get(f"/api/v1/dossiers?q={CITIZEN_ID}")
    Client().get(f"/api/v1/lookup/{CITIZEN_ID}")
    counter.get(f"/office/dossiers/{OLD_ID}/")
    # runserver's request line, as django.core.servers.basehttp logs it
    logging.getLogger("django.server").info(
        '"%s" %s %s', f"GET /office/?q={CITIZEN_ID}&other={OLD_ID} HTTP/1.1", 200, 1234
    )
    try:
        raise ValueError(f"no dossier for {CITIZEN_ID}")
    except ValueError:
        logging.getLogger("motcua").exception("failed for %s", OLD_ID)
    output = log_output.getvalue()
    assert "lookup/" in output and "GET /office/" in output and "ValueError" in output, output
    assert not ID_RUN.search(output), output
    assert "001******345" in output and "123***789" in output
