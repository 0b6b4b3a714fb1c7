"""A plugin registry: plugins registered by key, switched on with typed options by a setting, looked up,
listed, and swapped for a fake in a test; every mistake is an error that says what is wrong."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from pydantic import BaseModel, ConfigDict

from motcua.core.plugins import Plugin, Registry, UnknownPlugin


class CarrierOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    api_url: str
    timeout_seconds: int = 10


class Carrier(Plugin[CarrierOptions]):
    options_model = CarrierOptions

    def ship(self, parcel: str) -> str:
        return f"{self.key} ships {parcel} via {self.options.api_url}"


@pytest.fixture
def carriers() -> Registry[Carrier]:
    registry: Registry[Carrier] = Registry("carrier", "MOTCUA_TEST_CARRIERS")

    @registry.register("vnpost")
    class VNPost(Carrier):
        pass

    @registry.register("viettel")
    class ViettelPost(Carrier):
        pass

    return registry


def test_the_setting_switches_plugins_on_with_their_typed_options(carriers, settings):
    settings.MOTCUA_TEST_CARRIERS = {"vnpost": {"api_url": "https://vnpost.example", "timeout_seconds": "30"}}

    assert list(carriers) == ["vnpost", "viettel"]
    assert "vnpost" in carriers and "ghn" not in carriers
    vnpost = carriers.get("vnpost")
    assert vnpost is not None
    assert vnpost.options == CarrierOptions(api_url="https://vnpost.example", timeout_seconds=30)
    assert vnpost.ship("P1") == "vnpost ships P1 via https://vnpost.example"
    assert carriers.get("viettel") is None, "registered but not switched on"
    assert list(carriers.enabled()) == ["vnpost"]
    assert carriers.problems() == []


def test_a_key_is_registered_once(carriers):
    with pytest.raises(ValueError, match="Two carriers are registered as 'vnpost'"):

        @carriers.register("vnpost")
        class Another(Carrier):
            pass


def test_an_unknown_key_names_the_known_ones(carriers, settings):
    with pytest.raises(UnknownPlugin, match="no carrier 'ghn'; the known ones are 'vnpost', 'viettel'"):
        carriers.get("ghn")
    settings.MOTCUA_TEST_CARRIERS = {"ghn": {}}
    with pytest.raises(ImproperlyConfigured, match="MOTCUA_TEST_CARRIERS names 'ghn', which is no carrier"):
        carriers.enabled()


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({}, "api_url: Field required"),
        ({"api_url": "https://x", "timeout_seconds": "soon"}, "timeout_seconds: Input should be a valid int"),
        ({"api_url": "https://x", "timout_seconds": 5}, "timout_seconds: Extra inputs are not permitted"),
    ],
)
def test_wrong_options_name_the_setting_the_plugin_and_the_field(carriers, settings, options, field):
    settings.MOTCUA_TEST_CARRIERS = {"vnpost": options}
    with pytest.raises(ImproperlyConfigured, match=r"MOTCUA_TEST_CARRIERS\['vnpost'\]") as raised:
        carriers.get("vnpost")
    assert field in str(raised.value)
    assert carriers.problems() == [str(raised.value)]


def test_a_setting_of_the_wrong_shape_is_reported(carriers, settings):
    settings.MOTCUA_TEST_CARRIERS = ["vnpost"]
    assert carriers.problems() == ["MOTCUA_TEST_CARRIERS maps each carrier that is on to its options."]
    settings.MOTCUA_TEST_CARRIERS = {"vnpost": "https://x"}
    assert carriers.problems() == ["MOTCUA_TEST_CARRIERS['vnpost'] is a mapping of option to value."]


def test_a_test_replaces_a_plugin_and_gets_the_original_back(carriers, settings):
    settings.MOTCUA_TEST_CARRIERS = {"vnpost": {"api_url": "https://vnpost.example"}}
    original = carriers.plugin_class("vnpost")

    class FakeVNPost(Carrier):
        def ship(self, parcel: str) -> str:
            return f"pretended to ship {parcel}"

    with carriers.replaced("vnpost", FakeVNPost):
        fake = carriers.get("vnpost")
        assert isinstance(fake, FakeVNPost)
        assert fake.options.api_url == "https://vnpost.example", "the fake gets the configured options"
        assert fake.ship("P1") == "pretended to ship P1"
    assert carriers.plugin_class("vnpost") is original

    with pytest.raises(RuntimeError), carriers.replaced("vnpost", FakeVNPost):
        raise RuntimeError
    assert carriers.plugin_class("vnpost") is original
    with pytest.raises(UnknownPlugin), carriers.replaced("ghn", FakeVNPost):
        pass
