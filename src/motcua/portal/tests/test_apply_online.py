"""Applying online through the pages: a draft pre-filled from what the portal knows, saved half-typed,
checked with the API's rules, with its documents uploaded, reviewed and submitted exactly once."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from motcua.catalog.constants import OnlineLevel
from motcua.conftest import CITIZEN_ID, PDF_BYTES, post_json
from motcua.core.memo import clear_reference_caches
from motcua.dossiers.models import Dossier, DossierDocument, UploadedFile
from motcua.portal.models import ApplicationDraft, DraftDocument, DraftState


def _client(username: str) -> Client:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(User.objects.get(username=username))
    return client


def _start(client: Client, world, case: str = "standard") -> ApplicationDraft:
    response = client.get(reverse("portal:apply", args=[world.procedure.local_code]), {"case": case})
    assert response.status_code == 302, response.content
    draft = ApplicationDraft.objects.get(state=DraftState.OPEN)
    assert response["Location"] == reverse("portal:application", args=[draft.pk])
    return draft


def _answers(world, **overrides: str) -> dict[str, str]:
    answers = {
        "applicant.kind": "person",
        "applicant.full_name": "Nguyễn Thị Mai",
        "applicant.id_number": CITIZEN_ID,
        "applicant.date_of_birth": "1990-05-04",
        "applicant.phone": "0912345678",
        "applicant.email": "mai@example.vn",
        "applicant.address": "1 Phố Huế, Hà Nội",
        "form.child_name": "Nguyễn Văn Bé",
        "form.child_birth_date": "2026-11-01",
        "form.child_sex": "nam",
        "receiving_unit": world.commune_committee.identity_code,
        "result_delivery": "counter",
    }
    answers.update(overrides)
    return answers


def _post(
    client: Client, draft: ApplicationDraft, intent: str, answers: dict[str, Any], version: int | None = None
):
    body = {**answers, "intent": intent, "version": draft.version if version is None else version}
    return client.post(reverse("portal:application", args=[draft.pk]), body)


def _upload(
    client: Client, draft: ApplicationDraft, requirement: int, content: bytes = PDF_BYTES, name="scan.pdf"
):
    return client.post(
        reverse("portal:application-upload", args=[draft.pk, requirement]),
        {"file": SimpleUploadedFile(name, content)},
        headers={"Accept": "application/json"},
    )


def _ready_draft(client: Client, world) -> ApplicationDraft:
    draft = _start(client, world)
    assert _post(client, draft, "save", _answers(world)).status_code == 302
    assert _upload(client, draft, world.documents[0].pk).status_code == 201
    draft.refresh_from_db()
    return draft


def test_a_file_over_the_size_limit_is_refused(world, settings):
    settings.MOTCUA_MAX_UPLOAD_BYTES = 50
    client = _client("citizen")
    draft = _start(client, world)
    response = _upload(client, draft, world.documents[0].pk)
    assert response.status_code == 413
    assert response.json()["error"] == "The file is 77 bytes; the limit is 50 bytes."
    assert not DraftDocument.objects.exists()


def test_a_new_draft_is_prefilled_with_what_the_portal_knows_and_resumed_later(world):
    earlier = world.intake_body("citizen", channel="online", receiving_unit=world.centre.identity_code)
    assert post_json(world.client("citizen"), "/api/v1/dossiers", earlier).status_code == 201
    client = _client("citizen")

    draft = _start(client, world)
    page = client.get(reverse("portal:application", args=[draft.pk])).content.decode()
    assert 'value="Nguyễn Thị Mai"' in page
    assert f'value="{CITIZEN_ID}"' in page
    assert 'value="1 Phố Huế, Hà Nội"' in page
    assert 'name="form.child_name"' in page and 'name="documents.' in page
    assert draft.answers["applicant.date_of_birth"] == "1990-05-04"

    again = client.get(reverse("portal:apply", args=[world.procedure.local_code]), {"case": "standard"})
    assert again["Location"] == reverse("portal:application", args=[draft.pk])
    assert ApplicationDraft.objects.count() == 1


def test_a_procedure_with_several_cases_asks_which_first(world):
    client = _client("citizen")
    response = client.get(reverse("portal:apply", args=[world.procedure.local_code]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Which case is yours?" in page and "Thông thường" in page and "Trong ngày" in page
    assert not ApplicationDraft.objects.exists()


def test_applying_needs_a_citizen_account_and_an_online_procedure(world):
    login = reverse("portal:apply", args=[world.procedure.local_code])
    assert Client().get(login)["Location"].startswith(reverse("portal:login"))
    staff = _client("counter").get(login, {"case": "standard"})
    assert staff.status_code == 403
    assert "Only a citizen" in staff.content.decode()

    world.version.online_level = OnlineLevel.NONE
    world.version.save()
    clear_reference_caches()
    closed = _client("citizen").get(login, {"case": "standard"})
    assert closed.status_code == 409
    assert "not offered online" in closed.content.decode()
    assert not ApplicationDraft.objects.exists()


def test_saving_a_draft_keeps_invalid_input_as_typed(world):
    client = _client("citizen")
    draft = _start(client, world)
    typed = _answers(world, **{"form.child_name": "X", "applicant.id_number": "12ab", "form.child_sex": ""})

    response = _post(client, draft, "save", typed)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.answers["form.child_name"] == "X"
    assert draft.answers["applicant.id_number"] == "12ab"
    assert draft.version == 2
    page = client.get(response["Location"]).content.decode()
    assert 'value="X"' in page and 'value="12ab"' in page
    assert "Your draft is saved" in page
    assert "error-summary-title" not in page


def test_review_with_a_missing_field_and_document_shows_the_errors_and_creates_nothing(world):
    client = _client("citizen")
    draft = _start(client, world)
    typed = _answers(world, **{"form.child_name": "", "applicant.id_number": "123"})

    response = _post(client, draft, "review", typed)

    assert response.status_code == 422
    page = response.content.decode()
    assert "There is a problem" in page
    assert 'href="#field-form-child_name"' in page
    assert 'id="field-form-child_name-error"' in page and "This field is required." in page
    assert 'aria-describedby="field-applicant-id_number-help field-applicant-id_number-error"' in page
    assert "Missing required document: Giấy chứng sinh." in page
    assert f'href="#field-documents-{world.documents[0].pk}"' in page
    # What was typed is kept, on the page and in the draft.
    assert 'value="123"' in page
    draft.refresh_from_db()
    assert draft.answers["applicant.id_number"] == "123"

    submit = client.post(reverse("portal:application-review", args=[draft.pk]), {"version": draft.version})
    assert submit.status_code == 422
    assert "Missing required document" in submit.content.decode()
    assert not Dossier.objects.exists()
    assert client.get(reverse("portal:application-review", args=[draft.pk]))["Location"].endswith("?check=1")


def test_the_server_applies_the_schema_and_the_intake_rules(world):
    client = _client("citizen")
    draft = _start(client, world)
    typed = _answers(
        world,
        **{
            "form.child_sex": "khac",
            "applicant.date_of_birth": "1991-05-04",
            "applicant.email": "not-an-email",
        },
    )
    page = _post(client, draft, "review", typed).content.decode()
    assert "Must be one of: nam, nu." in page  # the e-form schema
    assert "The number does not match the year of birth." in page  # create_dossier's own check
    assert "Not a valid email." in page


def test_a_file_of_the_wrong_type_is_refused_with_a_message(world):
    client = _client("citizen")
    draft = _start(client, world)
    requirement = world.documents[0].pk

    response = _upload(client, draft, requirement, content=b"MZ\x90\x00 not a document", name="scan.pdf")

    assert response.status_code == 422
    assert "Only PDF, images" in response.json()["error"]
    assert not DraftDocument.objects.exists()

    # Without JavaScript the file comes with the form: the same check, shown on the document's field.
    body = {**_answers(world), "intent": "save", "version": draft.version}
    body[f"documents.{requirement}"] = SimpleUploadedFile("virus.pdf", b"#!/bin/sh\necho hi\n")
    page = client.post(reverse("portal:application", args=[draft.pk]), body)
    assert page.status_code == 422
    assert f'id="field-documents-{requirement}-error"' in page.content.decode()
    assert "Only PDF, images" in page.content.decode()
    assert not DraftDocument.objects.exists()


def test_a_document_is_uploaded_replaced_and_removed(world):
    client = _client("citizen")
    draft = _start(client, world)
    requirement = world.documents[0].pk

    first = _upload(client, draft, requirement, name="giay-chung-sinh.pdf")
    assert first.status_code == 201
    assert "giay-chung-sinh.pdf" in first.json()["html"]
    second = _upload(client, draft, requirement, name="ban-moi.pdf")
    assert "ban-moi.pdf" in second.json()["html"]
    assert DraftDocument.objects.get().file.original_name == "ban-moi.pdf"
    download = client.get(reverse("portal:application-file", args=[draft.pk, requirement]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF_BYTES
    assert (
        _client("stranger").get(reverse("portal:application-file", args=[draft.pk, requirement])).status_code
        == 404
    )

    removed = client.post(
        reverse("portal:application-remove", args=[draft.pk, requirement]),
        headers={"Accept": "application/json"},
    )
    assert removed.status_code == 200 and "ban-moi.pdf" not in removed.json()["html"]
    assert not DraftDocument.objects.exists()


def test_without_javascript_remove_saves_the_answers_first(world):
    client = _client("citizen")
    draft = _start(client, world)
    requirement = world.documents[0].pk
    _upload(client, draft, requirement)
    response = _post(client, draft, f"remove:{requirement}", _answers(world, **{"form.child_name": "Bé Na"}))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.answers["form.child_name"] == "Bé Na"
    assert not DraftDocument.objects.exists()


def test_submitting_twice_creates_exactly_one_dossier(world):
    client = _client("citizen")
    draft = _ready_draft(client, world)

    review = client.get(reverse("portal:application-review", args=[draft.pk]))
    assert review.status_code == 200
    page = review.content.decode()
    assert "Nguyễn Văn Bé" in page and "scan.pdf" in page and "Review your application" in page

    url = reverse("portal:application-review", args=[draft.pk])
    first = client.post(url, {"version": draft.version})
    second = client.post(url, {"version": draft.version})

    submitted = reverse("portal:application-submitted", args=[draft.pk])
    assert first["Location"] == submitted and second["Location"] == submitted
    dossier = Dossier.objects.get()
    draft.refresh_from_db()
    assert (draft.state, draft.dossier_id) == (DraftState.SUBMITTED, dossier.pk)
    assert (dossier.channel, dossier.status, dossier.applicant_user.username) == (
        "online",
        "submitted",
        "citizen",
    )
    assert dossier.receiving_unit_id == world.commune_committee.pk
    assert dossier.form_data == {
        "child_name": "Nguyễn Văn Bé",
        "child_birth_date": "2026-11-01",
        "child_sex": "nam",
    }
    assert DossierDocument.objects.get(dossier=dossier).requirement_id == world.documents[0].pk
    # The submitted draft no longer takes changes; its pages lead to the confirmation.
    assert client.get(reverse("portal:application", args=[draft.pk]))["Location"] == submitted
    assert _post(client, draft, "save", _answers(world))["Location"] == submitted


def test_the_confirmation_shows_the_code_a_qr_code_and_the_lookup_address(world, settings):
    client = _client("citizen")
    draft = _ready_draft(client, world)
    client.post(reverse("portal:application-review", args=[draft.pk]), {"version": draft.version})
    code, key = Dossier.objects.values_list("code", "lookup_key").get()

    page = client.get(reverse("portal:application-submitted", args=[draft.pk])).content.decode()

    assert code in page
    assert f"http://localhost:8000/lookup/{code}/?key={key}" in page and key in page
    assert "<svg" in page and "What happens next" in page
    settings.MOTCUA_PUBLIC_URL = "https://dichvucong.example.vn"
    page = client.get(reverse("portal:application-submitted", args=[draft.pk])).content.decode()
    assert f"https://dichvucong.example.vn/lookup/{code}/?key={key}" in page


def test_another_citizens_application_is_not_found(world):
    draft = _start(_client("citizen"), world)
    stranger = _client("stranger")
    for name in ("portal:application", "portal:application-review", "portal:application-submitted"):
        assert stranger.get(reverse(name, args=[draft.pk])).status_code == 404
    assert _upload(stranger, draft, world.documents[0].pk).status_code == 404
    assert not UploadedFile.objects.exists()


def test_a_draft_can_be_deleted(world):
    client = _client("citizen")
    draft = _start(client, world)
    response = client.post(reverse("portal:application-discard", args=[draft.pk]))
    assert response["Location"] == reverse("portal:my-dossiers")
    assert not ApplicationDraft.objects.exists()
