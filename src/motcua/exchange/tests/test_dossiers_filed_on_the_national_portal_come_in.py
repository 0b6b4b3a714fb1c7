"""Dossiers citizens file on the national portal come in through our online intake, once, however often and
however many workers fetch them; what cannot come in is kept for staff with its reason. Against
`motcua sandbox` as a real process."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from motcua.catalog.models import RequiredDocument
from motcua.conftest import PDF_BYTES, act
from motcua.delivery.outbox import deliver_due
from motcua.dossiers.lifecycle import Channel, Status
from motcua.dossiers.models import Dossier, DossierEvent, Origin, UploadedFile
from motcua.exchange.dvcqg.inbound import PORTAL_ACCOUNT, fetch_new_dossiers
from motcua.exchange.dvcqg.tasks import fetch_new_dossiers_task, schedule_fetch
from motcua.exchange.dvcqg.times import portal_time
from motcua.exchange.models import FetchCursor, InboundDocument, InboundProblem, ProcedureMapping
from motcua.sandbox.testing import CITIZEN_FILING


@pytest.fixture
def province(world, dvcqg_settings, settings):
    """The sandbox's portal, which we speak to as the province."""
    settings.MOTCUA_DVCQG_MADONVI = world.city.identity_code
    return dvcqg_settings


@pytest.fixture
def portal(world, province):
    """The sandbox's portal, with the world's birth registration mapped to its national code."""
    ProcedureMapping.objects.create(procedure=world.procedure, national_code="1.001193")
    return province


def _from_the_portal() -> list[Dossier]:
    return list(Dossier.objects.filter(origin=Origin.NATIONAL_PORTAL))


def test_a_dossier_filed_on_the_portal_comes_in_once_as_an_online_submission(world, portal):
    national_code = portal.submit()

    runs = [fetch_new_dossiers() for _ in range(3)]

    [dossier] = _from_the_portal()
    assert [run.created for run in runs] == [[dossier.code], [], []]
    assert [run.known for run in runs] == [0, 1, 1]
    assert (dossier.origin_code, dossier.other_codes) == (national_code, [national_code])
    assert (dossier.status, dossier.channel) == (Status.SUBMITTED, Channel.ONLINE)
    assert dossier.vneid_verified
    assert (dossier.applicant_name, dossier.applicant_id_number) == ("Trần Thị Bình", "001190054321")
    assert dossier.applicant_date_of_birth == dt.date(1990, 5, 4)
    assert dossier.applicant_email == "binh@example.vn"
    assert dossier.form_data == CITIZEN_FILING["DuLieuBieuMau"]
    assert dossier.procedure_version == world.version
    # The portal does not say which of our cases: the procedure's first.
    assert dossier.case == world.version.cases.first()
    # No account of ours filed it: the portal's system account acted, and owns nothing.
    assert dossier.applicant_user is None
    assert dossier.created_by.username == PORTAL_ACCOUNT
    assert not dossier.created_by.has_usable_password()
    assert DossierEvent.objects.filter(dossier=dossier).count() == 1
    assert portal.requests()["dvcqg"]["services"]["LayDanhSachHoSoMoi"] == 3


def test_the_cursor_asks_from_a_margin_before_the_last_filing_taken_in(world, portal, settings):
    settings.MOTCUA_DVCQG_FETCH_OVERLAP_SECONDS = 600
    earlier = timezone.now() - dt.timedelta(hours=2)
    portal.submit(NgayNopHoSo=portal_time(earlier))

    first = fetch_new_dossiers()
    second = fetch_new_dossiers()

    assert first.asked_from is None
    cursor = FetchCursor.objects.get(service="LayDanhSachHoSoMoi")
    assert cursor.filed_up_to == earlier.replace(microsecond=0)
    assert second.asked_from == cursor.filed_up_to - dt.timedelta(minutes=10)
    # The dossier keeps the time it was filed on the portal.
    [dossier] = _from_the_portal()
    assert dossier.submitted_at == earlier.replace(microsecond=0)


def test_a_filing_time_ahead_of_our_clock_does_not_carry_the_cursor_past_later_dossiers(world, portal):
    portal.submit(NgayNopHoSo="20991231235959")
    fetch_new_dossiers()
    moved_to = FetchCursor.objects.get().filed_up_to
    assert moved_to is not None and moved_to <= timezone.now()

    later = portal.submit()
    run = fetch_new_dossiers()

    assert [Dossier.objects.get(code=code).origin_code for code in run.created] == [later]


