"""The tracking book screen: a unit of the officer's scope and a period, the book's rows, its downloads, and
the field errors of a bad request."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.test import Client

from motcua.dossiers.tests.inbox_fixtures import Desk, local

NOW = "2025-10-20 10:00"


@pytest.fixture
def desk(world) -> Desk:
    return Desk(world)


def book(desk: Desk, username: str, query: str = ""):
    client = Client()
    client.force_login(desk.user(username))
    with time_machine.travel(local(NOW), tick=False):
        return client.get(f"/office/tracking-book/{query}", headers={"Accept-Language": "en"})


def test_the_book_lists_the_units_dossiers_with_download_links(desk, world):
    first = desk.receive("2025-10-06 09:00", name="Trần Văn An")
    first = desk.act("counter", first, "forward", "2025-10-06 09:30")
    second = desk.receive("2025-10-07 09:00", name="Lê Thị Bình")
    elsewhere = desk.receive("2025-10-07 09:00", counter="counter_commune")
    before = desk.receive("2025-09-30 09:00")

    unit = world.centre.identity_code
    response = book(desk, "counter", f"?unit={unit}&start=2025-10-01&end=2025-10-31")
    html = response.content.decode()

    assert response.status_code == 200
    assert first.code in html and second.code in html
    assert elsewhere.code not in html and before.code not in html
    assert html.index(first.code) < html.index(second.code)  # by time of receipt
    assert "Trần Văn An" in html and "Sở Tư pháp" in html
    assert "06/10/2025 09:00" in html and "06/10/2025 09:30" in html  # received, then transferred
    query = f"unit={unit}&amp;start=2025-10-01&amp;end=2025-10-31"
    assert f'href="/print/tracking-book.pdf?{query}"' in html
    assert f'href="/print/tracking-book.xlsx?{query}"' in html
    assert "2 dossiers." in html


def test_without_a_choice_the_book_shows_this_month_of_the_officers_own_unit(desk, world):
    this_month = desk.receive("2025-10-06 09:00")
    response = book(desk, "counter")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="2025-10-01"' in html and 'value="2025-10-31"' in html
    assert f'<option value="{world.centre.identity_code}" selected>' in html
    assert this_month.code in html


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("?unit=000.00.01.H26&start=2025-13-01&end=2025-10-31", "start", "Enter a valid date."),
        ("?unit=000.00.01.H26&start=2025-10-31&end=2025-10-01", "end", "before its start"),
        ("?unit=000.00.01.H26&start=2024-01-01&end=2025-10-31", "end", "at most 366 days"),
        ("?unit=000.A1.02.H26&start=2025-10-01&end=2025-10-31", "unit", "Select a valid choice."),
    ],
)
def test_bad_input_is_shown_beside_its_field(desk, query, field, message):
    response = book(desk, "counter", query)
    html = response.content.decode()
    assert response.status_code == 422
    assert "There is a problem" in html and message in html
    control = re.search(rf'<(?:input|select)[^>]*name="{field}"[^>]*>', html)
    assert control is not None
    assert 'aria-invalid="true"' in control[0] and f'aria-describedby="id_{field}_error"' in control[0]
    assert f'id="id_{field}_error"' in html
    assert 'class="table book-table"' not in html
