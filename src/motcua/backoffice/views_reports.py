"""Biểu 06 / 06a on screen: pick a unit, a period (or a standard one) and the rows, read the table, download
it as PDF or .xlsx. Thin: the form reads the request, `reporting` makes the report, a problem shows on its
field (never a 500)."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from motcua.backoffice.access import staff_required
from motcua.core.errors import DomainError
from motcua.org.selectors import agency_by_id, ancestor_ids, scope_agency_ids
from motcua.stats.periods import cutoff_day
from motcua.stats.reporting import (
    COLUMN_COUNT,
    HEADER_ROWS,
    IDENTITY_NOTE,
    NUMBER_HEADING,
    PRESETS,
    ROW_HEADINGS,
    PeriodicReport,
    Preset,
    periodic_report,
    report_pdf,
    standard_period,
    top_units,
    tree_key,
)
from motcua.stats.xlsx_report import report_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
QUERY_FIELDS = ("unit", "from", "to", "by")
PRESET_LABELS = {
    "this_month": gettext_lazy("This month"),
    "last_month": gettext_lazy("Last month"),
    "this_quarter": gettext_lazy("This quarter"),
    "last_quarter": gettext_lazy("Last quarter"),
    "this_half": gettext_lazy("These six months"),
    "last_half": gettext_lazy("The last six months"),
    "this_year": gettext_lazy("This year"),
    "last_year": gettext_lazy("Last year"),
}
BY_CHOICES = [
    ("field", gettext_lazy("By field (Form 06)")),
    ("unit", gettext_lazy("By unit (Form 06a)")),
]
# A unit's depth below the first one shown, as the select indents it.
INDENT = "\u00a0\u00a0\u00a0"


def unit_choices(user: User | AnonymousUser) -> list[tuple[str, str]]:
    """The units the user may report on, as the organisation chart orders them, indented by level; with
    "all of them" first when their roles sit in separate branches."""
    scope = scope_agency_ids(user)
    choices = []
    for agency_id in sorted(scope, key=tree_key):
        depth = sum(1 for a in ancestor_ids(agency_id)[1:] if a in scope)
        agency = agency_by_id(agency_id)
        choices.append((agency.identity_code, INDENT * depth + agency.name))
    if len(top_units(user)) > 1:
        choices.insert(0, ("", str(_("All the units I may see"))))
    return choices


class ReportForm(forms.Form):
    unit = forms.CharField(label=gettext_lazy("Unit"), required=False, widget=forms.Select)
    by = forms.ChoiceField(label=gettext_lazy("Rows"), choices=BY_CHOICES)

    def __init__(self, data: dict[str, str], units: list[tuple[str, str]]) -> None:
        super().__init__(data)
        # The query's names are the API's, and `from` is a Python keyword: these two are declared here.
        date_input = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        self.fields["from"] = forms.DateField(label=gettext_lazy("From"), widget=date_input)
        self.fields["to"] = forms.DateField(label=gettext_lazy("To"), widget=date_input)
        # The service, not the form, says whether a unit exists and whether the user may see it.
        self.fields["unit"].widget.choices = units

    def show_problems(self, error: DomainError) -> None:
        """Put each problem the report raised beside the field it names, the rest at the top."""
        for problem in error.errors:
            self.add_error(problem.field if problem.field in self.fields else None, str(problem.message))
        if not error.errors:
            self.add_error(None, str(error.detail or error.title))


def _form(request: HttpRequest) -> ReportForm:
    """The form bound to what the request asks (a standard period's button fills in its dates), or to this
    month of the user's own unit when it asks nothing."""
    units = unit_choices(request.user)
    query: QueryDict = request.GET
    asked = any(name in query for name in (*QUERY_FIELDS, "period"))
    if asked:
        data = {name: query.get(name, "").strip() for name in QUERY_FIELDS}
        data["by"] = data["by"] or "field"
        preset = query.get("period", "")
    else:
        tops = top_units(request.user)
        data = {"unit": tops[0].identity_code if len(tops) == 1 else "", "by": "field"}
        preset = "this_month"
    if preset in PRESETS:
        period = standard_period(cast(Preset, preset), timezone.localdate())
        data |= {"from": period.first.isoformat(), "to": period.last.isoformat()}
    form = ReportForm(data, units)
    if preset and preset not in PRESETS:
        form.full_clean()
        form.add_error(None, _("There is no standard period called %s.") % preset)
    return form


def _report(request: HttpRequest, form: ReportForm) -> tuple[PeriodicReport | None, int]:
    """The report the valid form asks for, or None and the status of the refusal."""
    if not form.is_valid():
        return None, 422
    data = form.cleaned_data
    try:
        return periodic_report(request.user, data["unit"] or None, data["from"], data["to"], data["by"]), 200
    except DomainError as error:
        form.show_problems(error)
        return None, error.status


def _query(report: PeriodicReport) -> str:
    return urlencode(
        {
            "unit": report.unit.identity_code if report.unit else "",
            "from": report.period.first.isoformat(),
            "to": report.period.last.isoformat(),
            "by": report.by,
        }
    )


def _page(request: HttpRequest, form: ReportForm, report: PeriodicReport | None, status: int) -> HttpResponse:
    query = _query(report) if report else ""
    context = {
        "form": form,
        "report": report,
        "presets": [(name, PRESET_LABELS[name]) for name in PRESETS],
        "number_heading": NUMBER_HEADING,
        "row_heading": ROW_HEADINGS[report.by] if report else None,
        "header_rows": HEADER_ROWS,
        "column_numbers": range(1, COLUMN_COUNT + 1),
        "identity_note": IDENTITY_NOTE,
        "cutoff": cutoff_day(),
        "downloads": {fmt: f"{reverse(f'stats:report-{fmt}')}?{query}" for fmt in ("pdf", "xlsx")}
        if report
        else {},
    }
    return render(request, "backoffice/stats/report.html", context, status=status)


@require_GET
@staff_required
def report_page(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    report, status = _report(request, form)
    return _page(request, form, report, status)


def _pdf(request: HttpRequest, report: PeriodicReport) -> bytes:
    assert isinstance(request.user, User), "staff_required lets signed-in users only"
    return report_pdf(report, request.user)


EXPORTS: dict[str, tuple[Callable[[HttpRequest, PeriodicReport], bytes], str, str]] = {
    "pdf": (_pdf, "application/pdf", "inline"),
    "xlsx": (lambda request, report: report_xlsx(report), XLSX, "attachment"),
}


def _filename(report: PeriodicReport, fmt: str) -> str:
    unit = report.unit.identity_code if report.unit else "tong-hop"
    number = report.form_number.split("/")[0]
    first, last = report.period.first, report.period.last
    return f"bieu-{number}-{unit}-{first:%Y%m%d}-{last:%Y%m%d}.{fmt}"


@never_cache
@require_GET
@staff_required
def report_file(request: HttpRequest, fmt: str) -> HttpResponse:
    """The report as a file; a request it cannot answer shows the page with the problem on its field."""
    form = _form(request)
    report, status = _report(request, form)
    if report is None:
        return _page(request, form, None, status)
    export, content_type, disposition = EXPORTS[fmt]
    response = HttpResponse(export(request, report), content_type=content_type)
    response["Content-Disposition"] = f'{disposition}; filename="{_filename(report, fmt)}"'
    return response
