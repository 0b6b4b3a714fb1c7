"""The citizen's personal data (Law 91/2025): what is held, how long it is kept, and a download of all of it
as one .zip, built and sent as a stream (privacy.subject_export, ADR 0016)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from motcua.dossiers.models import Dossier, UploadedFile
from motcua.portal.models import ApplicationDraft
from motcua.privacy.services import reader
from motcua.privacy.subject_export import (
    ExportTooSoon,
    file_path,
    retention,
    start_export,
    subject_archive,
    zip_stream,
)


def _iso(moment: dt.datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


def _drafts(user: User) -> list[dict[str, Any]]:
    """The user's applications on the portal, as the archive describes them."""
    drafts = ApplicationDraft.objects.filter(owner_id=user.pk).select_related("procedure", "dossier")
    return [
        {
            "procedure": draft.procedure.local_code,
            "case": draft.case_code,
            "state": draft.state,
            "answers": draft.answers,
            "created_at": _iso(draft.created_at),
            "updated_at": _iso(draft.updated_at),
            "submitted_at": _iso(draft.submitted_at),
            "dossier": draft.dossier.code if draft.dossier else None,
            "documents": [
                {"requirement": document.requirement.name, "file": file_path(document.file)}
                for document in draft.documents.select_related("requirement", "file")
            ],
        }
        for draft in drafts
    ]


def _page(request: HttpRequest, *, refusal: str = "", status: int = 200) -> HttpResponse:
    user = request.user
    context = {
        "dossiers": Dossier.objects.filter(applicant_user_id=user.pk).count(),
        "drafts": ApplicationDraft.objects.filter(owner_id=user.pk).count(),
        "uploads": UploadedFile.objects.filter(owner_id=user.pk).count(),
        "retention": retention(),
        "interval": int(settings.MOTCUA_SUBJECT_EXPORT_INTERVAL_MINUTES),
        "refusal": refusal,
    }
    return render(request, "portal/data/page.html", context, status=status)


@require_GET
@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    return _page(request)


@require_POST
@login_required
@never_cache
def my_data_export(request: HttpRequest) -> HttpResponseBase:
    user: User = request.user  # type: ignore[assignment]
    try:
        start_export(reader(request), user)
    except ExportTooSoon as error:
        return _page(request, refusal=str(error.detail), status=error.status)
    archive = subject_archive(user, drafts=_drafts(user))
    response = StreamingHttpResponse(zip_stream(archive), content_type="application/zip")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="du-lieu-ca-nhan-{stamp}.zip"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
