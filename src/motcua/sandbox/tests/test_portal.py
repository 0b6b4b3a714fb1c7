"""The stand-in national portal, driven as a real process over HTTP exactly as a province's client would."""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from motcua.sandbox.testing import Sandbox, running_sandbox

MADONVI = "000.00.00.H26"
RECEIVED = {
    "MaHoSo": "000.00.01.H26-261208-0001",
    "MaTTHC": "1.001193",
    "TenTTHC": "Thủ tục đăng ký khai sinh",
    "ChuHoSo": "Nguyễn Thị Mai",
    "SoGiayToChuHoSo": "001090012345",
    "TrangThaiHoSo": "2",
    "NgayNopHoSo": "",
    "NgayTiepNhan": "20261208090000",
    "NgayHenTra": "20261209170000",
}
PROGRESS = {
    "MaHoSo": RECEIVED["MaHoSo"],
    "NguoiXuLy": "Lê Văn Thẩm",
    "ChucDanh": "Chuyên viên",
    "ThoiDiemXuLy": "20261208100000",
    "PhongBanXuLy": "Sở Tư pháp",
    "NoiDungXuLy": "Thẩm định hồ sơ",
    "TrangThai": "4",
    "NgayBatDau": "20261208100000",
    "NgayKetThucTheoQuyDinh": "20261209170000",
}


