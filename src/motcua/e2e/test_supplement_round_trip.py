"""A supplement round trip in the browser: the specialist asks for an itemised supplement, the citizen uploads
a file for the item and sends it, and the specialist accepts it, which restarts the processing."""

import pytest
from playwright.sync_api import expect

from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import Dossier, DossierDocument
from motcua.e2e.steps import (
    citizen_sign_in,
    online_dossier_in_process,
    open_dossier,
    pdf_file,
    staff_sign_in,
    take_action,
    upload,
)

MISSING = "Bản sao giấy đăng ký kết hôn của cha mẹ"


@pytest.mark.e2e
def test_requested_supplement_is_uploaded_by_the_citizen_and_accepted(open_context):
    code = online_dossier_in_process("congdan")

    specialist = open_context()
    staff_sign_in(specialist, "chuyenvien.bd")
    open_dossier(specialist, code)
    take_action(
        specialist,
        "Request a supplement",
        **{
            "Reason": "Thiếu giấy tờ chứng minh quan hệ cha mẹ.",
            "Document row 1": MISSING,
            "What is needed (original, certified copy, correction…) row 1": "Bản sao có chứng thực",
        },
    )
    assert Dossier.objects.get(code=code).status == Status.SUPPLEMENT_REQUESTED

    citizen = open_context()
    citizen_sign_in(citizen, "congdan")
    citizen.goto(f"/my/dossiers/{code}/")
    main = citizen.get_by_role("main")
    expect(main).to_contain_text("Thiếu giấy tờ chứng minh quan hệ cha mẹ.")
    main.get_by_label(MISSING).set_input_files(upload("dang-ky-ket-hon.pdf", pdf_file("Dang ky ket hon")))
    citizen.get_by_role("button", name="Send the supplement").click()
    expect(citizen.locator(".messages .alert-success")).to_be_visible()
    supplied = Dossier.objects.get(code=code)
    assert supplied.status == Status.SUPPLEMENT_REQUESTED
    assert supplied.events.filter(action="submit_supplement").exists()

    specialist.reload()
    take_action(specialist, "Accept the supplement")
    assert Dossier.objects.get(code=code).status == Status.IN_PROCESS
    document = DossierDocument.objects.get(dossier__code=code, supplement__isnull=False)
    assert document.file.original_name == "dang-ky-ket-hon.pdf"
