"""Browser fixtures for the end-to-end tests.

Playwright drives Debian's Chromium (not a browser Playwright downloads: this machine has no network)
against pytest-django's live server, which runs the application in a thread of this process. The live server
makes every test transactional (the tables are emptied after it), so each test loads the demo province afresh:
its real accounts, agencies and procedures.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core import mail
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from motcua.demo.loader import load_demo

# Playwright's sync API runs an event loop in the test thread, and Django refuses database calls from a thread
# with a running loop unless told that this is deliberate. The live server's own thread is unaffected.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path(os.environ.get("MOTCUA_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium")
# Without the background-networking flags Chromium dials out at start, and this closed network refuses it.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MISSING_CHROMIUM = (
    f"*** END-TO-END TESTS SKIPPED: no Chromium at {CHROMIUM}. Install Debian's: "
    "apt-get install -y chromium fonts-liberation fonts-dejavu-core (or set MOTCUA_CHROMIUM) ***"
)
DESKTOP = {"width": 1280, "height": 900}
# Generous for a machine whose two cores the browser shares with the server, the database and other work.
TIMEOUT_MS = 10_000
expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip(MISSING_CHROMIUM)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def demo(live_server, settings, tmp_path) -> None:
    """The demo province in the test database, and uploads kept out of the developer's data directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    # Links in e-mails and QR codes lead to the live server, as to MOTCUA_PUBLIC_URL in a deployment.
    settings.MOTCUA_PUBLIC_URL = live_server.url
    load_demo()
    mail.outbox.clear()


def new_context(browser: Browser, base_url: str, language: str | None = "en", **options) -> BrowserContext:
    """A fresh browser profile that chose `language` on the site before (Django reads the django_language
    cookie); with None, the site picks from the browser's Accept-Language (its `locale`) or its default."""
    context = browser.new_context(base_url=base_url, viewport=options.pop("viewport", DESKTOP), **options)
    if language is not None:
        context.add_cookies([{"name": "django_language", "value": language, "url": base_url}])
    context.set_default_timeout(TIMEOUT_MS)
    return context


@pytest.fixture
def open_context(browser: Browser, live_server, demo, request) -> Iterator:
    """Opens browser contexts (one per person in a scenario: a citizen, an officer...) and closes them after
    the test; when the test failed, each context's last page is kept as a screenshot for the developer."""
    contexts: list[BrowserContext] = []

    def open_one(language: str | None = "en", **options) -> Page:
        context = new_context(browser, live_server.url, language, **options)
        contexts.append(context)
        return context.new_page()

    yield open_one
    failures = django_settings.DATA_DIR / "e2e-failures"
    for number, context in enumerate(contexts):
        if getattr(request.node, "failed_call", False):
            failures.mkdir(parents=True, exist_ok=True)
            for tab, page in enumerate(context.pages):
                shot = failures / f"{request.node.name}-{number}-{tab}.png"
                page.screenshot(path=str(shot), full_page=True)
        context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call" and report.failed:
        item.failed_call = True
    return report