class Portal:
    """A minimal client of the portal's wire protocol (the platform's own client is tested elsewhere)."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.session = ""

    def log_in(self, password: str | None = None, dstcode: str | None = None) -> tuple[int, Any]:
        body = {"username": self.sandbox.user, "password": password or self.sandbox.password}
        status, answer = self.sandbox.request(
            "POST", "/login", body, {"dstcode": dstcode or self.sandbox.dstcode}
        )
        self.session = answer.get("session", "") if isinstance(answer, dict) else ""
        return status, answer

    def call(self, service: str, key: str | None = None, **fields: Any) -> tuple[int, Any]:
        if not self.session:
            self.log_in()
        headers = {"dstcode": self.sandbox.dstcode, **({"Idempotency-Key": key} if key else {})}
        body = {"session": self.session, "madonvi": MADONVI, "service": service, **fields}
        return self.sandbox.request("POST", "/service", body, headers)

    def answer(self, service: str, **fields: Any) -> dict[str, Any]:
        status, answer = self.call(service, **fields)
        assert status == 200, answer
        return dict(answer)


@pytest.fixture
def portal(sandbox: Sandbox) -> Portal:
    return Portal(sandbox)


def synchronise(portal: Portal, *records: dict[str, Any], updating: str = "false") -> dict[str, Any]:
    return portal.answer("DongBoHoSoMC", isUpdating=updating, data=list(records))


def fields_of(answer: dict[str, Any]) -> set[str]:
    return {error["field"] for error in answer["errors"]}


def test_log_in_gives_a_session_and_wrong_credentials_or_dstcode_are_refused(portal):
    status, answer = portal.log_in()
    assert status == 200 and answer["error_code"] == 0 and len(answer["session"]) > 20
    for attempt in ({"password": "wrong"}, {"dstcode": "OTHER"}):
        status, answer = portal.log_in(**attempt)
        assert status == 401
        assert answer == {"error_code": 1, "message": "Sai tên đăng nhập hoặc mật khẩu"}


def test_a_call_without_a_known_session_is_told_the_session_expired(portal):
    portal.session = "made-up"
    assert portal.answer("LayDanhSachTTHC") == {"error_code": -2, "message": "Phiên làm việc hết hạn"}


def test_expired_sessions_must_log_in_again(portal, sandbox):
    assert portal.answer("LayDanhSachTTHC")["error_code"] == 0
    sandbox.expire_sessions()
    assert portal.answer("LayDanhSachTTHC")["error_code"] == -2
    portal.log_in()
    assert portal.answer("LayDanhSachTTHC")["error_code"] == 0


def test_a_session_lives_only_as_long_as_configured():
    with running_sandbox(session_seconds=0.5) as short_lived:
        portal = Portal(short_lived)
        assert portal.answer("LayDanhSachTTHC")["error_code"] == 0
        time.sleep(0.7)
        assert portal.answer("LayDanhSachTTHC")["error_code"] == -2


def test_a_synchronised_dossier_is_held_with_its_last_record(portal, sandbox):
    assert synchronise(portal, RECEIVED) == {
        "error_code": 0,
        "message": "Thành công",
        "result": [{"MaHoSo": RECEIVED["MaHoSo"], "error_code": 0}],
    }
    in_process = {**RECEIVED, "TrangThaiHoSo": "4"}
    assert synchronise(portal, in_process, updating="true")["error_code"] == 0
    held = sandbox.dossier(RECEIVED["MaHoSo"])
    assert held["record"] == in_process and held["madonvi"] == MADONVI
    assert len(held["received_at"]) == 2 and held["progress"] == []
    assert [d["MaHoSo"] for d in sandbox.dossiers()] == [RECEIVED["MaHoSo"]]
    assert sandbox.dossier("000.00.01.H26-261208-9999") is None


def test_an_invalid_record_is_refused_naming_each_field_and_nothing_of_the_batch_is_kept(portal, sandbox):
    wrong = {"MaHoSo": "", "MaTTHC": "9.999999", "TrangThaiHoSo": "11", "NgayHenTra": "2026-12-09"}
    answer = portal.answer("DongBoHoSoMC", isUpdating="maybe", data=[RECEIVED, wrong])
    assert answer["error_code"] == -1
    assert fields_of(answer) == {
        "isUpdating",
        "data[1].MaHoSo",
        "data[1].MaTTHC",
        "data[1].TrangThaiHoSo",
        "data[1].NgayTiepNhan",
        "data[1].NgayHenTra",
    }
    assert "data[1].MaTTHC" in answer["message"]
    assert sandbox.dossiers() == []


def test_a_received_dossier_needs_its_date_of_receipt_but_one_never_received_does_not(portal):
    answer = synchronise(portal, {**RECEIVED, "NgayTiepNhan": ""})
    assert answer["error_code"] == -1 and fields_of(answer) == {"data[0].NgayTiepNhan"}
    for never_received in ("1", "3"):  # filed online; refused at reception
        unreceived = {
            **RECEIVED,
            "TrangThaiHoSo": never_received,
            "NgayTiepNhan": "",
            "NgayNopHoSo": "20261208080000",
        }
        assert synchronise(portal, unreceived)["error_code"] == 0


def test_data_must_be_a_list_of_records(portal):
    answer = portal.answer("DongBoHoSoMC", isUpdating="false", data={"MaHoSo": "x"})
    assert answer["error_code"] == -1 and fields_of(answer) == {"data"}
    answer = portal.answer("DongBoHoSoMC", isUpdating="false", data=[RECEIVED, "x"])
    assert fields_of(answer) == {"data[1]"}


def test_progress_is_refused_before_the_dossier_is_synchronised_then_kept_in_order(portal, sandbox):
    answer = portal.answer("CapNhatTienDoHoSoMC", data=[PROGRESS])
    assert answer["error_code"] == -1 and answer["message"] == "Hồ sơ chưa được đồng bộ"
    synchronise(portal, RECEIVED)
    second = {**PROGRESS, "ThoiDiemXuLy": "20261208110000", "NoiDungXuLy": "Phê duyệt"}
    assert portal.answer("CapNhatTienDoHoSoMC", data=[PROGRESS])["error_code"] == 0
    assert portal.answer("CapNhatTienDoHoSoMC", data=[second])["result"] == [
        {"MaHoSo": RECEIVED["MaHoSo"], "error_code": 0}
    ]
    assert sandbox.dossier(RECEIVED["MaHoSo"])["progress"] == [PROGRESS, second]
    answer = portal.answer("CapNhatTienDoHoSoMC", data=[{**PROGRESS, "ThoiDiemXuLy": "hôm nay"}])
    assert fields_of(answer) == {"data[0].ThoiDiemXuLy"}


def test_look_up_by_code_and_by_range_of_receipt_dates(portal):
    synchronise(portal, RECEIVED)
    assert portal.answer("TraCuuHoSo", MaHoSo=RECEIVED["MaHoSo"])["result"] == RECEIVED
    missing = portal.answer("TraCuuHoSo", MaHoSo="000.00.01.H26-261208-9999")
    assert missing["error_code"] == -1 and missing["message"] == "Không tìm thấy hồ sơ"
    on_the_day = portal.answer("TraCuuHoSo", TuNgay="20261208000000", DenNgay="20261208235959")
    assert on_the_day["result"] == [RECEIVED]
    assert portal.answer("TraCuuHoSo", TuNgay="20261209000000", DenNgay="20261209235959")["result"] == []
    assert fields_of(portal.answer("TraCuuHoSo", TuNgay="20261209")) == {"TuNgay", "DenNgay"}


def test_a_dossier_filed_on_the_portal_comes_back_on_every_fetch_until_the_range_moves(portal, sandbox):
    code = sandbox.submit(NgayNopHoSo="20261208081500", madonvi=MADONVI)
    assert re.fullmatch(r"G22\.99-\d{6}-0001", code)
    sandbox.submit(madonvi="000.00.00.H29")  # another province's: not ours to fetch
    for _attempt in range(3):
        fetched = portal.answer("LayDanhSachHoSoMoi", TuNgay="20261208000000")["result"]
        assert [item["MaHoSo"] for item in fetched] == [code]
    item = fetched[0]
    assert item["SoGiayToChuHoSo"] == "001190054321" and item["TaiKhoanDuocXacThucVoiVNeID"] == "1"
    assert item["LoaiDoiTuong"] == "1" and item["DuLieuBieuMau"]["child_sex"] == "nam"
    assert portal.answer("LayDanhSachHoSoMoi", TuNgay="20261208090000")["result"] == []


def test_filing_on_the_portal_is_validated_field_by_field(sandbox):
    status, answer = sandbox.request(
        "POST",
        "/_sandbox/dvcqg/submit",
        {"MaTTHC": "9.999999", "SoGiayToChuHoSo": "12AB", "LoaiDoiTuong": 3, "NgaySinh": "04/05/1990"},
    )
    assert status == 400 and answer["error_code"] == -1
    assert fields_of(answer) == {
        "MaTTHC",
        "ChuHoSo",
        "SoGiayToChuHoSo",
        "LoaiDoiTuong",
        "NgaySinh",
        "TaiKhoanDuocXacThucVoiVNeID",
    }
    assert sandbox.filed() == []


def test_the_procedure_catalogue(portal):
    listed = portal.answer("LayDanhSachTTHC")["result"]
    codes = {procedure["MATTHC"] for procedure in listed}
    assert {"1.001193", "1.000894", "1.000656", "2.000815", "2.000884", "1.004222"} <= codes
    [birth] = portal.answer("LayThuTuc", maTTHC="1.001193")["result"]
    assert birth["TENTTHC"] == "Thủ tục đăng ký khai sinh"
    assert birth["THANHPHANHOSO"][0]["GIAYTO"][1]["TENGIAYTO"] == "Giấy chứng sinh"
    assert birth["CACHTHUCTHUCHIEN"][0]["THOIGIAN"][0]["PHILEPHI"][0]["SOTIEN"] == "0"
    unknown = portal.answer("LayThuTuc", maTTHC="9.999999")
    assert unknown["error_code"] == -1 and fields_of(unknown) == {"maTTHC"}


def test_an_unknown_service_answers_minus_three(portal):
    answer = portal.answer("XoaHoSo")
    assert answer["error_code"] == -3 and "XoaHoSo" in answer["message"]


def test_a_repeated_idempotency_key_gets_the_first_answer_and_is_not_applied_twice(portal, sandbox):
    synchronise(portal, RECEIVED)
    key = str(uuid.uuid4())
    first = portal.call("CapNhatTienDoHoSoMC", key=key, data=[PROGRESS])
    again = portal.call("CapNhatTienDoHoSoMC", key=key, data=[PROGRESS])
    assert first == again and first[1]["error_code"] == 0
    assert sandbox.dossier(RECEIVED["MaHoSo"])["progress"] == [PROGRESS]
    seen = sandbox.requests()["dvcqg"]
    assert seen["idempotency_keys"] == {key: 2} and seen["replays"] == 1
    assert seen["services"]["CapNhatTienDoHoSoMC"] == 2


def test_a_session_refusal_is_not_remembered_for_the_key(portal, sandbox):
    synchronise(portal, RECEIVED)
    sandbox.expire_sessions()
    key = str(uuid.uuid4())
    assert portal.call("CapNhatTienDoHoSoMC", key=key, data=[PROGRESS])[1]["error_code"] == -2
    portal.log_in()
    assert portal.call("CapNhatTienDoHoSoMC", key=key, data=[PROGRESS])[1]["error_code"] == 0
    assert len(sandbox.dossier(RECEIVED["MaHoSo"])["progress"]) == 1


def test_while_down_every_portal_call_answers_503_and_nothing_is_applied(portal, sandbox):
    portal.log_in()
    session = portal.session
    sandbox.outage(True)
    assert portal.log_in()[0] == 503
    portal.session = session
    status, _answer = portal.call("DongBoHoSoMC", isUpdating="false", data=[RECEIVED])
    assert status == 503
    assert sandbox.dossiers() == [] and sandbox.requests()["dvcqg"]["refused_while_down"] == 2
    sandbox.outage(False)
    portal.log_in()
    assert synchronise(portal, RECEIVED)["error_code"] == 0
    status, answer = sandbox.request("POST", "/_sandbox/dvcqg/outage", {"down": "yes"})
    assert status == 400 and fields_of(answer) == {"down"}


def test_a_body_that_is_not_json_is_refused_as_such(sandbox):
    status, answer = sandbox.request("POST", "/service", "not an object")
    assert status == 400 and fields_of(answer) == {"body"}


def test_a_planted_record_replaces_what_the_portal_holds(portal, sandbox):
    synchronise(portal, RECEIVED)
    sandbox.plant(RECEIVED["MaHoSo"], {**RECEIVED, "TrangThaiHoSo": "10"})
    held = sandbox.dossier(RECEIVED["MaHoSo"])
    assert held["record"]["TrangThaiHoSo"] == "10" and held["madonvi"] == MADONVI
    assert portal.answer("TraCuuHoSo", MaHoSo=RECEIVED["MaHoSo"])["result"]["TrangThaiHoSo"] == "10"


def test_reset_forgets_everything(portal, sandbox):
    synchronise(portal, RECEIVED)
    sandbox.submit()
    sandbox.outage(True)
    sandbox.reset()
    assert sandbox.dossiers() == [] and sandbox.filed() == []
    assert sandbox.requests()["dvcqg"]["services"] == {}
    assert portal.answer("LayDanhSachTTHC")["error_code"] == -2  # sessions forgotten too; and it is up


def test_concurrent_filings_get_distinct_codes(sandbox):
    codes: list[str] = []

    def file_one() -> None:
        codes.append(sandbox.submit())

    threads = [threading.Thread(target=file_one) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(codes)) == 20
    assert sorted(code[-4:] for code in codes) == [f"{n:04d}" for n in range(1, 21)]


def test_the_page_says_it_is_not_the_real_portal_and_escapes_what_it_shows(portal, sandbox):
    synchronise(portal, {**RECEIVED, "ChuHoSo": "<script>alert(1)</script>"})
    portal.answer("CapNhatTienDoHoSoMC", data=[{**PROGRESS, "NoiDungXuLy": "<img src=x onerror=alert(2)>"}])
    sandbox.submit(ChuHoSo='"><b>Trần</b>')
    text = page_text(sandbox)
    assert "<script>alert" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<img" not in text and "&lt;img src=x onerror=alert(2)&gt;" in text
    assert "<b>Trần" not in text and "&quot;&gt;&lt;b&gt;Trần" in text
    assert "001090012345" not in text and "001******345" in text  # ID numbers masked
    assert 'class="not-real"' in text and "08/12/2026 09:00" in text


def test_requests_are_logged_without_personal_data(portal, sandbox):
    synchronise(portal, RECEIVED)
    sandbox.submit()
    page_text(sandbox)
    log = sandbox.log.read_text()
    assert "POST /service 200 DongBoHoSoMC 0" in log and "POST /_sandbox/dvcqg/submit 201" in log
    for personal in ("001090012345", "001190054321", "Nguyễn Thị Mai", "Trần Thị Bình"):
        assert personal not in log


def page_text(sandbox: Sandbox) -> str:
    with urllib.request.urlopen(sandbox.url + "/_sandbox/", timeout=10) as response:
        assert response.headers["Content-Type"] == "text/html; charset=utf-8"
        assert "default-src 'none'" in response.headers["Content-Security-Policy"]
        return str(response.read().decode())


def test_a_body_too_large_or_of_unknown_length_is_refused_without_reading_it(sandbox):
    address = urlsplit(sandbox.url)
    for header, value, status in (
        ("Content-Length", "999999999", 413),
        ("Content-Length", "-5", 400),
        ("Content-Length", "abc", 400),
        ("Transfer-Encoding", "chunked", 411),
    ):
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
        connection.putrequest("POST", "/service")
        connection.putheader(header, value)
        connection.endheaders()
        assert connection.getresponse().status == status
        connection.close()


def test_a_sandbox_stops_when_the_process_that_started_it_ends(tmp_path):
    # A shell starts a sandbox tied to itself, then ends at once: the sandbox must not stay behind.
    log = tmp_path / "sandbox.log"
    starter = subprocess.run(
        ["bash", "-c", f"{sys.executable} -m motcua sandbox --port 0 --parent-pid $$ >{log} 2>&1 & echo $!"],
        capture_output=True,
        text=True,
        check=True,
    )
    sandbox_pid = int(starter.stdout)
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and _alive(sandbox_pid):
            time.sleep(0.2)
        assert not _alive(sandbox_pid), log.read_text()
    finally:
        if _alive(sandbox_pid):
            os.kill(sandbox_pid, signal.SIGTERM)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # An ended child of a shell that ended too is reaped by init; until then it is a zombie, as good as gone.
    return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
