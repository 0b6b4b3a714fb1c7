"""Which form, under which circular's numbering, is in force on a day: the registry read from forms.toml.

The circulars renumber and rename forms (DOMAIN.md §3), and a form printed for a past event must carry the
numbering of that day; so every form is looked up by its slug and a date, never by a number written in code.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from motcua.core.errors import NotFound
from motcua.core.toml_config import toml_config

REGISTRY_FILE = Path(__file__).with_name("forms.toml")


@dataclass(frozen=True)
class FormTemplate:
    """One form as one circular numbers it, in force from `valid_from` to `valid_to` (inclusive)."""

    slug: str
    circular: str
    number: str
    title: str
    page: str
    valid_from: dt.date
    valid_to: dt.date | None
    reference: str = ""
    variant: str = ""

    @property
    def label(self) -> str:
        return f"Mẫu số {self.number}"

    def in_force_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


def _entries(data: dict[str, Any]) -> list[FormTemplate]:
    entries = []
    for circular in data["circular"]:
        for form in circular["form"]:
            entries.append(
                FormTemplate(
                    slug=form["slug"],
                    circular=circular["number"],
                    number=form["number"],
                    title=form["title"],
                    page=form["page"],
                    valid_from=circular["valid_from"],
                    valid_to=circular.get("valid_to"),
                    reference=form.get("reference", ""),
                    variant=form.get("variant", ""),
                )
            )
    return entries


def _check_no_overlap(entries: list[FormTemplate]) -> None:
    """Two entries of one form in force on the same day would make the numbering ambiguous."""
    by_slug: dict[str, list[FormTemplate]] = {}
    for entry in entries:
        by_slug.setdefault(entry.slug, []).append(entry)
    for slug, versions in by_slug.items():
        versions.sort(key=lambda e: e.valid_from)
        for earlier, later in itertools.pairwise(versions):
            if earlier.valid_to is None or earlier.valid_to >= later.valid_from:
                raise ValueError(
                    f"{REGISTRY_FILE.name}: {slug} of {earlier.circular} overlaps {later.circular}"
                )


def _parse(data: dict[str, Any]) -> tuple[FormTemplate, ...]:
    entries = _entries(data)
    _check_no_overlap(entries)
    return tuple(entries)


registry = toml_config(REGISTRY_FILE, _parse)


def check_declared(entries: Sequence[FormTemplate], declared: Sequence[str]) -> None:
    """The forms the code declares (printing/catalogue.py) and those the file numbers are the same forms:
    ValueError naming the first one declared twice, numbered but not declared, or declared but never
    numbered."""
    seen: set[str] = set()
    for slug in declared:
        if slug in seen:
            raise ValueError(f"the printed form {slug!r} is declared twice")
        seen.add(slug)
    numbered = {entry.slug for entry in entries}
    if undeclared := sorted(numbered - seen):
        raise ValueError(f"{REGISTRY_FILE.name}: unknown form slug {undeclared[0]!r}")
    if unnumbered := sorted(seen - numbered):
        raise ValueError(f"{REGISTRY_FILE.name}: no circular numbers the form {unnumbered[0]!r}")


def form_in_force(slug: str, day: dt.date) -> FormTemplate:
    """The form `slug` as numbered on `day`; NotFound when no circular in force that day has it."""
    for entry in registry():
        if entry.slug == slug and entry.in_force_on(day):
            return entry
    raise NotFound(
        _("The form “%(form)s” did not exist on %(day)s under the circular then in force.")
        % {"form": slug, "day": day.strftime("%d/%m/%Y")}
    )
