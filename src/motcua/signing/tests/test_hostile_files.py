"""Hostile or broken files never make the verifier fail with anything but its own answers: a signed result
with bytes flipped, cut short or spliced is a 4xx problem or a not-valid verdict, never a 500."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.core.errors import DomainError
from motcua.signing.models import SignedResult
from motcua.signing.tests.helpers import issue_with_pdf, online_dossier
from motcua.signing.verification import verify_pdf

EDITS = st.lists(
    st.tuples(st.floats(min_value=0, max_value=1, exclude_max=True), st.binary(min_size=1, max_size=8)),
    min_size=1,
    max_size=4,
)


def test_mutated_results_are_never_valid_and_never_crash(
    world, pki, client, django_capture_on_commit_callbacks
):
    code = online_dossier(world)
    issue_with_pdf(world, django_capture_on_commit_callbacks, code)
    signed = SignedResult.objects.get(dossier__code=code).file.read()

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(edits=EDITS, cut=st.one_of(st.none(), st.integers(min_value=5, max_value=len(signed) - 1)))
    def judge(edits: list[tuple[float, bytes]], cut: int | None) -> None:
        data = bytearray(signed)
        for where, junk in edits:
            at = int(where * len(data))
            data[at : at + len(junk)] = junk
        mutated = bytes(data[:cut] if cut else data)
        if mutated == signed:
            return
        try:
            verdict = verify_pdf(mutated)
        except DomainError as error:
            assert 400 <= error.status < 500
        else:
            assert not verdict.valid

    judge()
    # And through the endpoint, one of each shape, as problem+json or a verdict.
    for data in (signed[: len(signed) // 2], signed.replace(b"/ByteRange", b"/ByteRangX")):
        response = client.post("/api/v1/verify", {"file": SimpleUploadedFile("x.pdf", data)})
        assert response.status_code in (200, 422), response.content
        assert response.status_code == 422 or response.json()["valid"] is False
