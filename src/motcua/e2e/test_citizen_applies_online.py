"""The whole online path in a browser: a citizen signs up and verifies the e-mail address, applies for
birth registration with uploads, the commune's officers receive, process, sign and return the result, and the
citizen rates the service."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from motcua.demo.simulation import Simulator
from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import Dossier, Rating, Satisfaction
from motcua.e2e.steps import (
    attach_birth_documents,
    citizen_sign_in,
    fill_birth_registration,
    labelled,
    open_dossier,
    shoot,
    sign_up,
    staff_sign_in,
    start_application,
    submit_application,
    take_action,
    verification_link,
)

NAME = "Trần Thị Lan"
EMAIL = "tran.thi.lan@example.vn"
ID_NUMBER = "001195004321"
PASSWORD = "hoa-sen-2026"


@pytest.mark.e2e
def test_citizen_signs_up_applies_online_and_rates_the_returned_result(open_context):
    # A week of the province's work, so that the officers find this dossier among others.
    Simulator(seed=3).run(days=7, per_day=5)
    citizen = open_context()
    sign_up(citizen, full_name=NAME, id_number=ID_NUMBER, email=EMAIL, phone="0987654321", password=PASSWORD)
    citizen.goto(verification_link(mail.outbox, EMAIL))
    expect(citizen.get_by_role("main")).to_contain_text("verified")
    citizen_sign_in(citizen, EMAIL, PASSWORD)

    citizen.goto("/")
    shoot(citizen, "portal-home")
    citizen.goto("/procedures/1.001193.000.00.00.H26/")
    shoot(citizen, "portal-procedure")
    start_application(citizen)
    expect(citizen.get_by_label(labelled("Personal identification number"))).to_have_value(ID_NUMBER)
    fill_birth_registration(citizen, ID_NUMBER)
    attach_birth_documents(citizen)
    shoot(citizen, "portal-application-form")
    code = submit_application(citizen)
    # The QR code and the link beside it lead to the public lookup of this dossier, with its lookup key.
    expect(citizen.locator("main svg").first).to_be_visible()
    key = Dossier.objects.get(code=code).lookup_key
    lookup_link = citizen.locator(f'main a[href$="/lookup/{code}/?key={key}"]')
    expect(lookup_link).to_be_visible()
    shoot(citizen, "portal-confirmation")
    lookup_link.click()
    expect(citizen.get_by_role("heading", level=1)).to_contain_text(code)
    expect(citizen.get_by_role("main")).to_contain_text("Submitted")
    citizen.go_back()
    assert Dossier.objects.get(code=code).status == Status.SUBMITTED

    counter = open_context()
    staff_sign_in(counter, "tiepnhan.bd")
    counter.get_by_role("link", name=re.compile(r"^All\b")).click()
    shoot(counter, "office-inbox", full_page=False)  # the first rows: the whole page is a long list
    counter.get_by_role("link", name=code).click()
    expect(counter.get_by_role("heading", level=1)).to_contain_text(code)
    take_action(counter, "Receive")
    take_action(counter, "Forward to the next step")

    specialist = open_context()
    staff_sign_in(specialist, "chuyenvien.bd")
    open_dossier(specialist, code)
    shoot(specialist, "office-dossier")
    take_action(specialist, "Forward to the next step")

    leader = open_context()
    staff_sign_in(leader, "lanhdao.bd")
    open_dossier(leader, code)
    take_action(leader, "Issue the result", **{"Result number": "125/2026/KS"})
    assert Dossier.objects.get(code=code).status == Status.RESULT_READY

    counter.reload()
    take_action(counter, "Return the result", **{"Name of the person collecting": NAME})
    assert Dossier.objects.get(code=code).status == Status.RETURNED

    citizen.goto(f"/my/dossiers/{code}/")
    citizen.get_by_role("radio", name="Very satisfied").check()
    citizen.get_by_label("Comment (optional)").fill("Nhanh, cán bộ hướng dẫn tận tình.")
    citizen.get_by_role("button", name="Send my rating").click()
    expect(citizen.get_by_role("region", name="Your rating")).to_contain_text("Very satisfied")
    rating = Rating.objects.get(dossier__code=code)
    assert rating.score == Satisfaction.VERY_SATISFIED
