"""`motcua exchange partner add|list|remove`: partners as data, their credentials never shown back."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from motcua.exchange.models import Partner
from motcua.exchange.partners import partner_presenting
from motcua.org.models import Agency

OUTBOUND = "we-present-this-credential-to-them-1"


def _run(*args: str) -> str:
    out = StringIO()
    call_command("exchange", "partner", *args, stdout=out)
    return out.getvalue()


def test_add_generates_the_inbound_credential_and_list_never_shows_credentials(world, monkeypatch):
    monkeypatch.setenv("MOTCUA_PARTNER_OUTBOUND_CREDENTIAL", OUTBOUND)
    added = _run(
        "add",
        "000.00.01.H27",
        "--inbox-url",
        "https://motcua.example.gov.vn/api/v1/edxml/inbox",
        "--name",
        "Sở Tư pháp tỉnh khác",
        "--administrative-unit",
        world.province.code,
    )
    assert "Partner 000.00.01.H27 added." in added
    generated = added.rsplit(": ", 1)[-1].strip()
    partner = Partner.objects.get()
    assert partner_presenting(generated) == partner
    assert partner.inbound_credential_hash != generated
    assert Agency.objects.get(identity_code="000.00.01.H27").name == "Sở Tư pháp tỉnh khác"

    listed = _run("list")
    assert (
        "000.00.01.H27\tSở Tư pháp tỉnh khác\thttps://motcua.example.gov.vn/api/v1/edxml/inbox\tactive"
        in listed
    )
    assert OUTBOUND not in listed and generated not in listed

    assert "is no longer a partner" in _run("remove", "000.00.01.H27")
    assert not Partner.objects.exists()
    assert Agency.objects.filter(identity_code="000.00.01.H27").exists()


def test_add_again_updates_the_partner(world, monkeypatch):
    monkeypatch.setenv("MOTCUA_PARTNER_OUTBOUND_CREDENTIAL", OUTBOUND)
    monkeypatch.setenv("MOTCUA_PARTNER_INBOUND_CREDENTIAL", "they-present-this-credential-to-us-1")
    code = world.other_commune.identity_code
    assert "added" in _run("add", code, "--inbox-url", "https://a.example/inbox")
    assert "updated" in _run("add", code, "--inbox-url", "https://b.example/inbox")
    assert Partner.objects.get().inbox_url == "https://b.example/inbox"


@pytest.mark.parametrize(
    ("args", "outbound", "message"),
    [
        (["add", "000.00.01.H27", "--inbox-url", "https://x.example/inbox"], "", "MOTCUA_PARTNER_OUTBOUND"),
        (["add", "H27", "--inbox-url", "https://x.example/inbox"], OUTBOUND, "identity_code:"),
        (["add", "000.A1.02.H26", "--inbox-url", "not a url"], OUTBOUND, "inbox_url:"),
        (["add", "000.A1.02.H26", "--inbox-url", "https://x.example/inbox"], "short", "outbound_credential:"),
        (
            ["add", "000.00.01.H27", "--inbox-url", "https://x.example/inbox"],
            OUTBOUND,
            "administrative_unit:",
        ),
        (["remove", "000.00.01.H27"], OUTBOUND, "No partner"),
    ],
)
def test_bad_input_is_a_clear_error_and_writes_nothing(world, monkeypatch, args, outbound, message):
    monkeypatch.setenv("MOTCUA_PARTNER_OUTBOUND_CREDENTIAL", outbound)
    with pytest.raises(CommandError, match=message):
        _run(*args)
    assert not Partner.objects.exists()
    assert not Agency.objects.filter(identity_code="000.00.01.H27").exists()
