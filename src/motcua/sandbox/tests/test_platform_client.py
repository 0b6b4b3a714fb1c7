"""The platform's own DVCQG client (motcua.exchange) and the sandbox understand each other: the fixtures other
slices build on (`dvcqg_settings`) give a working portal."""

from __future__ import annotations

import uuid

import pytest

from motcua.catalog.importer import parse_procedure
from motcua.delivery.outbox import Unreachable
from motcua.exchange.dvcqg.client import PortalRefused, portal_client
from motcua.org.constants import AgencyKind
from motcua.org.models import Agency
from motcua.sandbox.testing import running_sandbox

RECORD = {
    "MaHoSo": "000.00.01.H26-261208-0002",
    "MaTTHC": "1.000656",
    "TrangThaiHoSo": "2",
    "NgayTiepNhan": "20261208090000",
}


def test_the_client_synchronises_renews_its_session_and_tells_refusal_from_outage(dvcqg_settings):
    client = portal_client()
    assert client is not None
    answer = client.call("DongBoHoSoMC", {"isUpdating": "false", "data": [RECORD]})
    assert answer == [{"MaHoSo": RECORD["MaHoSo"], "error_code": 0}]

    dvcqg_settings.expire_sessions()
    key = str(uuid.uuid4())
    entry = {"MaHoSo": RECORD["MaHoSo"], "ThoiDiemXuLy": "20261208100000", "NoiDungXuLy": "Thẩm định"}
    client.call("CapNhatTienDoHoSoMC", {"data": [entry]}, idempotency_key=key)
    client.call("CapNhatTienDoHoSoMC", {"data": [entry]}, idempotency_key=key)
    assert dvcqg_settings.dossier(RECORD["MaHoSo"])["progress"] == [entry]

    with pytest.raises(PortalRefused) as refused:
        client.call("DongBoHoSoMC", {"isUpdating": "false", "data": [{**RECORD, "MaTTHC": "9.999999"}]})
    assert [error["field"] for error in refused.value.errors] == ["data[0].MaTTHC"]

    dvcqg_settings.outage(True)
    with pytest.raises(Unreachable):
        client.call("LayDanhSachTTHC", {})


def test_every_procedure_the_portal_knows_reads_with_the_catalogue_importer(dvcqg_settings, world):
    Agency.objects.create(
        identity_code="000.00.41.G01",
        name="Công an Thành phố Hà Nội",
        kind=AgencyKind.SECTOR_OFFICE,
        administrative_unit=world.province,
    )
    client = portal_client()
    assert client is not None
    for listed in client.call("LayDanhSachTTHC", {}):
        [record] = client.call("LayThuTuc", {"maTTHC": listed["MATTHC"]})
        spec = parse_procedure(record, publisher_code=world.city.identity_code)
        assert spec.national_code == listed["MATTHC"] and spec.cases[0].documents


def test_a_portal_on_other_paths_and_credentials_is_reached_through_the_settings(settings):
    with running_sandbox(user="tinh", password="mat-khau", dstcode="H26", auth_path="/dang-nhap") as portal:
        settings.MOTCUA_DVCQG_URL = portal.url
        settings.MOTCUA_DVCQG_USER, settings.MOTCUA_DVCQG_PASSWORD = "tinh", "mat-khau"
        settings.MOTCUA_DVCQG_DSTCODE, settings.MOTCUA_DVCQG_AUTH_PATH = "H26", "/dang-nhap"
        client = portal_client()
        assert client is not None and client.call("LayDanhSachTTHC", {})
        assert portal.requests()["dvcqg"]["services"]["login"] == 1
