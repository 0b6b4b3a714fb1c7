"""The platform's own DVCQG client (motcua.exchange) and the sandbox understand each other: the fixtures other
slices build on (`dvcqg_settings`) give a working portal."""

from __future__ import annotations

import uuid

import pytest

from motcua.delivery.outbox import Unreachable
from motcua.exchange.dvcqg.client import PortalRefused, portal_client

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
