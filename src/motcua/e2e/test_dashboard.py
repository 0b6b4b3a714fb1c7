"""The dashboards in a real browser: the public one draws its charts over tables that hold the data function's
numbers and fits a phone; the leader's updates itself when a dossier changes, without a reload."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Page, expect

from motcua.demo.simulation import Simulator
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import actions
from motcua.e2e.steps import online_dossier_in_process, shoot, staff_sign_in
from motcua.e2e.test_portal_on_a_phone import PHONE, assert_fits_the_screen
from motcua.org.models import Agency
from motcua.stats.dashboards import public_dashboard

CHARTS = ("chart-trend", "chart-channels", "chart-score", "chart-rating")


@pytest.fixture
def simulated(demo) -> None:
    """A month of the demo province's history, made through the services as `motcua simulate` makes it."""
    outcome = Simulator(seed=2).run(days=30, per_day=3)
    assert outcome.dossiers > 30


def drawn_charts(page: Page) -> dict[str, list[int]]:
    """Each canvas Chart.js drew on, with its size in CSS pixels."""
    page.wait_for_function("() => window.Chart && Chart.getChart('chart-trend')")
    return page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('canvas')]
            .filter(c => Chart.getChart(c))
            .map(c => [c.id, [c.getBoundingClientRect().width, c.getBoundingClientRect().height]]))"""
    )


def row_texts(page: Page, table: str) -> list[list[str]]:
    return page.locator(f"#{table} tbody tr").evaluate_all(
        "rows => rows.map(r => [...r.cells].map(c => c.textContent.trim()))"
    )


@pytest.mark.e2e
def test_the_public_dashboard_draws_charts_over_the_data_function_s_numbers(simulated, open_context):
    page = open_context()
    page.goto("/dashboard/")

    sizes = drawn_charts(page)
    assert set(sizes) == set(CHARTS)
    assert all(width > 100 and height > 100 for width, height in sizes.values()), sizes
    shoot(page, "dashboard-public")

    figures = public_dashboard(Agency.objects.values_list("pk", flat=True), timezone.localdate())
    assert figures.year_to_date.flows.received_total > 0
    # Drawn, the charts fold their tables under a toggle that opens them.
    trend = page.locator("details", has=page.locator("#table-trend"))
    expect(trend).not_to_have_attribute("open", "")
    trend.locator("summary").click()
    expect(page.locator("#table-trend")).to_be_visible()
    expected = [
        [
            month.month.strftime("%m/%Y") + ("" if month.complete else "*"),
            *(
                str(n)
                for n in (
                    month.flows.received_counter,
                    month.flows.received_online,
                    month.flows.received_post,
                    month.flows.received_total,
                    month.flows.resolved_early,
                    month.flows.resolved_on_time,
                    month.flows.resolved_late,
                )
            ),
            "—no data" if month.flows.on_time_rate is None else f"{month.flows.on_time_rate:.1f}%",
        ]
        for month in reversed(figures.months)
    ]
    assert row_texts(page, "table-trend") == expected
    channels = row_texts(page, "table-channels")
    assert [row[1] for row in channels] == [
        str(figures.trend_total.received_counter),
        str(figures.trend_total.received_online),
        str(figures.trend_total.received_post),
    ]


@pytest.mark.e2e
def test_the_public_dashboard_fits_a_phone(simulated, open_context):
    page = open_context(**PHONE)
    page.goto("/dashboard/")
    drawn_charts(page)
    assert_fits_the_screen(page)
    for summary in page.locator("details.chart-data summary").all():
        summary.tap()
    assert_fits_the_screen(page)
    shoot(page, "phone-dashboard")


@pytest.mark.e2e
def test_without_chart_js_the_dashboard_still_shows_its_tables(demo, open_context):
    page = open_context()
    page.route("**/chart.umd.min.js", lambda route: route.abort())
    page.goto("/dashboard/")
    page.wait_for_load_state("load")

    for table in ("table-trend", "table-channels", "table-score", "table-rating"):
        expect(page.locator(f"#{table}")).to_be_visible()
    expect(page.locator(".chart-box").first).to_be_hidden()


@pytest.mark.e2e
def test_the_leader_s_dashboard_follows_a_change_without_reloading(demo, open_context, settings):
    settings.MOTCUA_DASHBOARD_POLL_SECONDS = 1
    code = online_dossier_in_process()
    page = open_context()
    staff_sign_in(page, "lanhdao.bd")
    page.goto("/office/stats/dashboard/")
    in_progress = page.locator('[data-total="in_progress"]')
    expect(in_progress).to_have_text("1")
    page.wait_for_function("() => window.Chart && Chart.getChart('chart-workload')")
    updated = page.locator("#dashboard-updated").inner_text()
    page.evaluate("window.notReloaded = true")
    shoot(page, "dashboard-leader")

    leader = User.objects.get(username="lanhdao.bd")
    dossier = Dossier.objects.get(code=code)
    actions.stop(dossier, leader, reason="Người nộp không đủ điều kiện", version=dossier.version)

    expect(in_progress).to_have_text("0")
    expect(page.locator("table[data-rows='workload'] tbody")).to_contain_text("No open dossiers.")
    expect(page.locator("#dashboard-updated")).not_to_have_text(updated)
    assert page.evaluate("window.notReloaded") is True
