"""A citizen downloads everything held about them as a .zip (JSON and files; Law 91/2025), streamed, once per
interval, recorded in the access log; nothing of another citizen is in it; the page shows the retention rule
(issue 10, "Personal data duties": there was no such download before)."""

from __future__ import annotations

import io
import json
import zipfile

import time_machine
from django.http import StreamingHttpResponse

from motcua.conftest import CITIZEN_ID, PDF_BYTES, post_json
from motcua.dossiers.models import Dossier
from motcua.privacy.constants import AccessKind
from motcua.privacy.models import AccessRecord
from motcua.privacy.tests.scenes import online_dossier, signed_in

OTHER_PDF = PDF_BYTES.replace(b"Catalog", b"Catalog /Lang (stranger)")


def download(client):
    response = client.post("/my/data/export.zip")
    assert response.status_code == 200, response.content[:500]
    assert isinstance(response, StreamingHttpResponse)
    return response, zipfile.ZipFile(io.BytesIO(response.getvalue()))


def test_the_archive_holds_my_dossiers_files_drafts_and_who_opened_them(world):
    mine = online_dossier(world)
    signed_in("specialist").get(f"/office/dossiers/{mine}/")
    stranger_body = world.intake_body("stranger", channel="online", receiving_unit=world.centre.identity_code)
    stranger_body["applicant"]["id_number"] = "001092054321"
    stranger_body["applicant"]["full_name"] = "Người Lạ"
    stranger_body["applicant"]["date_of_birth"] = "1992-01-01"
    stranger_body["documents"] = [
        {"requirement": world.documents[0].pk, "file": world.upload("stranger", OTHER_PDF, "la.pdf")}
    ]
    created = post_json(world.client("stranger"), "/api/v1/dossiers", stranger_body)
    assert created.status_code == 201, created.content.decode()
    theirs = created.json()["code"]
    client = signed_in("citizen")
    client.get(f"/procedures/{world.procedure.local_code}/apply/", {"case": "standard"})  # an open draft

    response, archive = download(client)

    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="du-lieu-ca-nhan-')
    assert CITIZEN_ID not in response["Content-Disposition"]
    data = json.loads(archive.read("data.json"))
    assert data["account"]["username"] == "citizen"
    assert data["citizen_profile"]["id_number"] == CITIZEN_ID
    assert [d["code"] for d in data["dossiers"]] == [mine]
    dossier = data["dossiers"][0]
    assert dossier["applicant"]["full_name"] == "Nguyễn Thị Mai" and dossier["form"]["child_name"]
    assert [e["action"] for e in dossier["events"]] == ["submit", "accept"]
    assert dossier["opened_by"][0]["unit"] == "Sở Tư pháp"
    assert len(data["drafts"]) == 1 and data["drafts"][0]["state"] == "open"
    assert {r["kind"] for r in data["retention"]} == {"dossier", "access_log"}
    path = dossier["documents"][0]["file"]["path"]
    assert archive.read(path) == PDF_BYTES
    assert data["missing_files"] == []
    everything = b"".join(archive.read(name) for name in archive.namelist())
    assert theirs.encode() not in everything and "Người Lạ".encode() not in everything
    assert b"001092054321" not in everything and b"stranger" not in everything and OTHER_PDF not in everything


def test_the_download_is_recorded_and_limited_to_one_per_interval(world, settings):
    settings.MOTCUA_SUBJECT_EXPORT_INTERVAL_MINUTES = 30
    code = online_dossier(world)
    client = signed_in("citizen")
    with time_machine.travel("2026-12-01 02:00Z", tick=False):
        download(client)
    record = AccessRecord.objects.get(kind=AccessKind.SUBJECT_EXPORT)
    assert record.dossier_code == code and record.user.username == "citizen"

    with time_machine.travel("2026-12-01 02:20:30Z", tick=False):
        refused = client.post("/my/data/export.zip")
    assert refused.status_code == 429
    assert "in 10 minutes" in refused.content.decode()
    assert AccessRecord.objects.filter(kind=AccessKind.SUBJECT_EXPORT).count() == 1

    with time_machine.travel("2026-12-01 02:30:01Z", tick=False):
        download(client)


def test_a_download_needs_a_post_and_a_signed_in_user(world):
    assert signed_in("citizen").get("/my/data/export.zip").status_code == 405
    anonymous = signed_in("citizen")
    anonymous.logout()
    assert anonymous.post("/my/data/export.zip").status_code == 302


def test_the_page_shows_what_is_held_and_the_retention_rule(world, settings):
    online_dossier(world)
    settings.MOTCUA_RETENTION = {"dossier": {"years": 20, "basis": "Luật Lưu trữ số 33/2024/QH15"}}
    html = signed_in("citizen").get("/my/data/").content.decode()
    assert "1 dossier, with its data" in html
    assert "Kept for 20 years after the dossier is closed" in html
    assert "Luật Lưu trữ số 33/2024/QH15" in html
    assert "not deleted automatically" in html
    assert CITIZEN_ID not in html


def test_a_file_missing_from_storage_is_named_and_the_rest_still_comes(world):
    code = online_dossier(world)
    stored = Dossier.objects.get(code=code).documents.get().file
    assert stored is not None
    stored.file.storage.delete(stored.file.name)
    _, archive = download(signed_in("citizen"))
    data = json.loads(archive.read("data.json"))
    assert data["missing_files"] == [data["dossiers"][0]["documents"][0]["file"]["path"]]
