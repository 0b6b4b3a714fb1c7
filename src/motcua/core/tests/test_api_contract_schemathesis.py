"""The API keeps its published contract under generated input (issue 10: "bad input never answers 500").

schemathesis (its Python API) reads the OpenAPI from the live server and, for every operation, sends a bounded
number of generated requests, valid ones and invalid ones, as a staff member and as a citizen, over real HTTP:
no answer may be a 5xx, and every answer must be documented (its status and content type) and match its
documented schema. The run is derandomised, so a failure comes back on the next run, and time-capped.

MOTCUA_CONTRACT_EXAMPLES raises the number of examples per operation for a deeper run by hand.
"""

from __future__ import annotations

import os
import time
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.contract

EXAMPLES = int(os.environ.get("MOTCUA_CONTRACT_EXAMPLES", "8"))
# The whole run stops generating after this long; on two busy cores it takes about a minute.
TIME_CAP_SECONDS = 150
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def _exercise(operation: Any, mode: GenerationMode, base_url: str, session: requests.Session) -> list[str]:
    failures: list[str] = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        try:
            case.call_and_validate(base_url=base_url, session=session, checks=CHECKS, timeout=30)
        except (FailureGroup, AssertionError) as failure:  # the failed checks of one request
            failures.append(f"{mode} {operation.label}: {failure}")

    try:
        run()
    except Unsatisfiable:
        # Nothing about the operation can be invalid (a free-text path parameter): nothing to send.
        assert mode == GenerationMode.NEGATIVE, operation.label
    return failures


@pytest.mark.django_db(transaction=True)
def test_every_operation_keeps_its_contract(live_server, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json")
    operations = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result  # the schema itself is valid
        operations.append(result.ok())
    assert len(operations) >= 20
    started, failures, calls = time.monotonic(), [], 0
    for username in ("counter", "citizen"):
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {world.tokens[username]}"
        for operation in operations:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                if time.monotonic() - started > TIME_CAP_SECONDS:
                    break
                failures += _exercise(operation, mode, live_server.url, session)
                calls += 1
    assert not failures, "\n\n".join(failures)
    # Every operation was tried in both modes as both users before the time cap.
    assert calls == 2 * 2 * len(operations), f"time cap reached after {calls} of {4 * len(operations)} runs"
