"""The portal on a phone-sized screen (375 × 812): nothing scrolls sideways, and the application form can be
filled in and saved."""

import pytest
from playwright.sync_api import Page, expect

from motcua.e2e.steps import BIRTH_REGISTRATION, citizen_sign_in, labelled, shoot, start_application

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}
CHILD_NAME = "Họ, chữ đệm, tên người được khai sinh"


def assert_fits_the_screen(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls {overflow} px sideways at 375 px"
    # Every control the visitor may need is within reach without scrolling sideways.
    cut = page.evaluate(
        """() => [...document.querySelectorAll('main input, main select, main textarea, main button, main a')]
            .filter(e => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden')
            .filter(e => { const r = e.getBoundingClientRect();
                           return r.width && (r.left < 0 || r.right > innerWidth + 1); })
            .map(e => e.outerHTML.slice(0, 120))"""
    )
    assert not cut, f"{page.url}: controls cut by the screen's edge: {cut}"


@pytest.mark.e2e
def test_portal_pages_and_application_form_fit_a_phone(open_context):
    page = open_context(**PHONE)
    page.goto("/")
    assert_fits_the_screen(page)
    shoot(page, "phone-portal-home")
    page.goto(f"/procedures/{BIRTH_REGISTRATION}/")
    assert_fits_the_screen(page)

    citizen_sign_in(page, "congdan")
    start_application(page)
    assert_fits_the_screen(page)
    child = page.get_by_label(labelled(CHILD_NAME))
    child.tap()
    child.fill("Nguyễn Minh Khang")
    page.get_by_role("button", name="Save as draft").last.tap()
    expect(page.locator(".messages .alert-success")).to_be_visible()
    expect(page.get_by_label(labelled(CHILD_NAME))).to_have_value("Nguyễn Minh Khang")
    assert_fits_the_screen(page)
    shoot(page, "phone-application-form")
