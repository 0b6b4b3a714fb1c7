"""The printed forms over HTTP: a dossier's form and the tracking book. Thin: read the request, call the
service, answer the file; a domain error is an error page with its status, never a 500."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from motcua.core.errors import DomainError, FieldProblem, InvalidInput, NotFound
from motcua.core.links import public_url
from motcua.org.selectors import scope_agency_ids
from motcua.printing.catalogue import CATALOGUE, Audience
from motcua.printing.services import dossier_form_pdf
from motcua.printing.tracking_book import TrackingBook, tracking_book, tracking_book_pdf, tracking_book_xlsx
from motcua.privacy.constants import AccessChannel, AccessKind
from motcua.privacy.services import reader, record, record_read

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOOK_EXPORTS: dict[str, tuple[Callable[[TrackingBook], bytes], str, str]] = {
    "pdf": (tracking_book_pdf, "application/pdf", "inline"),
    "xlsx": (tracking_book_xlsx, XLSX, "attachment"),
}


def public_base_url(request: HttpRequest) -> str:
    """The portal's address for QR codes: the configured public one, never the Host this request names."""
    return public_url()


def _pages(audience: str) -> dict[str, str]:
    """The pages of `audience` ("staff" or "citizen") as settings.MOTCUA_AUDIENCE_PAGES names them."""
    pages: dict[str, str] = settings.MOTCUA_AUDIENCE_PAGES[audience]
    return pages


def error_page(request: HttpRequest, error: DomainError) -> HttpResponse:
    # Staff came from the back office and citizens from the portal: the page keeps them in their section.
    pages = _pages("staff" if scope_agency_ids(request.user) else "citizen")
    context = {
        "error": error,
        "title": error.title,
        "base_template": pages["base_template"],
        "back_to": pages["home"],
    }
    return render(request, "printing/error.html", context, status=error.status)


def _file(content: bytes, content_type: str, disposition: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@never_cache
@require_GET
def dossier_form(request: HttpRequest, code: str, form: str) -> HttpResponse:
    if not request.user.is_authenticated:
        spec = CATALOGUE.get(form)
        audience = "staff" if spec is not None and spec.audience is Audience.STAFF else "citizen"
        return redirect_to_login(request.get_full_path(), _pages(audience)["login"])
    try:
        pdf = dossier_form_pdf(request.user, code, form, base_url=public_base_url(request))
    except DomainError as error:
        return error_page(request, error)
    record_read(request, channel=AccessChannel.PRINT, kind=AccessKind.PRINTED_FORM, code=code, detail=form)
    return _file(pdf, "application/pdf", "inline", f"{code}-{form}.pdf")


def _book_query(query: QueryDict) -> tuple[str, dt.date, dt.date]:
    """The unit and period asked for; every missing or malformed one reported at once."""
    problems = []
    unit = query.get("unit", "").strip()
    if not unit:
        problems.append(FieldProblem("unit", "required", _("Choose the unit whose book to print.")))
    days: dict[str, dt.date] = {}
    for name, label in (("start", _("The first day")), ("end", _("The last day"))):
        try:
            days[name] = dt.date.fromisoformat(query.get(name, "").strip())
        except ValueError:
            message = _("%(day)s of the period is a date written YYYY-MM-DD.") % {"day": label}
            problems.append(FieldProblem(name, "invalid", message))
    if problems:
        raise InvalidInput(_("The tracking book cannot be printed as asked."), problems)
    return unit, days["start"], days["end"]


@never_cache
@require_GET
def tracking_book_file(request: HttpRequest, fmt: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), _pages("staff")["login"])
    try:
        if fmt not in BOOK_EXPORTS:
            raise NotFound(_("The tracking book is printed as PDF or exported as xlsx."))
        unit, start, end = _book_query(request.GET)
        book = tracking_book(request.user, unit, start, end)
    except DomainError as error:
        return error_page(request, error)
    export, content_type, disposition = BOOK_EXPORTS[fmt]
    filename = f"so-theo-doi-{book.unit.identity_code}-{start:%Y%m%d}-{end:%Y%m%d}.{fmt}"
    content = export(book)
    # One record per dossier of the book, written in batches: the book names and addresses each applicant.
    record(
        reader(request, near=[book.unit.pk]),
        channel=AccessChannel.EXPORT,
        kind=AccessKind.TRACKING_BOOK,
        codes=[row.code for row in book.rows],
        detail=filename,
    )
    return _file(content, content_type, disposition, filename)
