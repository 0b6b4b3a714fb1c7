"""Fixtures of the exchange's tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation

from motcua.exchange.models import ProcedureMapping


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The reasons the tests read are the English source texts, whatever the Vietnamese catalogue says; a
    request's page still speaks the language the request asks for."""
    with translation.override("en"):
        yield


@pytest.fixture
def mapped(world):
    """The world's birth registration mapped to its national code, which the sandbox's portal knows."""
    ProcedureMapping.objects.create(procedure=world.procedure, national_code="1.001193")
    return world
