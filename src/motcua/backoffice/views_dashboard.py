"""The leader's dashboard, which keeps itself current by polling its JSON.

The tables are drawn on the server, so the page reads the same without JavaScript; Chart.js draws the charts
over them when it loads (stats.charts).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from motcua.backoffice.access import is_officer, scope_unit_choices, staff_required
from motcua.core.errors import DomainError, NotAuthenticated, PermissionDenied, problem_response
from motcua.dossiers.inbox import Tab
from motcua.stats.charts import chart_script_url, chart_text
from motcua.stats.dashboards import LeaderDashboard, leader_dashboard, unit_id

DEFAULT_POLL_SECONDS = 20


def poll_seconds() -> float:
    """How often the leader's dashboard asks for fresh figures (MOTCUA_DASHBOARD_POLL_SECONDS)."""
    return float(getattr(settings, "MOTCUA_DASHBOARD_POLL_SECONDS", DEFAULT_POLL_SECONDS))


def _figures_for(request: HttpRequest) -> LeaderDashboard:
    chosen = request.GET.get("unit", "").strip()
    now = timezone.now()
    return leader_dashboard(request.user, [unit_id(chosen)] if chosen else None, timezone.localdate(now), now)


def _inbox(tab: str, **filters: str) -> str:
    return f"{reverse('backoffice:inbox')}?{urlencode({'tab': tab, **filters})}"


def leader_payload(figures: LeaderDashboard) -> dict[str, Any]:
    """The dashboard's JSON, with the inbox tabs that list the dossiers behind each count."""
    payload = figures.as_json()
    payload["updated_at"] = figures.generated_at.strftime("%H:%M:%S")
    payload["inbox"] = {tab: _inbox(tab) for tab in (Tab.DUE_SOON, Tab.OVERDUE, Tab.SUPPLEMENT, Tab.UNIT)}
    for row in payload["deadlines"]:
        row["due_soon_url"] = _inbox(Tab.DUE_SOON, procedure=row["procedure"])
        row["overdue_url"] = _inbox(Tab.OVERDUE, procedure=row["procedure"])
    return payload


@require_GET
@staff_required
def leader_page(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {
        "units": scope_unit_choices(request.user),
        "unit": request.GET.get("unit", "").strip(),
        "chart_text": chart_text(),
        "chart_js": chart_script_url(),
        "poll_seconds": poll_seconds(),
    }
    try:
        figures = _figures_for(request)
    except DomainError as error:
        context["problem"] = error.errors[0].message if error.errors else str(error.detail or error.title)
        return render(request, "backoffice/stats/dashboard.html", context, status=error.status)
    context |= {
        "figures": figures,
        "payload": leader_payload(figures),
        "data_url": f"{reverse('stats:leader-dashboard-data')}?{urlencode({'unit': context['unit']})}",
    }
    return render(request, "backoffice/stats/dashboard.html", context)


@require_GET
def leader_data(request: HttpRequest) -> HttpResponse:
    """The leader's dashboard as JSON for the page's polling (session sign-in); problems as problem+json."""
    try:
        if not request.user.is_authenticated:
            raise NotAuthenticated(_("Sign in as an officer to see the dashboard."))
        if not is_officer(request.user):
            raise PermissionDenied(_("Only officers may see the dashboard."))
        response: HttpResponse = JsonResponse(
            leader_payload(_figures_for(request)), json_dumps_params={"ensure_ascii": False}
        )
    except DomainError as error:
        response = problem_response(error.status, error.problem())
    add_never_cache_headers(response)
    return response
