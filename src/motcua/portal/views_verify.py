"""The public page that checks a presented PDF against the platform's signed results (ADR 0017)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.core.errors import DomainError, InvalidInput
from motcua.portal.views_apply import upload_limit
from motcua.signing.api import read_upload
from motcua.signing.verification import verify_pdf


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """GET: the form. POST: the verdict on the uploaded PDF, or what is wrong with the file (a 4xx)."""
    context: dict[str, object] = {"limit_mb": upload_limit() // (1024 * 1024)}
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise InvalidInput.field("file", "required", _("Choose the PDF file to check."))
            context["verdict"] = verify_pdf(read_upload(upload))
        except DomainError as error:
            context["error"] = error.errors[0].message if error.errors else str(error.detail)
            status = error.status
    return render(request, "portal/public/verify.html", context, status=status)
