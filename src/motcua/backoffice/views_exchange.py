"""Reconciliation with the national portal, for auditors and administrators: run one over a range of days,
read the last runs and their differences; administrators send a dossier's record again."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from motcua.backoffice.access import staff_required
from motcua.core.errors import DomainError, InvalidInput
from motcua.exchange.dvcqg.reconciliation import ReconciliationFailed, reconcile, resync
from motcua.exchange.models import DifferenceKind, ReconciliationRun
from motcua.org.selectors import may_steer_operations, may_watch_operations

LAST_RUNS = 20


def _refused(request: HttpRequest) -> HttpResponse:
    return render(request, "backoffice/exchange/not_allowed.html", status=403)


def _day(value: str, field: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidInput.field(field, "invalid", _("Write a date as YYYY-MM-DD.")) from None


def _page(
    request: HttpRequest, asked: dict[str, str], errors: dict[str, str], status: int = 200
) -> HttpResponse:
    runs = list(ReconciliationRun.objects.select_related("started_by")[:LAST_RUNS])
    chosen = None
    if (wanted := request.GET.get("run", "")).isdigit():
        chosen = ReconciliationRun.objects.filter(pk=int(wanted)).first()
    elif runs:
        chosen = runs[0]
    labels = dict(DifferenceKind.choices)
    differences: list[dict[str, Any]] = [
        {**entry, "index": index, "label": labels.get(entry.get("kind", ""), entry.get("kind", ""))}
        for index, entry in enumerate(chosen.differences if chosen else [])
    ]
    context = {
        "asked": asked,
        "errors": errors,
        "runs": runs,
        "chosen": chosen,
        "differences": differences,
        "may_resync": may_steer_operations(request.user),
    }
    return render(request, "backoffice/exchange/reconciliation.html", context, status=status)


@require_http_methods(["GET", "POST"])
@staff_required
@never_cache
def reconciliation(request: HttpRequest) -> HttpResponseBase:
    if not may_watch_operations(request.user):
        return _refused(request)
    if request.method == "GET":
        return _page(request, {"from": "", "to": ""}, {})
    asked = {name: request.POST.get(name, "").strip() for name in ("from", "to")}
    try:
        result = reconcile(_day(asked["from"], "from"), _day(asked["to"], "to"), started_by=request.user)
    except InvalidInput as error:
        return _page(request, asked, {p.field: str(p.message) for p in error.errors}, status=422)
    except ReconciliationFailed as failure:
        messages.error(request, _("The reconciliation could not be made: %(reason)s") % {"reason": failure})
        return redirect(f"{reverse('backoffice:exchange-reconciliation')}?run={failure.run.pk}")
    if result.differences:
        messages.warning(
            request,
            _("%(count)d difference(s) with the national portal.") % {"count": len(result.differences)},
        )
    else:
        messages.success(request, _("The national portal holds exactly what it should for these days."))
    return redirect(f"{reverse('backoffice:exchange-reconciliation')}?run={result.run.pk}")


@require_POST
@staff_required
def resync_difference(request: HttpRequest, run: int, index: int) -> HttpResponseBase:
    if not may_steer_operations(request.user):
        return _refused(request)
    try:
        difference = resync(run, index)
    except DomainError as error:
        messages.error(request, str(error.detail))
    else:
        messages.success(
            request,
            _("Dossier %(code)s is queued to be sent to the national portal again.")
            % {"code": difference.dossier},
        )
    return redirect(f"{reverse('backoffice:exchange-reconciliation')}?run={run}")