def test_the_files_attached_on_the_portal_are_kept_as_links(world, portal):
    portal.submit(
        TaiLieuNop=[
            {
                "TenTepDinhKem": "giay-chung-sinh.pdf",
                "MaThanhPhanHoSo": "GCS",
                "DuongDanTaiTepTin": "https://dichvucong.gov.vn/files/gcs.pdf",
            },
            {"TenTepDinhKem": "to-khai.pdf", "DuongDanTaiTepTin": "javascript:alert(1)"},
        ]
    )

    fetch_new_dossiers()

    [dossier] = _from_the_portal()
    kept = InboundDocument.objects.filter(dossier=dossier).order_by("pk")
    assert list(kept.values_list("name", "component_code", "url")) == [
        ("giay-chung-sinh.pdf", "GCS", "https://dichvucong.gov.vn/files/gcs.pdf"),
        ("to-khai.pdf", "", ""),
    ]
    # The officer checking the dossier opens them from its page.
    officer = Client()
    officer.force_login(User.objects.get(username=_counter_of(world, dossier)))
    page = officer.get(f"/office/dossiers/{dossier.code}/").content.decode()
    assert 'href="https://dichvucong.gov.vn/files/gcs.pdf"' in page
    assert "javascript:" not in page


@pytest.fixture
def file_host():
    """The portal's file server: a real HTTP server in a thread, serving PATHS, noting what it was asked."""
    asked: list[str] = []

    class Files(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            body = FILES.get(self.path)
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Files)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_port}", asked
    server.shutdown()
    server.server_close()


FILES = {"/gcs.pdf": PDF_BYTES, "/big.pdf": PDF_BYTES + b"%" * 2000}


def test_a_file_answering_a_required_document_is_downloaded_and_attached_as_it(
    world, portal, settings, file_host
):
    host, asked = file_host
    settings.MOTCUA_DVCQG_FILE_HOSTS = host
    settings.MOTCUA_MAX_UPLOAD_BYTES = 1000
    birth_certificate = world.documents[0]
    # The birth certificate, as a document of the case portal dossiers file under, with its national type.
    RequiredDocument.objects.filter(pk=birth_certificate.pk).update(
        case=world.version.cases.first(), national_doc_type_code="GCS"
    )
    portal.submit(
        TaiLieuNop=[
            {
                "TenTepDinhKem": "gcs.pdf",
                "MaThanhPhanHoSo": "GCS",
                "DuongDanTaiTepTin": f"http://{host}/gcs.pdf",
            },
            {
                "TenTepDinhKem": "big.pdf",
                "MaThanhPhanHoSo": "GCS",
                "DuongDanTaiTepTin": f"http://{host}/big.pdf",
            },
            {
                "TenTepDinhKem": "other.pdf",
                "MaThanhPhanHoSo": "GCS",
                "DuongDanTaiTepTin": "http://other.test/a.pdf",
            },
            {
                "TenTepDinhKem": "note.pdf",
                "MaThanhPhanHoSo": "KHAC",
                "DuongDanTaiTepTin": f"http://{host}/gcs.pdf",
            },
        ]
    )

    fetch_new_dossiers()

    [dossier] = _from_the_portal()
    [attached] = dossier.documents.all()
    assert attached.requirement_id == birth_certificate.pk
    assert UploadedFile.objects.get(attachments=attached).sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    kept = InboundDocument.objects.filter(dossier=dossier).order_by("pk")
    assert [(d.name, d.file_id) for d in kept] == [
        ("gcs.pdf", attached.file_id),
        ("big.pdf", None),  # larger than the limit: a link only
        ("other.pdf", None),  # not the portal's host: never fetched
        ("note.pdf", None),  # answers none of our documents: a link only
    ]
    assert asked == ["/gcs.pdf", "/big.pdf"]


def test_a_dossier_of_a_procedure_we_do_not_map_is_kept_as_a_problem_until_it_is_mapped(world, province):
    national_code = province.submit()

    runs = [fetch_new_dossiers(), fetch_new_dossiers()]

    assert not _from_the_portal()
    assert [run.problems for run in runs] == [[national_code], [national_code]]
    problem = InboundProblem.objects.get(national_code=national_code)
    assert problem.procedure_code == "1.001193"
    assert "MaTTHC" in problem.reason and "1.001193" in problem.reason
    assert (problem.times_seen, problem.resolved_at) == (2, None)
    # The cursor moved past it: it is not asked for on every fetch, only when one looks at its time again.
    assert FetchCursor.objects.get().filed_up_to is not None

    ProcedureMapping.objects.create(procedure=world.procedure, national_code="1.001193")
    again = fetch_new_dossiers(since=problem.filed_at)

    [dossier] = _from_the_portal()
    assert again.created == [dossier.code]
    problem.refresh_from_db()
    assert (problem.dossier, problem.resolved_at is not None) == (dossier, True)


