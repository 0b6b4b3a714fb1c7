"""The national portal's dossiers not taken in are shown to auditors and administrators, with the reason;
other officers are refused, visitors sent to sign in."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from motcua.exchange.models import InboundProblem


def _signed_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


@pytest.fixture
def problems(world) -> list[InboundProblem]:
    now = timezone.now()
    return [
        InboundProblem.objects.create(
            national_code="G22.99-261208-0001",
            procedure_code="1.000894",
            reason="MaTTHC: Không có thủ tục nào được ánh xạ tới mã thủ tục quốc gia 1.000894.",
            first_seen_at=now,
            last_seen_at=now,
            times_seen=3,
        ),
        InboundProblem.objects.create(
            national_code="G22.99-261208-0002",
            procedure_code="1.001193",
            reason="resolved since",
            first_seen_at=now,
            last_seen_at=now,
            resolved_at=now,
        ),
    ]


def test_an_auditor_reads_the_dossiers_not_taken_in_with_their_reason(problems):
    response = _signed_in("auditor").get("/office/exchange/inbound/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "G22.99-261208-0001" in page and "1.000894" in page and "ánh xạ" in page
    assert "G22.99-261208-0002" not in page
    # The menu names the page and how many wait.
    assert "(1)</a>" in page

    resolved = _signed_in("auditor").get("/office/exchange/inbound/?show=resolved").content.decode()
    assert "G22.99-261208-0002" in resolved and "G22.99-261208-0001" not in resolved


def test_an_officer_without_the_role_is_refused_and_a_visitor_sent_to_sign_in(problems):
    refused = _signed_in("specialist").get("/office/exchange/inbound/")
    assert refused.status_code == 403
    assert "G22.99-261208-0001" not in refused.content.decode()
    # Nor does their menu offer it.
    assert "/office/exchange/inbound/" not in _signed_in("specialist").get("/office/").content.decode()

    visitor = Client().get("/office/exchange/inbound/")
    assert visitor.status_code == 302 and "/login" in visitor["Location"]
