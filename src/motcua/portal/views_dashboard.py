"""The public dashboard (province or one agency, no sign-in), drawn from stats.dashboards.

The tables are drawn on the server, so the page reads the same without JavaScript; Chart.js draws the charts
over them when it loads (stats.charts).
"""

from __future__ import annotations

from django.core.cache import cache
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from motcua.org.models import Agency
from motcua.org.selectors import agency_by_code, subtree_ids
from motcua.stats.charts import chart_script_url, chart_text
from motcua.stats.dashboards import PublicDashboard, public_dashboard

# The public figures are computed at most once a minute per agency and language, whatever the traffic.
PUBLIC_CACHE_SECONDS = 60


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
            return redirect("portal:dashboard")
        return redirect("portal:dashboard-agency", _known_agency(chosen).identity_code)
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
    return render(request, "portal/dashboard/dashboard.html", context)
