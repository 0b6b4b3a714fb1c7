"""The public dashboard (no sign-in) and the leader's dashboard, which keeps itself current by polling its
JSON.

Both pages draw their tables on the server, so they read the same without JavaScript; Chart.js, served from
node_modules through staticfiles, draws the charts over them when it loads.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from motcua.backoffice.access import is_officer, scope_unit_choices, staff_required
from motcua.core.errors import DomainError, NotAuthenticated, PermissionDenied, problem_response
from motcua.dossiers.inbox import Tab
from motcua.org.models import Agency
from motcua.org.selectors import agency_by_code, subtree_ids
from motcua.stats.dashboards import (
    LeaderDashboard,
    PublicDashboard,
    leader_dashboard,
    public_dashboard,
    unit_id,
)

CHART_JS = "vendor/chartjs/chart.umd.min.js"
# The public figures are computed at most once a minute per agency and language, whatever the traffic.
PUBLIC_CACHE_SECONDS = 60
DEFAULT_POLL_SECONDS = 20


def poll_seconds() -> float:
    """How often the leader's dashboard asks for fresh figures (MOTCUA_DASHBOARD_POLL_SECONDS)."""
    return float(getattr(settings, "MOTCUA_DASHBOARD_POLL_SECONDS", DEFAULT_POLL_SECONDS))


def chart_script_url() -> str:
    """Chart.js's address when it is installed (`npm ci`), else "": the pages then show only their tables,
    and no page fails for want of a file the manifest of collected static files lacks."""
    if not (finders.find(CHART_JS) or staticfiles_storage.exists(CHART_JS)):
        return ""
    try:
        return static(CHART_JS)
    except ValueError:
        return ""


def chart_text() -> dict[str, str]:
    """The words the charts draw (legends, axes), in the page's language."""
    return {
        "counter": _("At the counter"),
        "online": _("Online"),
        "post": _("By post"),
        "early": _("Early"),
        "on_time": _("On time"),
        "late": _("Late"),
        "on_time_rate": _("Resolved on time (%)"),
        "very_satisfied": _("Very satisfied"),
        "satisfied": _("Satisfied"),
        "dissatisfied": _("Dissatisfied"),
        "satisfied_share": _("Satisfied (%)"),
        "dossiers": _("Dossiers"),
        "points": _("Points"),
        "max_points": _("Maximum points"),
        "in_progress": _("Being processed"),
        "waiting": _("Waiting for the applicant"),
        "average_days": _("Average working days"),
    }


# --- public -------------------------------------------------------------------------------------------------


def _public_figures(agency: Agency | None) -> PublicDashboard:
    today = timezone.localdate()
    key = f"stats:public-dashboard:{agency.identity_code if agency else '*'}:{today}:{get_language()}"
    figures = cache.get(key)
    if figures is None:
        ids = subtree_ids([agency.pk]) if agency else Agency.objects.values_list("pk", flat=True)
        figures = public_dashboard(ids, today)
        cache.set(key, figures, PUBLIC_CACHE_SECONDS)
    return figures


def _known_agency(identity_code: str) -> Agency:
    agency = agency_by_code(identity_code)
    if agency is None:
        raise Http404(_("There is no agency with the identity code %s.") % identity_code)
    return agency


@require_GET
def public_page(request: HttpRequest, identity_code: str | None = None) -> HttpResponseBase:
    if identity_code is None and "unit" in request.GET:
        # The agency picker without JavaScript: a GET form, answered with the agency's own address.
        chosen = request.GET["unit"].strip()
        if not chosen:
            return redirect("stats:dashboard")
        return redirect("stats:dashboard-agency", _known_agency(chosen).identity_code)
    agency = _known_agency(identity_code) if identity_code is not None else None
    figures = _public_figures(agency)
    context = {
        "agency": agency,
        "agencies": Agency.objects.order_by("name").values_list("identity_code", "name"),
        "figures": figures,
        "months": list(reversed(figures.months)),
        "payload": figures.as_json(),
        "chart_text": chart_text(),
        "chart_js": chart_script_url(),
        "cache_seconds": PUBLIC_CACHE_SECONDS,
    }
    return render(request, "stats/dashboard.html", context)


# --- the leader's dashboard ---------------------------------------------------------------------------------


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
        return render(request, "stats/dashboard_leader.html", context, status=error.status)
    context |= {
        "figures": figures,
        "payload": leader_payload(figures),
        "data_url": f"{reverse('stats:leader-dashboard-data')}?{urlencode({'unit': context['unit']})}",
    }
    return render(request, "stats/dashboard_leader.html", context)


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
