"""The tracking book (Mẫu 06) on screen: pick a unit and a period, read it, download it as PDF or Excel."""

from __future__ import annotations

import datetime as dt
from typing import cast
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from motcua.backoffice.access import scope_unit_choices, staff_required
from motcua.core.errors import DomainError
from motcua.printing.tracking_book import TrackingBook, tracking_book
from motcua.privacy.constants import AccessChannel, AccessKind
from motcua.privacy.services import reader, record

ROWS_PER_PAGE = 200


class TrackingBookForm(forms.Form):
    unit = forms.ChoiceField(label=gettext_lazy("Unit"))
    start = forms.DateField(label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=gettext_lazy("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data: QueryDict | dict[str, str], units: list[tuple[str, str]]) -> None:
        super().__init__(data)
        cast(forms.ChoiceField, self.fields["unit"]).choices = units

    def show_problems(self, error: DomainError) -> None:
        """Put each problem the book reported beside the field it names, the rest at the top."""
        for problem in error.errors:
            self.add_error(problem.field if problem.field in self.fields else None, str(problem.message))
        if not error.errors:
            self.add_error(None, str(error.detail or error.title))


def _this_month(units: list[tuple[str, str]]) -> dict[str, str]:
    today = timezone.localdate()
    first = today.replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return {"unit": units[0][0] if units else "", "start": first.isoformat(), "end": last.isoformat()}


def _downloads(book: TrackingBook) -> dict[str, str]:
    query = urlencode(
        {"unit": book.unit.identity_code, "start": book.start.isoformat(), "end": book.end.isoformat()}
    )
    return {fmt: f"{reverse('printing:tracking-book', args=[fmt])}?{query}" for fmt in ("pdf", "xlsx")}


@require_GET
@staff_required
def tracking_book_page(request: HttpRequest) -> HttpResponse:
    units = scope_unit_choices(request.user)
    asked = {name: request.GET[name] for name in TrackingBookForm.base_fields if name in request.GET}
    form = TrackingBookForm(asked or _this_month(units), units)
    book = None
    if form.is_valid():
        try:
            book = tracking_book(
                request.user, form.cleaned_data["unit"], form.cleaned_data["start"], form.cleaned_data["end"]
            )
        except DomainError as error:
            form.show_problems(error)
    page = Paginator(book.rows, ROWS_PER_PAGE).get_page(request.GET.get("page")) if book else None
    if book is not None and page is not None:
        # The book names and addresses each applicant: the rows shown are recorded, one per dossier.
        record(
            reader(request, near=[book.unit.pk]),
            channel=AccessChannel.PAGE,
            kind=AccessKind.TRACKING_BOOK,
            codes=[row.code for row in page],
        )
    context = {
        "form": form,
        "book": book,
        "page": page,
        "downloads": _downloads(book) if book else {},
        "page_query": urlencode({k: str(form.data.get(k, "")) for k in TrackingBookForm.base_fields}),
    }
    refused = bool(asked) and book is None
    return render(request, "backoffice/book/tracking_book.html", context, status=422 if refused else 200)
