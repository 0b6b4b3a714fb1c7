"""The catalogue declares each printed form once; forms.toml numbers exactly the declared forms, and a
dossier's history says which of them can be printed."""

from __future__ import annotations

import pytest

from motcua.printing.catalogue import CATALOGUE, SPECS, Audience, printable_forms
from motcua.printing.registry import check_declared, registry


def slugs(actions: set[str]) -> list[str]:
    return [spec.slug for spec in printable_forms(actions)]


def test_the_declarations_and_the_numbering_name_the_same_forms():
    assert {entry.slug for entry in registry()} == set(CATALOGUE)
    assert len(SPECS) == len(CATALOGUE)


@pytest.mark.parametrize(
    ("declared", "message"),
    [
        (["receipt", "receipt"], "'receipt' is declared twice"),
        ([s for s in CATALOGUE if s != "stop"], "unknown form slug 'stop'"),
        ([*CATALOGUE, "invoice"], "no circular numbers the form 'invoice'"),
    ],
)
def test_a_mismatch_between_declarations_and_numbering_stops_the_start(declared, message):
    with pytest.raises(ValueError, match=message):
        check_declared(registry(), declared)


def test_a_dossier_offers_the_forms_its_history_records():
    assert slugs({"submit"}) == []
    assert slugs({"submit", "request_fix"}) == ["supplement"]
    assert slugs({"receive", "forward"}) == ["receipt", "control-slip"]
    assert slugs({"submit", "accept", "request_supplement", "apologise", "stop"}) == [
        "receipt",
        "supplement",
        "apology",
        "stop",
        "control-slip",
    ]
    assert slugs({"submit", "refuse"}) == ["refusal"]


def test_the_tracking_book_is_not_a_dossier_form_and_the_control_slip_is_internal():
    book, slip = CATALOGUE["tracking-book"], CATALOGUE["control-slip"]
    assert book.build is None and book.template_name == "printing/tracking-book.html"
    assert slip.audience is Audience.STAFF
    assert {s.slug for s in SPECS if s.at_counter is not None} == {"supplement", "refusal"}
