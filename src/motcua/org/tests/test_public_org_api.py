import datetime as dt

from motcua.org.constants import UnitLevel
from motcua.org.models import AdministrativeUnit


def test_units_in_force_and_historical(world, client):
    old = AdministrativeUnit.objects.create(
        code="001",
        name="Quận Ba Đình",
        level=UnitLevel.DISTRICT,
        parent=world.province,
        valid_to=dt.date(2025, 6, 30),
    )
    old.successor = world.commune
    old.save()
    codes = {u["code"] for u in client.get("/api/v1/units").json()}
    assert {"01", "00004"} <= codes and "001" not in codes
    historical = {u["code"]: u for u in client.get("/api/v1/units?include_historical=true").json()}
    assert historical["001"]["successor"] == "00004" and historical["001"]["level"] == "district"


def test_agencies_list_identity_codes_and_parents(world, client):
    agencies = {a["identity_code"]: a for a in client.get("/api/v1/agencies").json()}
    assert agencies["000.00.21.H26"]["parent"] == "000.00.00.H26"
    assert agencies["000.00.21.H26"]["administrative_unit"] == "01"
