"""Which form, under which circular's numbering, is in force on a day: the registry read from forms.toml.

The circulars renumber and rename forms (DOMAIN.md §3), and a form printed for a past event must carry the
numbering of that day; so every form is looked up by its slug and a date, never by a number written in code.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from motcua.core.errors import NotFound

REGISTRY_FILE = Path(__file__).with_name("forms.toml")
FORM_SLUGS = ("receipt", "supplement", "refusal", "apology", "stop", "control-slip", "tracking-book")


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
            if form["slug"] not in FORM_SLUGS:
                raise ValueError(f"{REGISTRY_FILE.name}: unknown form slug {form['slug']!r}")
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


@functools.cache
def registry() -> tuple[FormTemplate, ...]:
    with REGISTRY_FILE.open("rb") as source:
        entries = _entries(tomllib.load(source))
    _check_no_overlap(entries)
    return tuple(entries)


def form_in_force(slug: str, day: dt.date) -> FormTemplate:
    """The form `slug` as numbered on `day`; NotFound when no circular in force that day has it."""
    if slug not in FORM_SLUGS:
        raise NotFound(_("There is no printed form “%s”.") % slug)
    for entry in registry():
        if entry.slug == slug and entry.in_force_on(day):
            return entry
    raise NotFound(
        _("The form “%(form)s” did not exist on %(day)s under the circular then in force.")
        % {"form": slug, "day": day.strftime("%d/%m/%Y")}
    )
