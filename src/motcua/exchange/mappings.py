"""The mapping of our procedures and agencies to their codes on the national portal: imported from a CSV file
(`motcua exchange import-mappings`), edited in the admin site, and checked for the procedures left unmapped.

An import is all or nothing: every row is checked first and every problem reported with its row and column;
only a file without any problem is written, in one transaction.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.utils.translation import gettext as _

from motcua.catalog.models import Procedure
from motcua.core.errors import FieldProblem, InvalidInput
from motcua.dossiers.models import Dossier
from motcua.exchange.models import AgencyMapping, ProcedureMapping
from motcua.org.models import Agency

COLUMNS = ("kind", "our_code", "national_code")
PROCEDURE, AGENCY = "procedure", "agency"
# As long as the model's field allows.
NATIONAL_CODE_LENGTH = 64


@dataclass
class ImportSummary:
    created: dict[str, int] = field(default_factory=lambda: {PROCEDURE: 0, AGENCY: 0})
    updated: dict[str, int] = field(default_factory=lambda: {PROCEDURE: 0, AGENCY: 0})
    unchanged: int = 0


@dataclass(frozen=True)
class _Mapping:
    kind: str
    target: Procedure | Agency
    national_code: str


def read_csv(text: str) -> list[dict[str, str]]:
    """The rows of a mapping file (UTF-8 text, a header naming the columns kind, our_code, national_code)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip() for name in reader.fieldnames or []]
    if missing := [name for name in COLUMNS if name not in header]:
        raise InvalidInput.field(
            "header",
            "missing_columns",
            _("The first line must name the columns %(columns)s; missing: %(missing)s.")
            % {"columns": ", ".join(COLUMNS), "missing": ", ".join(missing)},
        )
    return [
        {(key or "").strip(): (value or "").strip() for key, value in row.items() if isinstance(value, str)}
        for row in reader
    ]


def _procedure(our_code: str) -> Procedure | None:
    """By its local code, or by its national code when one procedure only has it."""
    found = Procedure.objects.filter(local_code=our_code).first()
    if found is None:
        candidates = list(Procedure.objects.filter(national_code=our_code)[:2])
        found = candidates[0] if len(candidates) == 1 else None
    return found


def _checked(rows: Iterable[Mapping[str, str]]) -> list[_Mapping]:
    problems: list[FieldProblem] = []
    mappings: list[_Mapping] = []
    seen: dict[tuple[str, int], int] = {}
    # Row 1 is the header: the first mapping is on line 2, as a spreadsheet numbers it.
    for line, row in enumerate(rows, 2):
        kind, our_code, national_code = (row.get(name, "") for name in COLUMNS)
        where = _("line %d") % line
        if kind not in (PROCEDURE, AGENCY):
            problems.append(
                FieldProblem(f"{where}.kind", "invalid", _("Use “procedure” or “agency”, not “%s”.") % kind)
            )
            continue
        if not national_code or len(national_code) > NATIONAL_CODE_LENGTH or " " in national_code:
            problems.append(
                FieldProblem(
                    f"{where}.national_code",
                    "invalid",
                    _("The national code is required, without spaces, at most %d characters.")
                    % NATIONAL_CODE_LENGTH,
                )
            )
        target: Procedure | Agency | None
        if kind == PROCEDURE:
            target = _procedure(our_code)
            unknown = _("No procedure has the code “%s” (its local code, or a national code of one only).")
        else:
            target = Agency.objects.filter(identity_code=our_code).first()
            unknown = _("No agency has the identity code “%s”.")
        if target is None:
            problems.append(FieldProblem(f"{where}.our_code", "unknown", unknown % our_code))
            continue
        if (earlier := seen.setdefault((kind, target.pk), line)) != line:
            problems.append(
                FieldProblem(f"{where}.our_code", "duplicate", _("Already mapped on line %d.") % earlier)
            )
            continue
        mappings.append(_Mapping(kind, target, national_code))
    if problems:
        raise InvalidInput(_("Nothing was imported: the file has problems."), problems)
    return mappings


def import_mappings(rows: Iterable[Mapping[str, str]]) -> ImportSummary:
    """Create or update the mapping of every row (kind, our_code, national_code); every row is checked first
    and nothing is written when one has a problem (InvalidInput naming each line and column)."""
    mappings = _checked(rows)
    summary = ImportSummary()
    with transaction.atomic():
        for mapping in mappings:
            row: ProcedureMapping | AgencyMapping
            if mapping.kind == PROCEDURE:
                row, created = ProcedureMapping.objects.get_or_create(
                    procedure=mapping.target, defaults={"national_code": mapping.national_code}
                )
            else:
                row, created = AgencyMapping.objects.get_or_create(
                    agency=mapping.target, defaults={"national_code": mapping.national_code}
                )
            if created:
                summary.created[mapping.kind] += 1
            elif row.national_code != mapping.national_code:
                row.national_code = mapping.national_code
                row.save(update_fields=["national_code"])
                summary.updated[mapping.kind] += 1
            else:
                summary.unchanged += 1
    return summary


@dataclass(frozen=True)
class UnmappedProcedure:
    local_code: str
    national_code: str
    dossiers: int


def unmapped_procedures() -> list[UnmappedProcedure]:
    """The procedures that have dossiers but no national code: their dossiers are not synchronised."""
    mapped = ProcedureMapping.objects.filter(procedure=OuterRef("pk"))
    with_dossiers = Dossier.objects.filter(procedure_version__procedure=OuterRef("pk"))
    procedures = (
        Procedure.objects.filter(~Exists(mapped), Exists(with_dossiers))
        .annotate(dossiers=Count("versions__dossiers"))
        .order_by("-dossiers", "local_code")
    )
    return [UnmappedProcedure(p.local_code, p.national_code, p.dossiers) for p in procedures]