def test_data_our_intake_refuses_is_a_problem_naming_the_portals_field(world, portal):
    # The 4th digit says born in the 21st century, the date of birth says 1990.
    national_code = portal.submit(SoGiayToChuHoSo="001390054321", LoaiDoiTuong="1")

    run = fetch_new_dossiers()

    assert run.problems == [national_code] and not _from_the_portal()
    reason = InboundProblem.objects.get(national_code=national_code).reason
    assert reason.startswith("SoGiayToChuHoSo: ")
    # The reason explains; it does not repeat the personal number.
    assert "001390054321" not in reason


def test_a_dossier_that_cannot_be_created_does_not_hold_up_the_others(world, portal):
    too_long = portal.submit(DiaChi="Số 1 " * 120)
    fine = portal.submit()

    run = fetch_new_dossiers()

    assert run.problems == [too_long]
    assert [d.origin_code for d in _from_the_portal()] == [fine]
    reason = InboundProblem.objects.get(national_code=too_long).reason
    assert reason.startswith("DiaChi: ") and "500" in reason


def test_with_synchronisation_off_nothing_is_fetched(world, sandbox, settings):
    settings.MOTCUA_DVCQG_URL = ""
    sandbox.submit()

    run = fetch_new_dossiers()

    assert run.off and not _from_the_portal()
    assert "LayDanhSachHoSoMoi" not in sandbox.requests()["dvcqg"]["services"]
    assert schedule_fetch() is False
    with pytest.raises(CommandError, match="MOTCUA_DVCQG_URL"):
        call_command("exchange", "fetch")


def test_while_the_portal_is_down_the_fetch_fails_and_the_cursor_stays(world, portal):
    portal.submit()
    portal.outage(True)

    with pytest.raises(CommandError, match="HTTP 503"):
        call_command("exchange", "fetch", stdout=StringIO())

    cursor = FetchCursor.objects.get()
    assert (cursor.filed_up_to, "503" in cursor.last_error) == (None, True)
    portal.outage(False)
    out = StringIO()
    call_command("exchange", "fetch", stdout=out)
    assert "1 created, 0 already here, 0 not taken in." in out.getvalue()
    assert FetchCursor.objects.get().last_error == ""


def _counter_of(world, dossier: Dossier) -> str:
    return "counter" if dossier.receiving_unit == world.centre else "counter_commune"


def test_a_portal_dossier_then_follows_our_lifecycle_and_its_progress_flows_back_under_its_national_code(
    world, portal
):
    national_code = portal.submit()
    fetch_new_dossiers()
    [dossier] = _from_the_portal()

    response = act(world, _counter_of(world, dossier), dossier.code, "accept")

    assert response.status_code == 200, response.content
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED and dossier.due_at is not None
    assert deliver_due().as_dict() == {"delivered": 3, "failed": 0, "dead": 0}
    held = portal.dossier(national_code)
    assert held is not None and portal.dossier(dossier.code) is None
    assert held["record"]["TrangThaiHoSo"] == "2"
    assert held["record"]["MaHoSoKhac"] == dossier.code
    assert [entry["MaHoSo"] for entry in held["progress"]] == [national_code]


@pytest.mark.django_db(transaction=True)
def test_two_fetches_at_once_create_the_dossier_once(world, portal):
    national_codes = [portal.submit() for _ in range(3)]
    barrier = threading.Barrier(2)
    runs = []

    def fetch() -> None:
        try:
            barrier.wait(timeout=30)
            runs.append(fetch_new_dossiers())
        finally:
            connection.close()

    threads = [threading.Thread(target=fetch) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert len(runs) == 2
    assert sorted(d.origin_code for d in _from_the_portal()) == sorted(national_codes)
    assert sum(len(run.created) for run in runs) == 3
    assert sum(run.known for run in runs) == 3


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("_signals_restored")
def test_the_worker_fetches_and_queues_the_next_fetch_an_interval_later(world, portal, settings):
    settings.MOTCUA_DVCQG_FETCH_INTERVAL_SECONDS = 90
    portal.submit()
    out = StringIO()

    call_command("worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0, stdout=out)

    assert "Scheduled the national portal fetch." in out.getvalue()
    fetches = DBTaskResult.objects.filter(task_path=fetch_new_dossiers_task.module_path)
    [done] = fetches.filter(status=TaskResultStatus.SUCCESSFUL)
    assert done.return_value["created"] == [d.code for d in _from_the_portal()]
    [following] = fetches.filter(status=TaskResultStatus.READY)
    assert dt.timedelta(seconds=85) < following.run_after - done.started_at < dt.timedelta(seconds=95)
