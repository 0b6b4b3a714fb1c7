"""Public pages of the portal: home, the procedure catalogue, one procedure's sheet, and the dossier lookup.

No sign-in is needed for any of them. The lookup shows what the JSON lookup shows, minus the applicant: the
status, the procedure and the dates, never a name, number or address; and only to whoever also gives the
lookup key printed on the receipt (ADR 0014).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from motcua.catalog.constants import OnlineLevel, ProcedureLevel
from motcua.catalog.models import Case, Fee, ProcedureVersion
from motcua.core.errors import NotFound, TooManyRequests
from motcua.core.identifiers import normalised_lookup_key
from motcua.core.throttle import throttle
from motcua.dossiers.lifecycle import national_code
from motcua.dossiers.selectors import dossier_by_lookup
from motcua.org.selectors import agency_by_id
from motcua.portal import selectors
from motcua.worktime.constants import DurationUnit

PAGE_SIZE = 20
MAX_QUERY_LENGTH = 200
# Characters a dossier code is made of ({identity code}-{yyMMdd}-{NNNN}); anything else cannot name one.
DOSSIER_CODE_RE = re.compile(r"^[0-9A-Z.\-]{1,64}$")
ONLINE_BADGE = {OnlineLevel.FULL: "badge-ok", OnlineLevel.PARTIAL: "", OnlineLevel.NONE: "badge-muted"}


def duration_text(value: int, unit: str) -> str:
    """A processing time in plain words: "5 working days", "8 working hours", "15 days"."""
    if unit == DurationUnit.WORKING_HOURS:
        return ngettext("%(count)d working hour", "%(count)d working hours", value) % {"count": value}
    if unit == DurationUnit.DAYS:
        return ngettext("%(count)d day", "%(count)d days", value) % {"count": value}
    if unit == DurationUnit.NONE:
        return _("no appointment date: the result is given on the spot")
    return ngettext("%(count)d working day", "%(count)d working days", value) % {"count": value}


def money_text(amount: int) -> str:
    """Whole đồng with the language's thousands separator: "50.000 đ" in Vietnamese, "50,000 đ" in English."""
    if amount == 0:
        return _("Free")
    grouped = f"{amount:,}".replace(",", str(get_format("THOUSAND_SEPARATOR")))
    return _("%(amount)s đ") % {"amount": grouped}


def case_time_text(case: Case) -> str:
    return duration_text(case.time_value, case.time_unit)


def version_time_text(version: ProcedureVersion) -> str:
    """The processing time of a procedure: one text, or each case's when the cases differ."""
    texts = list(dict.fromkeys(case_time_text(case) for case in version.cases.all()))
    if len(texts) == 1:
        return texts[0]
    if not texts:
        return _("not published")
    return _("%(times)s, depending on the case") % {"times": ", ".join(texts)}


@dataclass(frozen=True)
class Tile:
    """A procedure as a search result shows it."""

    code: str
    name: str
    field_name: str
    level: str
    time: str
    online_level: str
    online_badge: str


def _tile(version: ProcedureVersion) -> Tile:
    return Tile(
        code=version.procedure.local_code,
        name=version.name,
        field_name=version.field.name,
        level=str(version.get_level_display()),
        time=version_time_text(version),
        online_level=str(version.get_online_level_display()),
        online_badge=ONLINE_BADGE.get(OnlineLevel(version.online_level), ""),
    )


def _level_name(level: str) -> str:
    return str(ProcedureLevel(level).label) if level in ProcedureLevel.values else level


def _level_facets(day: dt.date) -> list[selectors.Facet]:
    return [selectors.Facet(f.value, _level_name(f.value), f.procedures) for f in selectors.level_facets(day)]


def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "fields": selectors.field_facets(today),
        "levels": _level_facets(today),
        "popular": selectors.most_used_procedures(),
    }
    return render(request, "portal/public/home.html", context)


