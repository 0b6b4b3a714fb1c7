"""The inbox's search in the browser: an officer searches by the applicant's ID number; the address bar
(and so the history and the server's access log) never holds the number, and sorting keeps the search
(ADR 0018)."""

import re

import pytest
from playwright.sync_api import expect

from motcua.e2e.steps import online_dossier_in_process, staff_sign_in

APPLICANT_ID = "001090012345"  # the demo citizen congdan


@pytest.mark.e2e
def test_searching_the_inbox_by_id_number_keeps_it_out_of_the_url(open_context):
    code = online_dossier_in_process("congdan")
    officer = open_context()
    staff_sign_in(officer, "tiepnhan.bd")
    officer.goto("/office/?tab=all")

    officer.get_by_label("Code or applicant").fill(APPLICANT_ID)
    officer.get_by_role("button", name="Show", exact=True).click()
    expect(officer).to_have_url(re.compile(r"search="))
    expect(officer.get_by_role("link", name=code)).to_be_visible()
    expect(officer.get_by_label("Code or applicant")).to_have_value(APPLICANT_ID)
    assert APPLICANT_ID not in officer.url

    officer.get_by_role("link", name="Received").click()
    expect(officer).to_have_url(re.compile(r"sort="))
    expect(officer.get_by_role("link", name=code)).to_be_visible()
    assert APPLICANT_ID not in officer.url and "search=" in officer.url
