"""The outbox for administrators and auditors: per destination what waits, fails, is dead or delivered, the
messages themselves (never their payloads), and for administrators the retry buttons."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from motcua.backoffice.access import staff_required
from motcua.core.errors import Conflict, InvalidInput, NotFound
from motcua.delivery.models import OutboxMessage
from motcua.delivery.outbox import retry, retry_all, summary
from motcua.delivery.selectors import (
    STATES,
    OutboxFilters,
    destinations,
    dossier_code,
    next_attempt,
    outbox_messages,
    read_filters,
    shown_error,
    state_of,
)
from motcua.dossiers.selectors import visible_dossiers
from motcua.org.selectors import may_steer_operations, may_watch_operations

PAGE_SIZE = 50
FILTERS = ("status", "destination")


def _refused(request: HttpRequest) -> HttpResponse:
    return render(request, "backoffice/outbox/not_allowed.html", status=403)


def _asked(data: Any) -> dict[str, str]:
    return {name: str(data.get(name, "")).strip() for name in FILTERS}


def _state_labels() -> dict[str, str]:
    return {
        "pending": _("Waiting"),
        "failing": _("Failing, will be retried"),
        "dead": _("Not deliverable"),
        "delivered": _("Delivered"),
    }


def _row(message: OutboxMessage, labels: dict[str, str], visible: set[str]) -> dict[str, Any]:
    state, dossier = state_of(message), dossier_code(message.ordering_key)
    return {
        "message": message,
        "state": state,
        "state_label": labels[state],
        "next_attempt": next_attempt(message),
        "error": shown_error(message.last_error),
        "dossier": dossier,
        "dossier_visible": dossier in visible,
    }


@require_GET
@staff_required
@never_cache
def outbox_page(request: HttpRequest) -> HttpResponse:
    if not may_watch_operations(request.user):
        return _refused(request)
    asked = _asked(request.GET)
    errors: dict[str, str] = {}
    try:
        filters = read_filters(asked)
    except InvalidInput as error:
        errors = {problem.field: str(problem.message) for problem in error.errors}
        filters = OutboxFilters()
    page = Paginator(outbox_messages(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    labels = _state_labels()
    codes = {dossier_code(m.ordering_key) for m in page} - {""}
    # A dossier's code is linked only for a viewer whose scope holds the dossier.
    visible = set(visible_dossiers(request.user).filter(code__in=codes).values_list("code", flat=True))
    rows = [_row(m, labels, visible) for m in page]
    query = urlencode({k: v for k, v in asked.items() if v})
    destinations_now = summary()
    context = {
        "asked": asked,
        "errors": errors,
        "states": [(state, labels[state]) for state in STATES],
        "destinations": destinations(),
        "summary": [{"row": row, "error": shown_error(row.last_error)} for row in destinations_now],
        "any_to_retry": any(row.failing or row.dead for row in destinations_now),
        "page": page,
        "rows": rows,
        "query": f"{query}&" if query else "",
        "may_steer": may_steer_operations(request.user),
    }
    return render(request, "backoffice/outbox/page.html", context, status=422 if errors else 200)


def _back(request: HttpRequest) -> HttpResponseRedirect:
    """To the list as it was filtered when the button was pressed (filters that do not read are dropped)."""
    try:
        filters = read_filters(_asked(request.POST))
    except InvalidInput:
        filters = OutboxFilters()
    query = {"status": filters.state, "destination": filters.destination}
    page = request.POST.get("page", "")
    if page.isdigit():
        query["page"] = page
    kept = urlencode({k: v for k, v in query.items() if v})
    return HttpResponseRedirect(reverse("backoffice:outbox") + (f"?{kept}" if kept else ""))


@require_POST
@staff_required
def retry_message(request: HttpRequest, message_id: int) -> HttpResponseBase:
    if not may_steer_operations(request.user):
        return _refused(request)
    try:
        retry(message_id)
    except (NotFound, Conflict) as error:
        messages.error(request, str(error.detail))
    else:
        messages.success(request, _("Message #%d will be sent again now.") % message_id)
    return _back(request)


@require_POST
@staff_required
def retry_all_messages(request: HttpRequest) -> HttpResponseBase:
    if not may_steer_operations(request.user):
        return _refused(request)
    destination = request.POST.get("retry_destination", "").strip()
    count = retry_all(destination or None)
    text = ngettext("%d message will be sent again now.", "%d messages will be sent again now.", count)
    messages.success(request, text % count)
    return _back(request)