def procedures(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    field, level = request.GET.get("field", ""), request.GET.get("level", "")
    page = Paginator(selectors.catalogue_page(q, field, level), PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    context = {
        "q": q,
        "field": field,
        "level": level,
        "fields": selectors.field_facets(today),
        "levels": _level_facets(today),
        "page": page,
        "tiles": [_tile(v) for v in page.object_list],
        "query_without_page": _query_without_page(request),
    }
    return render(request, "portal/public/procedures.html", context)


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@dataclass(frozen=True)
class FeeLine:
    kind: str
    amount: str
    online_amount: str | None
    unit: str
    description: str
    exemptions: str


def _fee_line(fee: Fee) -> FeeLine:
    online = None
    if fee.online_amount is not None and fee.online_amount != fee.amount:
        online = money_text(fee.online_amount)
    return FeeLine(
        str(fee.get_kind_display()),
        money_text(fee.amount),
        online,
        fee.unit,
        fee.description,
        fee.exemptions,
    )


@dataclass(frozen=True)
class CaseSheet:
    case: Case
    time: str
    online_time: str | None
    fees: list[FeeLine]


def _case_sheet(case: Case) -> CaseSheet:
    online_time = None
    if case.online_time_value is not None:
        online_time = duration_text(case.online_time_value, case.online_time_unit)
    return CaseSheet(case, case_time_text(case), online_time, [_fee_line(f) for f in case.fees.all()])


def _legal_basis(version: ProcedureVersion) -> list[dict[str, Any]]:
    """The legal texts with their dates read as dates, so the page writes them in the reader's format."""
    texts = []
    for text in version.legal_basis:
        try:
            day = dt.date.fromisoformat(str(text.get("date", "")))
        except ValueError:
            day = None
        texts.append({"number": text.get("number", ""), "name": text.get("name", ""), "date": day})
    return texts


def procedure(request: HttpRequest, code: str) -> HttpResponse:
    version = selectors.procedure_sheet(code)
    if version is None:
        message = _("No procedure in force has the code %(code)s.") % {"code": code}
        return render(request, "portal/public/not_found.html", {"message": message}, status=404)
    cases = [_case_sheet(case) for case in version.cases.all()]
    forms = [doc for sheet in cases for doc in sheet.case.documents.all() if doc.template_url]
    context = {
        "version": version,
        "cases": cases,
        "several_cases": len(cases) > 1,
        "time": version_time_text(version),
        "receiving_units": list(version.receiving_units.all()) or [version.competent_agency],
        "accepts_online": selectors.accepts_online(version),
        "online_badge": ONLINE_BADGE.get(OnlineLevel(version.online_level), ""),
        "legal_basis": _legal_basis(version),
        "forms": forms,
    }
    return render(request, "portal/public/procedure.html", context)


def _normalized_code(text: str) -> str:
    return text.strip().upper()


def _lookup_form(
    request: HttpRequest, code: str, key: str, errors: dict[str, str] | None = None, status: int = 200
) -> HttpResponse:
    context = {"code": code, "key": key, "errors": errors or {}}
    return render(request, "portal/public/lookup.html", context, status=status)


def lookup(request: HttpRequest) -> HttpResponse:
    """The lookup form: the dossier code and the lookup key of the receipt go on to the result page, which the
    receipt's QR code opens with both."""
    code = _normalized_code(request.GET.get("code", ""))
    key = normalised_lookup_key(request.GET.get("key", ""))
    if "code" not in request.GET:
        return _lookup_form(request, code, key)
    errors = {}
    if not code:
        errors["code"] = _("Enter the dossier code printed on your receipt.")
    elif not DOSSIER_CODE_RE.match(code):
        errors["code"] = _(
            "A dossier code is made of letters, digits, dots and hyphens, like %(example)s."
        ) % {"example": "000.00.01.H26-250701-0001"}
    if not key:
        errors["key"] = _("Enter the lookup key printed on your receipt, beside the dossier code.")
    if errors:
        return _lookup_form(request, code, key, errors, status=400)
    return redirect(f"{reverse('portal:lookup-code', kwargs={'code': code})}?{urlencode({'key': key})}")


@dataclass(frozen=True)
class PublicStatus:
    """What anyone holding the code may know of a dossier: nothing that names or reaches the applicant."""

    code: str
    status: str
    national_status: int
    procedure_code: str
    procedure_name: str
    receiving_unit: str
    received_at: dt.datetime | None
    appointment_at: dt.datetime | None
    rescheduled: bool
    finished_at: dt.datetime | None
    returned_at: dt.datetime | None


def _public_status(code: str, key: str) -> PublicStatus:
    dossier = dossier_by_lookup(code, key)
    return PublicStatus(
        code=dossier.code,
        status=str(dossier.get_status_display()),
        national_status=national_code(dossier.status),
        procedure_code=dossier.procedure_version.procedure.local_code,
        procedure_name=dossier.procedure_version.name,
        receiving_unit=agency_by_id(dossier.receiving_unit_id).name,
        received_at=dossier.received_at,
        appointment_at=dossier.new_appointment_at or dossier.due_at,
        rescheduled=dossier.new_appointment_at is not None,
        finished_at=dossier.finished_at,
        returned_at=dossier.returned_at,
    )


def lookup_code(request: HttpRequest, code: str) -> HttpResponse:
    """One dossier's status, for whoever holds both its code and its lookup key (ADR 0014). Without the key
    the page only asks for it: nothing tells whether the code exists. Lookups are limited per client."""
    key = normalised_lookup_key(request.GET.get("key", ""))
    if not key:
        return _lookup_form(request, code if DOSSIER_CODE_RE.match(code) else "", "")
    try:
        throttle(request, "lookup", settings.MOTCUA_LOOKUP_LIMIT, settings.MOTCUA_LOOKUP_WINDOW_SECONDS)
    except TooManyRequests as refused:
        response = _lookup_form(request, code, key, {"key": str(refused.detail)}, status=429)
        response["Retry-After"] = str(refused.retry_after)
        return response
    # The code is taken as written, as the JSON lookup takes it; only the form forgives case and spaces.
    try:
        found = _public_status(code, key) if DOSSIER_CODE_RE.match(code) else None
    except NotFound:
        found = None
    if found is None:
        error = _("No dossier has this code and lookup key. Check both on your receipt and try again.")
        return _lookup_form(request, code, key, {"key": error}, status=404)
    return render(request, "portal/public/lookup_result.html", {"dossier": found})
