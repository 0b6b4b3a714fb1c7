"""Two-factor sign-in in the browser (issue 10): a leader, whose role requires it, signs in with the password,
is sent to enrolment whatever they ask for, scans (here: reads) the key, confirms with the app's code, keeps
the ten recovery codes, reaches the inbox; at the next sign-in the password alone is not enough, and a
recovery code lets them in once."""

from __future__ import annotations

import base64
import time

import pytest
import time_machine
from django_otp.oath import totp
from playwright.sync_api import expect

from motcua.demo.loader import DEMO_PASSWORD

LEADER = "lanhdao.tp"


def app_code(secret: str) -> str:
    """What an authenticator app shows for the key printed under the QR code."""
    return f"{totp(base64.b32decode(secret)):06d}"


@pytest.mark.e2e
def test_a_leader_enrols_then_signs_in_with_a_recovery_code(open_context, settings):
    settings.MOTCUA_2FA_REQUIRED_ROLES = frozenset({"admin", "unit_leader", "auditor"})
    page = open_context()
    page.goto("/office/login/")
    page.get_by_label("Username").fill(LEADER)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    expect(page.locator("[data-qr] svg")).to_be_visible()
    page.goto("/office/tracking-book/")  # nothing else opens before enrolment
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()

    secret = page.locator("[data-secret]").inner_text().strip()
    page.get_by_label("Code").fill(app_code(secret))
    page.get_by_role("button", name="Confirm and turn on").click()
    codes = page.locator("[data-recovery-codes] code")
    expect(codes).to_have_count(10)
    first_code = codes.first.inner_text()
    page.get_by_role("link", name="I have kept them, continue").click()
    expect(page.get_by_role("button", name=f"Sign out ({LEADER})")).to_be_visible()

    page.get_by_role("button", name=f"Sign out ({LEADER})").click()
    page.goto("/office/login/")
    page.get_by_label("Username").fill(LEADER)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Two-factor sign-in")).to_be_visible()
    page.get_by_label("Code").fill(first_code)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Recovery codes left: 9")).to_be_visible()
    expect(page.get_by_role("button", name=f"Sign out ({LEADER})")).to_be_visible()


@pytest.mark.e2e
def test_the_app_code_opens_the_next_sign_in(open_context, settings):
    settings.MOTCUA_2FA_REQUIRED_ROLES = frozenset({"unit_leader"})
    page = open_context()
    page.goto("/office/login/")
    page.get_by_label("Username").fill(LEADER)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    secret = page.locator("[data-secret]").inner_text().strip()
    page.get_by_label("Code").fill(app_code(secret))
    page.get_by_role("button", name="Confirm and turn on").click()
    expect(page.locator("[data-recovery-codes] code")).to_have_count(10)

    other = open_context()
    other.goto("/office/login/")
    other.get_by_label("Username").fill(LEADER)
    other.get_by_label("Password").fill(DEMO_PASSWORD)
    other.get_by_role("button", name="Sign in").click()
    expect(other.get_by_role("heading", name="Two-factor sign-in")).to_be_visible()
    # The enrolment used this time step's code; the app shows the next one 30 seconds later.
    with time_machine.travel(time.time() + 30, tick=True):
        other.get_by_label("Code").fill(app_code(secret))
        other.get_by_role("button", name="Confirm").click()
        expect(other.get_by_role("button", name=f"Sign out ({LEADER})")).to_be_visible()
