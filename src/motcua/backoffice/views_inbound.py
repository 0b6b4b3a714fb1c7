"""The dossiers filed on the national portal that could not be taken in, for administrators and auditors."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from motcua.backoffice.access import staff_required
from motcua.exchange.dvcqg.config import portal_config
from motcua.exchange.selectors import fetch_cursor, inbound_problems
from motcua.org.selectors import may_watch_operations

PAGE_SIZE = 50


@require_GET
@staff_required
@never_cache
def inbound_problems_page(request: HttpRequest) -> HttpResponse:
    if not may_watch_operations(request.user):
        return render(request, "backoffice/exchange/not_overseer.html", status=403)
    resolved = request.GET.get("show") == "resolved"
    page = Paginator(inbound_problems(resolved=resolved), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "resolved": resolved,
        "sync_on": portal_config() is not None,
        "cursor": fetch_cursor(),
        "query": "show=resolved&" if resolved else "",
    }
    return render(request, "backoffice/exchange/inbound.html", context)
