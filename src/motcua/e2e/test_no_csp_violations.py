"""The strict Content-Security-Policy (settings.CONTENT_SECURITY_POLICY, issue 10 finding 5) breaks no page:
the main pages of the portal, the back office, the admin (with the e-form editor's live preview and the
delegation grant) and the API docs load in Chromium without a single CSP violation, and their scripts run."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from motcua.catalog.models import Case
from motcua.dossiers.models import Dossier
from motcua.e2e.steps import citizen_sign_in, online_dossier_in_process, staff_sign_in, start_application

pytestmark = pytest.mark.e2e

# What Chromium reports on the console and through the securitypolicyviolation event when the CSP blocks.
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


def watched(page: Page, seen: list[str] | None = None) -> list[str]:
    """Collect into `seen` what the page logs of the CSP and any script error; returns `seen`."""
    seen = [] if seen is None else seen

    def on_console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            seen.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: seen.append(f"{page.url}: script error {error}"))
    page.context.add_init_script(WATCH)
    return seen


def visit(page: Page, path: str, seen: list[str]) -> None:
    page.goto(path)
    page.wait_for_load_state("networkidle")
    seen.extend(f"{path}: {v}" for v in page.evaluate("window.__csp || []"))


def test_the_main_pages_log_no_csp_violation(open_context, live_server):
    dossier_code = online_dossier_in_process()
    dossier = Dossier.objects.get(code=dossier_code)

    citizen = open_context()
    seen = watched(citizen)
    response = citizen.goto("/")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    for path in ("/", "/procedures/1.001193.000.00.00.H26/", "/dashboard/", "/lookup/"):
        visit(citizen, path, seen)
    visit(citizen, f"/lookup/{dossier.code}/?key={dossier.lookup_key}", seen)
    expect(citizen.get_by_role("heading", level=1)).to_contain_text(dossier.code)
    citizen_sign_in(citizen, "congdan")
    start_application(citizen)
    seen.extend(citizen.evaluate("window.__csp || []"))
    visit(citizen, f"/my/dossiers/{dossier.code}/", seen)

    officer = open_context()
    watched(officer, seen)
    staff_sign_in(officer, "lanhdao.bd")
    for path in ("/office/", f"/office/dossiers/{dossier.code}/", "/office/stats/dashboard/"):
        visit(officer, path, seen)
    # The dashboard's charts are drawn by Chart.js from our static files.
    expect(officer.locator("canvas").first).to_be_visible()

    admin = open_context()
    watched(admin, seen)
    admin.goto("/admin/login/")
    admin.get_by_label("Username").fill("quantri")
    admin.get_by_label("Password").fill("demo12345")
    admin.get_by_role("button", name=re.compile("Log in|Đăng nhập")).click()
    case = Case.objects.exclude(form_schema={}).first() or Case.objects.first()
    for path in (f"/admin/catalog/case/{case.pk}/change/", "/admin/org/delegation/add/", "/api/docs"):
        visit(admin, path, seen)
    # Swagger UI is drawn by its script, served from our static files.
    expect(admin.locator(".swagger-ui .info")).to_be_visible()

    assert seen == []
