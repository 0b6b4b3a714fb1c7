"""The access log of personal data for auditors and administrators: filter, read, export as CSV."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from motcua.backoffice.access import staff_required
from motcua.core.errors import InvalidInput
from motcua.privacy.audit_export import csv_lines
from motcua.privacy.selectors import AccessFilters, access_log, may_audit, read_filters
from motcua.privacy.wording import channel_text, kind_text, reader_name, roles_text, unit_text

PAGE_SIZE = 50
FILTERS = ("dossier", "user", "from", "to")


def _refused(request: HttpRequest) -> HttpResponse:
    return render(request, "backoffice/audit/not_auditor.html", status=403)


def _asked(request: HttpRequest) -> dict[str, str]:
    return {name: request.GET.get(name, "").strip() for name in FILTERS}


@require_GET
@staff_required
@never_cache
def access_page(request: HttpRequest) -> HttpResponse:
    if not may_audit(request.user):
        return _refused(request)
    asked = _asked(request)
    errors: dict[str, str] = {}
    try:
        filters = read_filters(asked)
    except InvalidInput as error:
        errors = {problem.field: str(problem.message) for problem in error.errors}
        filters = AccessFilters()
    page = Paginator(access_log(request.user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "record": r,
            "name": reader_name(r),
            "unit": unit_text(r),
            "roles": roles_text(r),
            "kind": kind_text(r),
            "channel": channel_text(r),
        }
        for r in page
    ]
    query = urlencode({k: v for k, v in asked.items() if v})
    context = {
        "asked": asked,
        "errors": errors,
        "page": page,
        "rows": rows,
        "query": f"{query}&" if query else "",
        "csv_query": query,
    }
    return render(request, "backoffice/audit/access.html", context, status=422 if errors else 200)


@require_GET
@staff_required
@never_cache
def access_csv(request: HttpRequest) -> HttpResponseBase:
    if not may_audit(request.user):
        return _refused(request)
    try:
        filters = read_filters(_asked(request))
    except InvalidInput:
        return access_page(request)
    records = access_log(request.user, filters).iterator(chunk_size=2000)
    response = StreamingHttpResponse(csv_lines(records), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="nhat-ky-truy-cap-{stamp}.csv"'
    return response
