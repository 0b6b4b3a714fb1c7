"""The DongBoHoSoMC record and the CapNhatTienDoHoSoMC entry hold the dossier as it stands, in the portal's
codes and date format."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from motcua.conftest import CITIZEN_ID, act, post_json
from motcua.dossiers.models import Dossier, DossierEvent, Origin, UploadedFile
from motcua.exchange.dvcqg.records import (
    ProcedureNotMapped,
    dossier_record,
    portal_date,
    progress_entry,
)
from motcua.exchange.models import AgencyMapping

PORTAL_DATE = re.compile(r"^\d{14}$")


def _received(world) -> Dossier:
    response = post_json(world.client("counter"), "/api/v1/dossiers", world.intake_body("counter"))
    assert response.status_code == 201, response.content
    return Dossier.objects.get(code=response.json()["code"])


def test_portal_dates_are_local_time_without_separators():
    moment = dt.datetime(2026, 12, 8, 1, 2, 3, tzinfo=dt.UTC)
    assert portal_date(moment) == "20261208080203"  # Asia/Ho_Chi_Minh is UTC+7
    assert portal_date(None) == ""


def test_a_counter_intake_is_received_with_its_appointment(mapped):
    dossier = _received(mapped)
    record = dossier_record(dossier)
    assert record["MaHoSo"] == dossier.code
    assert record["MaTTHC"] == "1.001193"
    assert record["TrangThaiHoSo"] == "2"
    assert record["KenhThucHien"] == "1"
    assert record["LoaiDoiTuong"] == "1"
    assert record["SoGiayToChuHoSo"] == CITIZEN_ID
    assert record["ChuHoSo"] == "Nguyễn Thị Mai"
    assert record["TenTTHC"] == "Đăng ký khai sinh"
    assert (record["MaLinhVuc"], record["TenLinhVuc"]) == ("HT", "Hộ tịch")
    assert record["NgayTiepNhan"] == portal_date(dossier.received_at)
    assert record["NgayNopHoSo"] == record["NgayTiepNhan"]
    assert PORTAL_DATE.match(record["NgayHenTra"])
    assert record["NgayHenTra"] == portal_date(dossier.due_at)
    assert record["NgayTra"] == record["NgayTuChoi"] == record["NgayKetThucXuLy"] == ""
    # Without a mapping the competent agency is named by its identity code.
    assert record["DonViXuLy"] == mapped.department.identity_code
    assert record["TaiKhoanDuocXacThucVoiVNeID"] == "0"
    assert record["MaHoSoKhac"] == ""
    [document] = record["TaiLieuNop"]
    assert document["DuocSoHoa"] == "1"
    assert document["TenTepDinhKem"] == "scan.pdf"
    assert record["DanhSachLePhi"] == record["DanhSachHoSoBoSung"] == record["DanhSachGiayToKetQua"] == []


def test_the_agency_mapping_names_the_processing_unit(mapped):
    AgencyMapping.objects.create(agency=mapped.department, national_code="G22.TP")
    assert dossier_record(_received(mapped))["DonViXuLy"] == "G22.TP"


def test_an_unmapped_procedure_has_no_record(world):
    with pytest.raises(ProcedureNotMapped, match=world.procedure.local_code):
        dossier_record(_received(world))


def test_a_dossier_filed_on_the_portal_keeps_the_portal_code(mapped):
    dossier = _received(mapped)
    Dossier.objects.filter(pk=dossier.pk).update(
        origin=Origin.NATIONAL_PORTAL,
        origin_code="G22.99-261208-0001",
        other_codes=["G22.99-261208-0001"],
        vneid_verified=True,
    )
    dossier.refresh_from_db()
    record = dossier_record(dossier)
    assert record["MaHoSo"] == "G22.99-261208-0001"
    assert record["MaHoSoKhac"] == dossier.code
    assert record["TaiKhoanDuocXacThucVoiVNeID"] == "1"


def test_fees_supplements_and_refusal_dates_follow_the_actions(mapped):
    code = _received(mapped).code
    assert act(mapped, "counter", code, "request_payment", amount=50000).status_code == 200
    record = dossier_record(Dossier.objects.get(code=code))
    assert record["TrangThaiHoSo"] == "6"
    [fee] = record["DanhSachLePhi"]
    assert fee["Gia"] == 50000
    assert act(mapped, "counter", code, "record_payment").status_code == 200
    assert act(mapped, "counter", code, "forward").status_code == 200
    response = act(
        mapped,
        "specialist",
        code,
        "request_supplement",
        reason="Thiếu bản sao",
        items=[{"description": "Giấy chứng sinh bản gốc"}],
    )
    assert response.status_code == 200, response.content
    record = dossier_record(Dossier.objects.get(code=code))
    assert record["TrangThaiHoSo"] == "5"
    [supplement] = record["DanhSachHoSoBoSung"]
    assert supplement["NoiDungBoSung"] == "Thiếu bản sao; Giấy chứng sinh bản gốc"
    assert PORTAL_DATE.match(supplement["NgayBoSung"])
    assert supplement["NgayTiepNhanBoSung"] == ""
    assert act(mapped, "leader", code, "stop", reason="Không đủ điều kiện").status_code == 200
    dossier = Dossier.objects.get(code=code)
    record = dossier_record(dossier)
    assert record["TrangThaiHoSo"] == "8"
    assert record["NgayTuChoi"] == record["NgayKetThucXuLy"] == portal_date(dossier.finished_at)


def test_a_progress_entry_says_who_did_what_where(mapped):
    code = _received(mapped).code
    assert act(mapped, "counter", code, "forward", note="Đủ giấy tờ").status_code == 200
    dossier = Dossier.objects.get(code=code)
    event = dossier.events.get(version=dossier.version)
    entry = progress_entry(dossier, event)
    assert entry["MaHoSo"] == code
    assert entry["NguoiXuLy"] == "counter"  # the account has no full name
    assert entry["ChucDanh"] == "Cán bộ tiếp nhận"
    assert entry["PhongBanXuLy"] == mapped.centre.name
    assert entry["NoiDungXuLy"] == "Chuyển bước xử lý tiếp theo: Đủ giấy tờ"
    assert entry["TrangThai"] == "4"
    assert entry["ThoiDiemXuLy"] == entry["NgayBatDau"] == portal_date(event.at)
    assert entry["NgayKetThucTheoQuyDinh"] == portal_date(dossier.due_at)


def test_a_progress_entry_gives_the_reason_of_a_refusal(mapped):
    code = _received(mapped).code
    assert act(mapped, "counter", code, "forward").status_code == 200
    assert act(mapped, "leader", code, "stop", reason="Hồ sơ giả mạo").status_code == 200
    dossier = Dossier.objects.get(code=code)
    entry = progress_entry(dossier, DossierEvent.objects.get(dossier=dossier, version=dossier.version))
    assert entry["NoiDungXuLy"].endswith(": Hồ sơ giả mạo")
    assert entry["TrangThai"] == "8"


def test_an_electronic_result_is_listed_with_an_absolute_link(mapped, settings):
    settings.MOTCUA_PUBLIC_URL = "https://dichvucong.example.vn"
    dossier = _received(mapped)
    result = UploadedFile.objects.get(pk=mapped.upload("leader"))
    Dossier.objects.filter(pk=dossier.pk).update(
        result_file=result, result_number="123/GKS", finished_at=dossier.received_at
    )
    dossier.refresh_from_db()
    [document] = dossier_record(dossier)["DanhSachGiayToKetQua"]
    assert document["MaGiayToKetQua"] == "123/GKS"
    assert document["GiayToId"] == str(result.pk)
    assert (
        document["DuongDanTepTinKetQua"]
        == f"https://dichvucong.example.vn/api/v1/dossiers/{dossier.code}/result"
    )


def test_the_applicant_acting_is_named_as_they_applied(mapped):
    body = mapped.intake_body("citizen", channel="online", result_delivery="online")
    response = post_json(mapped.client("citizen"), "/api/v1/dossiers", body)
    assert response.status_code == 201, response.content
    code = response.json()["code"]
    assert act(mapped, "counter", code, "accept").status_code == 200
    assert act(mapped, "citizen", code, "withdraw").status_code == 200
    dossier = Dossier.objects.get(code=code)
    entry = progress_entry(dossier, dossier.events.get(version=dossier.version))
    assert entry["NguoiXuLy"] == "Nguyễn Thị Mai"
    assert entry["ChucDanh"] == entry["PhongBanXuLy"] == ""
    assert entry["TrangThai"] == "7"


def test_an_apology_entry_gives_the_reason_and_the_new_date_in_local_time(mapped):
    code = _received(mapped).code
    assert act(mapped, "counter", code, "forward").status_code == 200
    promised = (timezone.localtime() + dt.timedelta(days=30)).replace(
        hour=9, minute=30, second=0, microsecond=0
    )
    response = act(
        mapped, "leader", code, "apologise", reason="Chờ xác minh", new_appointment=promised.isoformat()
    )
    assert response.status_code == 200, response.content
    dossier = Dossier.objects.get(code=code)
    entry = progress_entry(dossier, dossier.events.get(version=dossier.version))
    assert entry["NoiDungXuLy"].endswith(f": Chờ xác minh; {promised.strftime('%d/%m/%Y')} 09:30")
    # The appointment the portal judges lateness by is still the first one (DOMAIN.md §2.4).
    assert entry["NgayKetThucTheoQuyDinh"] == portal_date(dossier.due_at)
