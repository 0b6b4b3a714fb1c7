"""Staff pages of the Decision 766 index, the monthly scorecards (with their .xlsx) and the 9-indicator
evaluation. Thin: a form reads the request, `indicators_input` checks the unit and the period, the services
count; a problem shows beside its field with the service's status (403, 404, 422), never a 500."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from motcua.backoffice.access import scope_unit_choices, staff_required
from motcua.core.errors import DomainError
from motcua.dossiers.selectors import dossier_for
from motcua.stats.evaluation import dossier_evaluation, unit_evaluation
from motcua.stats.index766 import index766
from motcua.stats.indicators_input import (
    asked_agency_ids,
    asked_units,
    parse_days,
    parse_month,
    parse_period,
)
from motcua.stats.scorecards import COLUMN_LABELS, MonthScorecards, cells, month_scorecards, scorecards_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class AskForm(forms.Form):
    """A unit of the user's scope and the page's own period fields; the services check the values."""

    unit = forms.CharField(label=gettext_lazy("Unit"), required=False, widget=forms.Select)

    def __init__(self, data: dict[str, str], units: list[tuple[str, str]], **fields: forms.Field) -> None:
        super().__init__(data)
        self.fields["unit"].widget.choices = units
        self.fields.update(fields)

    def show_problem(self, error: DomainError) -> None:
        for problem in error.errors:
            self.add_error(problem.field if problem.field in self.fields else None, str(problem.message))
        if not error.errors:
            self.add_error(None, str(error.detail or error.title))


def _asked(request: HttpRequest, defaults: dict[str, str], **fields: forms.Field) -> AskForm:
    units = scope_unit_choices(request.user)
    # What the request leaves out takes its default: the user's own unit, this month.
    defaults = {"unit": units[0][0] if units else "", **defaults}
    data = {name: request.GET.get(name, "").strip() or defaults[name] for name in ("unit", *fields)}
    form = AskForm(data, units, **fields)
    form.full_clean()
    return form


def _answer(form: AskForm, compute: Callable[[], Any]) -> tuple[Any, int]:
    """What the form asks for, or None and the status of the refusal, the problem shown on its field."""
    if not form.is_valid():
        return None, 422
    try:
        return compute(), 200
    except DomainError as error:
        form.show_problem(error)
        return None, error.status


def _text_field(label: Any, help_text: Any) -> forms.CharField:
    return forms.CharField(label=label, help_text=help_text, required=False)


@require_GET
@staff_required
def index766_page(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = _asked(
        request,
        {"period": f"{today:%Y-%m}"},
        period=_text_field(
            gettext_lazy("Period"), gettext_lazy("A year (2026), a quarter (2026-Q3) or a month (2026-10).")
        ),
    )

    def compute() -> Any:
        period = parse_period(form.cleaned_data["period"])
        units = asked_units(request.user, form.cleaned_data["unit"])
        return index766(asked_agency_ids(units), period, today)

    result, status = _answer(form, compute)
    context = {
        "form": form,
        "index": result,
        "judged_on": min(result.period.last, today) if result else None,
        "tab": "index766",
    }
    return render(request, "backoffice/stats/index766.html", context, status=status)


def _scorecards(request: HttpRequest) -> tuple[AskForm, MonthScorecards | None, str, int]:
    now = timezone.now()
    today = timezone.localdate(now)
    form = _asked(
        request,
        {"month": f"{today:%Y-%m}"},
        month=forms.CharField(
            label=gettext_lazy("Month"), required=False, widget=forms.TextInput(attrs={"type": "month"})
        ),
    )
    unit_name = ""

    def compute() -> MonthScorecards:
        nonlocal unit_name
        month = parse_month(form.cleaned_data["month"], today)
        units = asked_units(request.user, form.cleaned_data["unit"])
        unit_name = "; ".join(unit.name for unit in units)
        return month_scorecards(asked_agency_ids(units), month, now)

    cards, status = _answer(form, compute)
    return form, cards, unit_name, status


def _scorecards_page(
    request: HttpRequest, form: AskForm, cards: MonthScorecards | None, unit_name: str, status: int
) -> HttpResponse:
    context = {
        "form": form,
        "cards": cards,
        "unit_name": unit_name,
        "columns": [label for _column, label in COLUMN_LABELS],
        "officers": [(line, cells(line.card)) for line in cards.officers] if cards else [],
        "units": [(line, cells(line.card)) for line in cards.units] if cards else [],
        "total": cells(cards.total) if cards else [],
        "download": f"{reverse('stats:scorecards-xlsx')}?{urlencode(form.cleaned_data)}" if cards else "",
        "tab": "scorecards",
    }
    return render(request, "backoffice/stats/scorecards.html", context, status=status)


@require_GET
@staff_required
def scorecards_page(request: HttpRequest) -> HttpResponse:
    return _scorecards_page(request, *_scorecards(request))


@never_cache
@require_GET
@staff_required
def scorecards_file(request: HttpRequest) -> HttpResponse:
    """The scorecards as .xlsx; a request it cannot answer shows the page with the problem."""
    form, cards, unit_name, status = _scorecards(request)
    if cards is None:
        return _scorecards_page(request, form, cards, unit_name, status)
    response = HttpResponse(scorecards_xlsx(cards, unit_name), content_type=XLSX)
    code = form.cleaned_data["unit"] or "tong-hop"
    response["Content-Disposition"] = f'attachment; filename="bang-diem-{code}-{cards.month:%Y-%m}.xlsx"'
    return response


@require_GET
@staff_required
def evaluation_page(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    date_input = forms.TextInput(attrs={"type": "date"})
    form = _asked(
        request,
        {"from": today.replace(day=1).isoformat(), "to": today.isoformat()},
        **{
            "from": forms.CharField(label=gettext_lazy("From"), required=False, widget=date_input),
            "to": forms.CharField(label=gettext_lazy("To"), required=False, widget=date_input),
        },
    )
    code = request.GET.get("dossier", "").strip()
    dossier_problem = ""
    dossier_result = None
    status = 200
    if code:
        try:
            dossier_result = dossier_evaluation(dossier_for(request.user, code), timezone.now())
        except DomainError as error:
            dossier_problem, status = str(error.detail or error.title), error.status

    def compute() -> Any:
        period = parse_days(form.cleaned_data["from"], form.cleaned_data["to"])
        units = asked_units(request.user, form.cleaned_data["unit"])
        subject = "; ".join(unit.name for unit in units)
        return unit_evaluation(asked_agency_ids(units), period, subject)

    result, unit_status = _answer(form, compute)
    context = {
        "form": form,
        "evaluation": result,
        "dossier_code": code,
        "dossier_evaluation": dossier_result,
        "dossier_problem": dossier_problem,
        "tab": "evaluation",
    }
    return render(request, "backoffice/stats/evaluation.html", context, status=max(status, unit_status))
