"""A PKI of the test's own (EC P-256, made in a temporary directory in milliseconds) and the signing settings
pointing at it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from motcua.signing.pki import ROOT_CERT, AgencyIdentity, ensure_demo_pki


@dataclass(frozen=True)
class TestPki:
    directory: Path
    root: Path


@pytest.fixture
def pki(world, tmp_path, settings) -> TestPki:
    directory = tmp_path / "pki"
    agencies = [AgencyIdentity(a.identity_code, a.name) for a in (world.department, world.other_commune)]
    ensure_demo_pki(directory, agencies)
    settings.MOTCUA_SIGNING_KEYS_DIR = directory
    settings.MOTCUA_SIGNERS = {"keyfile": {}}
    settings.MOTCUA_SIGNING_TRUST_ROOTS = [str(directory / ROOT_CERT)]
    return TestPki(directory, directory / ROOT_CERT)
