"""Counter intake in the browser: the officer finds a returning applicant by ID number, picks the
procedure, ticks the documents handed in, fills the declaration, receives the dossier, and prints the receipt
(Mẫu 01)."""

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from motcua.dossiers.lifecycle import Channel, Status
from motcua.dossiers.models import Dossier
from motcua.e2e.steps import (
    BIRTH_DECLARATION,
    BIRTH_REGISTRATION,
    DOSSIER_CODE,
    labelled,
    online_dossier_in_process,
    pdf_file,
    shoot,
    staff_sign_in,
    upload,
)

RETURNING_APPLICANT = "001090012345"  # the demo citizen congdan, who applied online before
DECLARATION = "Tờ khai đăng ký khai sinh (theo mẫu)"
BIRTH_CERTIFICATE = "Giấy chứng sinh hoặc văn bản của người làm chứng xác nhận việc sinh"


@pytest.mark.e2e
def test_counter_receives_a_dossier_and_prints_its_receipt(open_context):
    online_dossier_in_process("congdan")
    counter = open_context()
    staff_sign_in(counter, "tiepnhan.bd")
    counter.get_by_role("link", name="Counter intake").click()

    counter.get_by_label("ID number (12 digits)").fill(RETURNING_APPLICANT)
    counter.get_by_role("button", name="Find the applicant").click()
    expect(counter.get_by_label(labelled("Full name"))).to_have_value("Nguyễn Văn An")
    counter.get_by_label(labelled("Address")).fill("5 Phố Kim Mã, Phường Ba Đình, Hà Nội")

    counter.get_by_label("Search procedures").fill("khai sinh")
    counter.get_by_role("button", name="Search", exact=True).click()
    counter.get_by_label(labelled("Procedure")).select_option(BIRTH_REGISTRATION)
    counter.get_by_role("button", name="Show the documents to check").click()

    for document in (DECLARATION, BIRTH_CERTIFICATE):
        counter.get_by_role("checkbox", name=f"Handed in {document}").check()
    counter.get_by_label(f"Scan {BIRTH_CERTIFICATE}").set_input_files(
        upload("giay-chung-sinh.pdf", pdf_file("Giay chung sinh"))
    )
    for label, value in BIRTH_DECLARATION.items():
        counter.get_by_label(labelled(label)).fill(value)
    counter.get_by_label(labelled("Số định danh cá nhân của người yêu cầu")).fill(RETURNING_APPLICANT)
    counter.get_by_label(labelled("Quan hệ với người được khai sinh")).select_option("Cha")
    counter.get_by_role("radio", name="Nữ", exact=True).check()
    shoot(counter, "office-counter-intake")
    counter.get_by_role("button", name="Receive the dossier").click()

    expect(counter.get_by_role("heading", name="Dossier received")).to_be_visible()
    code = DOSSIER_CODE.search(counter.get_by_role("main").inner_text())
    assert code, counter.get_by_role("main").inner_text()
    dossier = Dossier.objects.get(code=code.group(0))
    assert (dossier.channel, dossier.status) == (Channel.COUNTER, Status.RECEIVED)
    assert dossier.documents.count() == 2

    receipt = counter.get_by_role("link", name="Print the receipt (form 01)")
    answer = counter.request.get(receipt.get_attribute("href") or "")
    assert answer.status == 200
    assert answer.headers["content-type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(answer.body())).pages)
    assert dossier.code in text
    assert "Mẫu số 01" in text
