"""The inbox page: tabs with counts, rows with their working time left, filters, sorting and pages."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.test import Client

from motcua.dossiers.tests.inbox_fixtures import Desk, local

NOW = "2025-10-10 10:00"  # a Friday


def page(client: Client, query: str = "", language: str = "en") -> tuple[int, str]:
    with time_machine.travel(local(NOW), tick=False):
        response = client.get(f"/office/{query}", headers={"Accept-Language": language})
    return response.status_code, response.content.decode()


def listed_codes(html: str) -> list[str]:
    """The codes of the rows, in the order shown (each row carries the version the officer saw)."""
    return re.findall(r'name="version-([^"]+)"', html)


@pytest.fixture
def desk(world) -> Desk:
    return Desk(world)


def signed_in(desk: Desk, username: str) -> Client:
    client = Client()
    client.force_login(desk.user(username))
    return client


def test_rows_show_status_step_and_working_time_left(desk):
    late = desk.act("counter", desk.receive("2025-10-06 09:00"), "forward", "2025-10-06 09:30")
    soon = desk.act("counter", desk.receive("2025-10-08 09:00"), "forward", "2025-10-08 09:30")
    soon = desk.act("specialist", soon, "forward", "2025-10-08 11:00")
    leader = signed_in(desk, "leader")

    status, html = page(leader, "?tab=unit", language="vi")
    assert status == 200
    assert listed_codes(html) == [late.code, soon.code]  # most urgent first
    # Due Thursday 09:00: 7 office hours on Thursday and 2 this morning have passed since.
    assert "quá hạn 1 ngày 1 giờ" in html
    # Due Monday 09:00: 6 office hours left today and 1 on Monday, across the weekend.
    assert "còn 7 giờ" in html
    assert "Phê duyệt" in html and "Thẩm định" in html  # the current steps

    status, html = page(leader, "?tab=unit")
    late_row = row_of(html, late.code)
    assert "Overdue" in late_row and "overdue by 1 day 1 hour" in late_row
    soon_row = row_of(html, soon.code)
    assert "Overdue" not in soon_row and "7 hours left" in soon_row
    assert '<tr class="is-overdue">' in html


def row_of(html: str, code: str) -> str:
    return html[html.index(f'name="version-{code}"') :].split("</tr>")[0]


def test_due_soon_rows_are_marked_and_a_supplement_stops_the_clock(desk):
    soon = desk.act("counter", desk.receive("2025-10-08 09:00"), "forward", "2025-10-08 09:30")
    waiting = desk.act("counter", desk.receive("2025-10-06 09:00"), "forward", "2025-10-06 09:30")
    waiting = desk.act(
        "specialist",
        waiting,
        "request_supplement",
        "2025-10-06 10:00",
        reason="Thiếu giấy chứng sinh",
        items=[{"description": "Giấy chứng sinh", "requirement": "bản chính"}],
    )
    html = page(signed_in(desk, "specialist"), "?tab=unit")[1]
    assert "Due soon" in row_of(html, soon.code)
    waiting_row = row_of(html, waiting.code)
    assert "Clock stopped until the supplement" in waiting_row
    assert "Overdue" not in waiting_row and "overdue by" not in waiting_row


def test_tabs_carry_their_counts(desk):
    desk.receive("2025-10-10 08:00")
    desk.act("counter", desk.receive("2025-10-06 09:00"), "forward", "2025-10-06 09:30")
    status, html = page(signed_in(desk, "counter"))
    assert status == 200
    tabs = re.sub(
        r"\s+", " ", html[html.index('class="tabs"') : html.index("</nav>", html.index('class="tabs"'))]
    )
    assert 'My work <span class="count">(1)</span>' in tabs
    assert 'My units <span class="count">(2)</span>' in tabs
    assert 'Overdue <span class="count">(1)</span>' in tabs
    assert 'aria-current="page">My work' in tabs


def test_search_by_name_or_code_prefix_and_filter_by_status_and_unit(desk, world):
    an = desk.receive("2025-10-09 08:00", name="Trần Văn An")
    binh = desk.act(
        "counter", desk.receive("2025-10-09 08:10", name="Lê Thị Bình"), "forward", "2025-10-09 08:30"
    )
    commune = desk.receive("2025-10-09 08:20", counter="counter_commune", name="Phạm Văn Cường")
    leader = signed_in(desk, "city_leader")  # sees the whole city

    assert listed_codes(page(leader, "?tab=all&q=tran van")[1]) == [an.code]
    assert listed_codes(page(leader, "?tab=all&q=" + commune.code[:16])[1]) == [commune.code]
    assert listed_codes(page(leader, "?tab=all&status=in_process")[1]) == [binh.code]
    assert set(listed_codes(page(leader, f"?tab=all&unit={world.centre.identity_code}")[1])) == {
        an.code,
        binh.code,
    }
    assert listed_codes(page(leader, f"?tab=all&procedure={world.procedure.local_code}&q=cuong")[1]) == [
        commune.code
    ]


def test_columns_sort_both_ways_with_aria_sort(desk):
    first = desk.receive("2025-10-08 08:00", name="A")
    second = desk.receive("2025-10-09 08:00", name="B")
    third = desk.receive("2025-10-10 08:00", name="C")
    counter = signed_in(desk, "counter")

    html = page(counter, "?tab=all")[1]
    assert listed_codes(html) == [third.code, second.code, first.code]  # everything: newest first
    assert re.search(r'aria-sort="descending"><a href="[^"]*sort=received', html)

    html = page(counter, "?tab=all&sort=due")[1]
    assert listed_codes(html) == [first.code, second.code, third.code]
    assert re.search(r'aria-sort="ascending"><a href="[^"]*sort=-due', html)  # the link turns it round
    assert listed_codes(page(counter, "?tab=all&sort=-code")[1]) == sorted(
        [first.code, second.code, third.code], reverse=True
    )


def test_pages_of_25_50_or_100(desk):
    received = [
        desk.receive(f"2025-10-{day:02d} {hour:02d}:00") for day in (6, 7, 8) for hour in range(8, 17)
    ]
    counter = signed_in(desk, "counter")

    html = page(counter, "?tab=all")[1]
    assert len(listed_codes(html)) == 25 and "Next page" in html and "Previous page" not in html
    html = page(counter, "?tab=all&page=2")[1]
    assert (
        len(listed_codes(html)) == len(received) - 25 and "Previous page" in html and "Next page" not in html
    )
    html = page(counter, "?tab=all&page_size=50")[1]
    assert len(listed_codes(html)) == len(received) and "Next page" not in html


def test_bad_query_values_fall_back_to_the_defaults(desk):
    dossier = desk.receive("2025-10-10 08:00")
    status, html = page(signed_in(desk, "counter"), "?tab=nope&page=abc&sort=zzz&page_size=7&status=bogus")
    assert status == 200
    assert listed_codes(html) == [dossier.code]
    status, html = page(signed_in(desk, "counter"), "?q=" + "x" * 300)
    assert status == 200 and 'aria-invalid="true"' in html


# Both ways of reading a page in due order (one query for a sparse tab, one per status for a dense one) must
# give the same pages: the world's tabs are small, so the per-status way is forced by a threshold of 0.
@pytest.fixture(params=[300, 0], ids=["one query", "per status"])
def reading(request, monkeypatch):
    monkeypatch.setattr("motcua.dossiers.inbox.FEW_TO_SORT", request.param)


@pytest.mark.usefixtures("reading")
def test_due_order_runs_across_statuses_both_ways_and_by_status(desk):
    first = desk.act("counter", desk.receive("2025-10-06 09:00"), "forward", "2025-10-06 09:30")
    second = desk.act("counter", desk.receive("2025-10-07 09:00"), "forward", "2025-10-07 09:30")
    second = desk.act("specialist", second, "request_payment", "2025-10-07 10:00", amount=8000)
    third = desk.act("counter", desk.receive("2025-10-08 09:00"), "forward", "2025-10-08 09:30")
    fourth = desk.act("counter", desk.receive("2025-10-09 09:00"), "forward", "2025-10-09 09:30")
    fourth = desk.act("specialist", fourth, "request_payment", "2025-10-09 10:00", amount=8000)
    by_due = [first.code, second.code, third.code, fourth.code]
    specialist = signed_in(desk, "specialist")

    assert listed_codes(page(specialist, "?tab=unit&sort=due")[1]) == by_due
    html = page(specialist, "?tab=unit&sort=-due")[1]
    assert listed_codes(html) == by_due[::-1]
    assert re.search(r'aria-sort="descending"><a href="[^"]*sort=due', html)
    # "awaiting_payment" before "in_process", each by due date.
    assert listed_codes(page(specialist, "?tab=unit&sort=status")[1]) == [
        second.code,
        fourth.code,
        first.code,
        third.code,
    ]


@pytest.mark.usefixtures("reading")
def test_pages_in_due_order_neither_repeat_nor_skip(desk):
    received = []
    for day in (6, 7, 8):
        for hour in range(8, 17):
            dossier = desk.act(
                "counter",
                desk.receive(f"2025-10-{day:02d} {hour:02d}:00"),
                "forward",
                f"2025-10-{day:02d} 17:00",
            )
            if hour % 2:
                dossier = desk.act(
                    "specialist", dossier, "request_payment", f"2025-10-{day:02d} 17:00", amount=1
                )
            received.append(dossier)
    specialist = signed_in(desk, "specialist")

    first_page = listed_codes(page(specialist, "?tab=unit&sort=due")[1])
    second_page = listed_codes(page(specialist, "?tab=unit&sort=due&page=2")[1])
    assert len(first_page) == 25 and len(second_page) == len(received) - 25
    assert first_page + second_page == [d.code for d in received]  # received in the order they are due
