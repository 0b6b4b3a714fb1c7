"""The printed forms, one declaration each: what it is called, who may print it, which events of a dossier's
history give it something to print, how it is built and from which template.

Adding a form is one entry here, its builder in forms.py, its template, and its numbering per circular in
forms.toml (the law numbers the forms, not the code: ADR 0005). The declarations and forms.toml are checked
against each other when this module is imported, so a form without a number, or a number for a form nobody
declared, stops the start instead of a print.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from motcua.dossiers.lifecycle import ActionName
from motcua.printing import forms
from motcua.printing.forms import (
    ACCEPTANCE_EVENTS,
    SUPPLEMENT_EVENTS,
    CounterNotice,
    DossierRecord,
    PrintedForm,
)
from motcua.printing.registry import check_declared, registry

# A dossier's form from the dossier's record and the moment it is printed.
DossierBuilder = Callable[[DossierRecord, dt.datetime], PrintedForm]
# What a notice printed at the counter, before any dossier exists, says beyond its head.
CounterBuilder = Callable[[CounterNotice], dict[str, Any]]


class Audience(StrEnum):
    APPLICANT = "applicant"  # the applicant of the dossier, and the officers who may see it
    STAFF = "staff"  # the officers in scope only: the form is internal to the administration


@dataclass(frozen=True)
class PrintedFormSpec:
    slug: str  # names the form in URLs and in forms.toml
    label: Promise  # how the pages offer it
    audience: Audience
    # A dossier's form is printable once its history holds one of these events; empty for other forms.
    printable_after: tuple[str, ...] = ()
    build: DossierBuilder | None = None  # None: not a dossier's form (the tracking book is a unit's)
    at_counter: CounterBuilder | None = None  # also printed at the counter, before anything is received
    template: str = ""  # "printing/<slug>.html" when not given

    @property
    def template_name(self) -> str:
        return self.template or f"printing/{self.slug}.html"


def _of_event(build: Callable[[DossierRecord], PrintedForm]) -> DossierBuilder:
    # A form that prints what one event recorded reads nothing of the moment it is printed.
    return lambda record, _now: build(record)


SPECS = (
    PrintedFormSpec(
        "receipt",
        gettext_lazy("Receipt and appointment slip (form 01)"),
        Audience.APPLICANT,
        printable_after=ACCEPTANCE_EVENTS,
        build=_of_event(forms.receipt),
    ),
    PrintedFormSpec(
        "supplement",
        gettext_lazy("Supplement request (form 02)"),
        Audience.APPLICANT,
        printable_after=SUPPLEMENT_EVENTS,
        build=_of_event(forms.supplement),
        at_counter=forms.supplement_at_counter,
    ),
    PrintedFormSpec(
        "refusal",
        gettext_lazy("Refusal to receive (form 03)"),
        Audience.APPLICANT,
        printable_after=(ActionName.REFUSE,),
        build=_of_event(forms.refusal),
        at_counter=forms.refusal_at_counter,
    ),
    PrintedFormSpec(
        "apology",
        gettext_lazy("Apology and new date (form 04)"),
        Audience.APPLICANT,
        printable_after=(ActionName.APOLOGISE,),
        build=_of_event(forms.apology),
    ),
    PrintedFormSpec(
        "stop",
        gettext_lazy("Notice of stopping the processing"),
        Audience.APPLICANT,
        printable_after=(ActionName.STOP,),
        build=_of_event(forms.stop),
    ),
    PrintedFormSpec(
        "control-slip",
        gettext_lazy("Process control slip"),
        Audience.STAFF,
        printable_after=ACCEPTANCE_EVENTS,
        build=forms.control_slip,
    ),
    PrintedFormSpec("tracking-book", gettext_lazy("Tracking book"), Audience.STAFF),
)
CATALOGUE: dict[str, PrintedFormSpec] = {spec.slug: spec for spec in SPECS}
check_declared(registry(), [spec.slug for spec in SPECS])


def printable_forms(actions: Collection[str]) -> list[PrintedFormSpec]:
    """The dossier's forms that a history with these events gives something to print, in the catalogue's
    order (the order of the circular's annex)."""
    return [
        spec for spec in SPECS if spec.build is not None and any(e in actions for e in spec.printable_after)
    ]
