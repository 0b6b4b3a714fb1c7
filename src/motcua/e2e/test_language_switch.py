"""The portal speaks Vietnamese unless asked otherwise, and its language switch changes the page's language
and keeps the visitor where they were."""

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from motcua.e2e.steps import BIRTH_REGISTRATION


def vietnamese(text: str) -> str:
    with translation.override("vi"):
        translated = translation.gettext(text)
    assert translated != text, f"the Vietnamese catalogue does not translate “{text}” yet"
    return translated


@pytest.mark.e2e
def test_portal_is_vietnamese_by_default_and_switches_to_english_and_back(open_context):
    # A browser asking for a language the site does not offer gets the site's default.
    page = open_context(language=None, locale="fr-FR")
    procedure_page = f"/procedures/{BIRTH_REGISTRATION}/"
    page.goto(procedure_page)
    menu = page.get_by_role("navigation", name=vietnamese("Main menu"))
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(menu.get_by_role("link", name=vietnamese("Procedures"), exact=True)).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký khai sinh")

    page.get_by_role("button", name=re.compile(r"^EN\b")).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(re.escape(procedure_page) + "$"))
    menu = page.get_by_role("navigation", name="Main menu")
    expect(menu.get_by_role("link", name="Procedures", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Apply online").first).to_be_visible()

    page.get_by_role("button", name=re.compile(r"^VI\b")).click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page).to_have_url(re.compile(re.escape(procedure_page) + "$"))
    expect(page.get_by_role("link", name=vietnamese("Apply online")).first).to_be_visible()
