"""Counter intake: find the applicant, choose what this counter receives, check the documents, then receive
the dossier once, ask to complete it (form 02) or refuse it (form 03) without receiving anything."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pypdf import PdfReader

from motcua.backoffice.tests.test_dossier_page import signed_in, text
from motcua.catalog.constants import ProcedureLevel
from motcua.catalog.models import Case, Procedure, ProcedureVersion
from motcua.conftest import CITIZEN_ID, PDF_BYTES, World, post_json
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.test_lifecycle_actions import receive

INTAKE = "/office/intake/"


def intake_form(world: World, op: str = "accept", **changes: Any) -> dict[str, Any]:
    """The intake page as a counter officer fills it in for a birth registration, with both documents shown
    and the birth certificate ticked as received in the original."""
    birth_certificate, other = (d.pk for d in world.documents)
    data: dict[str, Any] = {
        "op": op,
        "token": "one-intake",
        "applicant.id_number": CITIZEN_ID,
        "applicant.full_name": "Nguyễn Thị Mai",
        "applicant.date_of_birth": "1990-05-04",
        "applicant.phone": "0912345678",
        "applicant.email": "mai@example.vn",
        "applicant.address": "1 Phố Huế, Hà Nội",
        "procedure": world.procedure.local_code,
        "case": "standard",
        "result_delivery": "counter",
        f"doc-{birth_certificate}-shown": "1",
        f"doc-{birth_certificate}-received": "yes",
        f"doc-{birth_certificate}-submitted_as": "original",
        f"doc-{birth_certificate}-copies": "1",
        f"doc-{other}-shown": "1",
        f"doc-{other}-submitted_as": "photocopy",
        f"doc-{other}-copies": "1",
        "form.child_name": "Nguyễn Văn Bé",
        "form.child_birth_date": "2026-11-01",
        "form.child_sex": "nam",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_counter_opens_the_intake_and_other_officers_are_turned_away(world):
    response = signed_in("counter").get(INTAKE)
    assert response.status_code == 200
    shown = text(response.content.decode())
    assert "1. Applicant" in shown and "2. Procedure" in shown and "Find the applicant" in shown
    response = signed_in("specialist").get(INTAKE)
    assert response.status_code == 403
    assert "Only counter officers receive dossiers here." in response.content.decode()
    assert Client().get(INTAKE).status_code == 302


def test_find_fills_in_the_applicant_from_their_last_dossier(world):
    receive(world)
    data = {"op": "find", "applicant.id_number": CITIZEN_ID, "applicant.full_name": "", "token": "t"}
    html = signed_in("counter").post(INTAKE, data).content.decode()
    assert 'name="applicant.full_name" value="Nguyễn Thị Mai"' in html
    assert 'name="applicant.phone" value="0912345678"' in html
    assert 'name="applicant.date_of_birth" value="1990-05-04"' in html
    assert "This person applied before" in html
    assert f'name="looked_up" value="{CITIZEN_ID}"' in html


def test_looking_up_the_same_person_again_keeps_what_the_officer_corrected(world):
    receive(world)
    data = {
        "op": "find",
        "applicant.id_number": CITIZEN_ID,
        "looked_up": CITIZEN_ID,
        "applicant.phone": "0988000111",
    }
    html = signed_in("counter").post(INTAKE, data).content.decode()
    assert 'name="applicant.phone" value="0988000111"' in html
    assert 'name="applicant.full_name" value="Nguyễn Thị Mai"' in html


def test_a_new_applicant_is_entered_by_hand(world):
    html = (
        signed_in("counter")
        .post(INTAKE, {"op": "find", "applicant.id_number": "001092054321"})
        .content.decode()
    )
    assert "No earlier dossier has this ID number" in html
    assert 'name="applicant.full_name" value=""' in html


def test_only_procedures_this_counter_receives_are_offered(world):
    elsewhere = Procedure.objects.create(national_code="2.000001", local_code="2.000001.000.00.00.H26")
    version = ProcedureVersion.objects.create(
        procedure=elsewhere,
        valid_from=dt.date(2025, 7, 1),
        name="Chứng thực bản sao",
        field=world.version.field,
        level=ProcedureLevel.COMMUNE,
        competent_agency=world.other_commune,
    )
    version.receiving_units.set([world.other_commune])
    Case.objects.create(version=version, code="standard", name="Thông thường", time_value=1)
    html = signed_in("counter").get(INTAKE).content.decode()
    assert f'<option value="{world.procedure.local_code}">' in html
    assert elsewhere.local_code not in html
    html = signed_in("counter").post(INTAKE, {"op": "search", "q": "khai sinh"}).content.decode()
    assert f'<option value="{world.procedure.local_code}">' in html


def test_choosing_the_procedure_and_case_shows_the_checklist_and_the_form(world):
    client = signed_in("counter")
    html = client.post(INTAKE, {"op": "choose", "procedure": world.procedure.local_code}).content.decode()
    assert 'name="case"' in html and "Giấy chứng sinh" not in html  # two cases: one must be chosen
    html = client.post(
        INTAKE, {"op": "choose", "procedure": world.procedure.local_code, "case": "standard"}
    ).content.decode()
    birth_certificate = world.documents[0].pk
    assert "Giấy chứng sinh" in html and f'name="doc-{birth_certificate}-received"' in html
    # What the case expects is proposed: one original of the birth certificate.
    assert re.search(rf'name="doc-{birth_certificate}-copies" value="1"', html)
    assert '<option value="original" selected>' in html
    assert "Họ tên trẻ" in html and 'name="form.child_name"' in html
    assert "4. Decision" in html


def test_receive_creates_one_dossier_even_when_posted_twice(world):
    client = signed_in("counter")
    first = client.post(INTAKE, intake_form(world))
    second = client.post(INTAKE, intake_form(world))  # a double click, or a reload of the post
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    dossier = Dossier.objects.get()
    assert first["Location"] == f"{INTAKE}?done={dossier.code}"
    assert dossier.channel == "counter" and dossier.status == "received" and dossier.due_at is not None
    assert dossier.receiving_unit_id == world.centre.pk and dossier.applicant_name == "Nguyễn Thị Mai"
    assert dossier.form_data == {
        "child_name": "Nguyễn Văn Bé",
        "child_birth_date": "2026-11-01",
        "child_sex": "nam",
    }
    document = dossier.documents.get()
    assert (document.requirement_id, document.submitted_as, document.copies) == (
        world.documents[0].pk,
        "original",
        1,
    )
    assert document.file is None  # received on paper, not scanned

    page = client.get(first["Location"]).content.decode()
    assert dossier.code in page and "Print the receipt (form 01)" in page
    assert f'href="/print/dossiers/{dossier.code}/receipt.pdf" target="_blank"' in page


def test_a_new_intake_is_a_new_dossier(world):
    client = signed_in("counter")
    client.post(INTAKE, intake_form(world))
    client.post(INTAKE, intake_form(world, token="another-intake"))
    assert Dossier.objects.count() == 2


def test_a_scan_is_stored_and_attached_with_how_the_document_was_handed_in(world):
    birth_certificate, other = (d.pk for d in world.documents)
    changes = {
        f"doc-{birth_certificate}-scan": SimpleUploadedFile("giay-chung-sinh.pdf", PDF_BYTES),
        f"doc-{other}-received": "yes",
        f"doc-{other}-submitted_as": "certified_copy",
        f"doc-{other}-copies": "2",
    }
    assert signed_in("counter").post(INTAKE, intake_form(world, **changes)).status_code == 302
    documents = {d.requirement_id: d for d in Dossier.objects.get().documents.select_related("file")}
    assert documents[birth_certificate].file.original_name == "giay-chung-sinh.pdf"
    assert (documents[other].submitted_as, documents[other].copies) == ("certified_copy", 2)


def test_a_missing_required_document_is_refused_on_the_checklist(world):
    birth_certificate = world.documents[0].pk
    response = signed_in("counter").post(
        INTAKE, intake_form(world, **{f"doc-{birth_certificate}-received": None})
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert '<a href="#intake-documents">Missing required document: Giấy chứng sinh.</a>' in html
    assert 'name="applicant.full_name" value="Nguyễn Thị Mai"' in html  # nothing typed is lost
    assert not Dossier.objects.exists()


def test_an_electronic_document_needs_its_scan(world):
    birth_certificate = world.documents[0].pk
    changes = {f"doc-{birth_certificate}-submitted_as": "electronic"}
    response = signed_in("counter").post(INTAKE, intake_form(world, **changes))
    assert response.status_code == 422
    assert f'href="#intake-doc-{birth_certificate}-scan">An electronic document needs its file.' in (
        response.content.decode()
    )


def test_the_form_answers_are_checked_by_the_cases_schema(world):
    response = signed_in("counter").post(INTAKE, intake_form(world, **{"form.child_name": ""}))
    assert response.status_code == 422
    html = response.content.decode()
    assert 'href="#field-form-child_name"' in html and 'id="field-form-child_name"' in html
    assert not Dossier.objects.exists()


def test_an_invalid_id_number_is_shown_on_its_field(world):
    response = signed_in("counter").post(INTAKE, intake_form(world, **{"applicant.id_number": "123"}))
    assert response.status_code == 422
    assert 'href="#intake-applicant-id_number"' in response.content.decode()


def test_asking_to_complete_prints_form_02_and_receives_nothing(world):
    birth_certificate = world.documents[0].pk
    changes = {
        f"doc-{birth_certificate}-received": None,
        "fix_reason": "Hồ sơ chưa đủ thành phần",
        "fix_items": "Bản sao sổ hộ khẩu\n\n",
    }
    response = signed_in("counter").post(INTAKE, intake_form(world, "fix", **changes))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    printed = pdf_text(response.content)
    assert "Giấy chứng sinh" in printed and "Bản sao sổ hộ khẩu" in printed and "Nguyễn Thị Mai" in printed
    assert not Dossier.objects.exists()


def test_refusing_prints_form_03_and_receives_nothing(world):
    client = signed_in("counter")
    response = client.post(INTAKE, intake_form(world, "refuse", refuse_reason=""))
    assert response.status_code == 422
    assert 'href="#intake-refuse_reason"' in response.content.decode()
    response = client.post(INTAKE, intake_form(world, "refuse", refuse_reason="Không thuộc thẩm quyền"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "Không thuộc thẩm quyền" in pdf_text(response.content)
    assert not Dossier.objects.exists()


def test_the_api_takes_how_each_document_was_handed_in(world):
    body = world.intake_body("counter")
    body["documents"][0] |= {"submitted_as": "certified_copy", "copies": 2}
    response = post_json(world.client("counter"), "/api/v1/dossiers", body)
    assert response.status_code == 201, response.content
    assert {"submitted_as": "certified_copy", "copies": 2}.items() <= response.json()["documents"][0].items()
    body = world.intake_body("counter")
    body["documents"][0]["copies"] = 0
    assert post_json(world.client("counter"), "/api/v1/dossiers", body).status_code == 422
