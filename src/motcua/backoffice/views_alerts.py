"""The back office's alert pages: an officer's warnings, and a leader's late dossiers owing an apology."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.views.decorators.http import require_GET

from motcua.alerts.selectors import Section, led_unit_ids, missing_apologies, my_warnings, section_counts
from motcua.backoffice.access import staff_required
from motcua.dossiers.timing import remaining_timing, step_remaining_timing

PAGE_SIZE = 50
SECTION_LABELS = {
    Section.OVERDUE: gettext_lazy("Overdue"),
    Section.ESCALATED: gettext_lazy("Escalated to me"),
    Section.DUE_SOON: gettext_lazy("Due soon"),
}


def _tabs(request: HttpRequest, counts: dict[Section, int], current: Section | None) -> list[dict[str, Any]]:
    mine = reverse("alerts:mine")
    tabs = [
        {"label": SECTION_LABELS[s], "count": counts[s], "url": f"{mine}?show={s}", "current": s == current}
        for s in Section
    ]
    if led_unit_ids(request.user):
        tabs.append(
            {
                "label": gettext_lazy("Apologies missing"),
                "count": missing_apologies(request.user, timezone.now()).count(),
                "url": reverse("alerts:apologies"),
                "current": current is None,
            }
        )
    return tabs


def _chosen_section(asked: str | None, counts: dict[Section, int]) -> Section:
    """The section asked for; without a valid choice, the most pressing one that has something in it."""
    if asked in {s.value for s in Section}:
        return Section(asked)
    return next((s for s in Section if counts[s]), Section.OVERDUE)


@require_GET
@staff_required
def mine(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    language = get_language() or "vi"
    counts = section_counts(request.user, now)
    section = _chosen_section(request.GET.get("show"), counts)
    page = Paginator(my_warnings(request.user, section, now), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "warning": warning,
            "timing": step_remaining_timing(warning.step, now, language)
            if warning.step is not None
            else remaining_timing(warning.dossier, now, language),
        }
        for warning in page
    ]
    context = {
        "tabs": _tabs(request, counts, section),
        "section": section,
        "section_label": SECTION_LABELS[section],
        "page": page,
        "rows": rows,
    }
    return render(request, "backoffice/alerts/mine.html", context)


@require_GET
@staff_required
def apologies(request: HttpRequest) -> HttpResponse:
    if not led_unit_ids(request.user):
        return render(request, "backoffice/alerts/not_leader.html", status=403)
    now = timezone.now()
    language = get_language() or "vi"
    page = Paginator(missing_apologies(request.user, now), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "tabs": _tabs(request, section_counts(request.user, now), None),
        "page": page,
        "rows": [{"dossier": d, "timing": remaining_timing(d, now, language)} for d in page],
    }
    return render(request, "backoffice/alerts/apologies.html", context)
