"""The report page for staff: a unit of the leader's scope, a period or a standard one, the table in the
layout of Biểu 06 with its downloads, and each problem on its field."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.test import Client

from motcua.stats.tests.indicators_walk import user
from motcua.stats.tests.report_dataset import build_province
from motcua.stats.tests.scenario import at

URL = "/office/stats/report/"


@pytest.fixture
def calendar_months(settings):
    # These pages' presets are checked on calendar months; the cut-off day has its own test.
    settings.MOTCUA_REPORT_CUTOFF_DAY = 0


@pytest.fixture
def province(world):
    return build_province(world)


def page(username: str | None, today: str = "2026-04-02", **query: str):
    client = Client()
    if username:
        client.force_login(user(username))
    with time_machine.travel(at(today, 10), tick=False):
        return client.get(URL, query, headers={"Accept-Language": "en"})


def cells(html: str, name: str) -> list[str]:
    """The figures of the table's line whose heading is `name`."""
    line = re.search(rf"<th scope=\"row\"[^>]*>{re.escape(name)}.*?</tr>", html, re.S)
    assert line, name
    return re.findall(r'<td class="value">([^<]*)</td>', line.group(0))


def field_error(html: str, field: str) -> str:
    """The markup of the form field `field`, where its errors show."""
    blocks = re.findall(r'<div class="field">.*?\n</div>', html, re.S)
    return next(block for block in blocks if f'for="id_{field}"' in block)


def test_a_leader_sees_their_units_report_for_this_month_by_default(province, calendar_months):
    response = page("leader", today="2026-03-20")
    html = response.content.decode()

    assert response.status_code == 200
    assert '<option value="000.00.21.H26" selected>' in html
    assert 'value="2026-03-01"' in html and 'value="2026-03-20"' in html
    assert "<caption>Form No. 06/VPCP/KSTT: dossiers by field</caption>" in html
    assert '<th scope="colgroup" colspan="4">Dossiers to handle</th>' in html
    assert "Sở Tư pháp, from 01/03/2026 to 20/03/2026" in html
    # H5 (received on the 30th) is not yet there; H4 is overdue by the 20th.
    assert cells(html, "Hộ tịch") == ["4", "1", "2", "1", "3", "2", "0", "1", "1", "0", "1", "66.7"]


def test_the_table_reads_by_unit_with_a_total_and_download_links(province):
    response = page(
        "city_leader", unit="000.00.00.H26", by="unit", **{"from": "2026-03-01", "to": "2026-03-31"}
    )
    html = response.content.decode()

    assert response.status_code == 200
    assert [name for name in re.findall(r'<th scope="row">([^<]+?) <span', html)] == [
        "Sở Tư pháp",
        "UBND Phường Ba Đình",
        "UBND Phường Ngọc Hà",
    ]
    assert cells(html, "UBND Phường Ngọc Hà")[-1] == "—"
    total = html[html.index("<tfoot>") : html.index("</tfoot>")]
    assert re.findall(r'<td class="value">([^<]*)</td>', total) == [
        "9", "1", "7", "1", "5", "4", "0", "1", "4", "1", "3", "80",
    ]  # fmt: skip
    query = "unit=000.00.00.H26&amp;from=2026-03-01&amp;to=2026-03-31&amp;by=unit"
    assert f'href="/office/stats/report.pdf?{query}"' in html
    assert f'href="/office/stats/report.xlsx?{query}"' in html


def test_the_unit_select_lists_the_scope_as_the_organisation_chart(province):
    html = page("city_leader").content.decode()
    options = re.findall(r'<option value="([^"]*)"', html)
    assert options[:5] == [
        "000.00.00.H26",
        "000.00.01.H26",
        "000.00.21.H26",
        "000.A1.01.H26",
        "000.A1.02.H26",
    ]


def test_a_standard_period_button_fills_in_its_dates(province, calendar_months):
    response = page("leader", unit="000.00.21.H26", by="field", period="last_month", **{"from": "", "to": ""})
    html = response.content.decode()

    assert response.status_code == 200
    assert 'value="2026-03-01"' in html and 'value="2026-03-31"' in html
    assert (
        '<button type="submit" class="btn btn-secondary btn-small" name="period" value="last_quarter">'
        in html
    )
    assert cells(html, "Hộ tịch") == ["5", "1", "3", "1", "3", "2", "0", "1", "2", "1", "1", "66.7"]


def test_bad_dates_show_beside_their_fields(province):
    response = page("leader", unit="000.00.21.H26", **{"from": "2026-03-31", "to": "2026-03-01"})
    html = response.content.decode()

    assert response.status_code == 422
    assert "There is a problem" in html
    assert "The end of the period is before its start." in field_error(html, "to")
    assert "<caption>" not in html

    missing = page("leader", unit="000.00.21.H26", **{"from": "", "to": "2026-03-01"})
    assert missing.status_code == 422
    assert "This field is required." in field_error(missing.content.decode(), "from")


def test_a_unit_outside_the_scope_is_refused_on_its_field(province):
    response = page("commune_leader", unit="000.00.00.H26", **{"from": "2026-03-01", "to": "2026-03-31"})
    html = response.content.decode()

    assert response.status_code == 403
    assert "You hold no role in UBND Thành phố Hà Nội or above it." in field_error(html, "unit")
    assert "<caption>" not in html


def test_an_unknown_standard_period_is_a_problem(province):
    response = page("leader", period="fortnight", **{"from": "2026-03-01", "to": "2026-03-31"})
    assert response.status_code == 422
    assert "There is no standard period called fortnight." in response.content.decode()


def test_only_officers_see_the_page(province):
    assert page("citizen").status_code == 403
    anonymous = page(None)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/office/login/")


def test_standard_periods_follow_the_configured_cutoff_day(province, settings):
    settings.MOTCUA_REPORT_CUTOFF_DAY = 14
    html = page("leader", today="2026-03-20").content.decode()
    # Past the 14th, this month's reporting period is the one that closes on 14 April.
    assert 'value="2026-03-15"' in html and 'value="2026-03-20"' in html
    assert "Standard periods end on day 14 of their last month" in html
