"""The officer's inbox: tabs with counts, filters, sortable columns, pages, and bulk assign or forward."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from motcua.backoffice.access import scope_unit_choices, staff_required
from motcua.catalog.selectors import search_versions
from motcua.core.errors import DomainError
from motcua.core.identifiers import contains_personal_id
from motcua.dossiers.inbox import (
    PAGE_SIZES,
    InboxQuery,
    SortKey,
    Tab,
    assignable_officers,
    inbox_page,
    tab_counts,
)
from motcua.dossiers.lifecycle import ACTIONS, ActionName, Status, clock_running, is_finished
from motcua.dossiers.services.actions import take_action
from motcua.dossiers.services.actions.payloads import Assign, Forward, Payload
from motcua.worktime.constants import Punctuality

TAB_LABELS = {
    Tab.MINE: gettext_lazy("My work"),
    Tab.UNIT: gettext_lazy("My units"),
    Tab.DUE_SOON: gettext_lazy("Due soon"),
    Tab.OVERDUE: gettext_lazy("Overdue"),
    Tab.SUPPLEMENT: gettext_lazy("Awaiting supplement"),
    Tab.PAYMENT: gettext_lazy("Awaiting payment"),
    Tab.ALL: gettext_lazy("All"),
}
SORT_LABELS = {
    SortKey.CODE: gettext_lazy("Code"),
    SortKey.STATUS: gettext_lazy("Status"),
    SortKey.RECEIVED: gettext_lazy("Received"),
    SortKey.DUE: gettext_lazy("Due"),
}
# Everything at once is looked at newest first; a work list most urgent first.
DEFAULT_SORT = {Tab.ALL: f"-{SortKey.RECEIVED}"}
URGENT_FIRST = str(SortKey.DUE)
# The actions the bar offers, with their buttons' labels; the page draws one button per entry.
BULK_ACTIONS = {
    ActionName.ASSIGN: gettext_lazy("Assign"),
    ActionName.FORWARD: gettext_lazy("Forward to the next step"),
}
MAX_PAGE = 10_000


def _sort_choices() -> list[tuple[str, str]]:
    return [(f"{prefix}{key}", str(key)) for key in SortKey for prefix in ("", "-")]


class InboxFilterForm(forms.Form):
    """The query string of the inbox; a value it does not accept falls back to the default."""

    tab = forms.ChoiceField(choices=[(t.value, TAB_LABELS[t]) for t in Tab], required=False)
    q = forms.CharField(label=gettext_lazy("Code or applicant"), max_length=100, required=False)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    procedure = forms.ChoiceField(label=gettext_lazy("Procedure"), required=False)
    unit = forms.ChoiceField(label=gettext_lazy("Receiving or current unit"), required=False)
    sort = forms.ChoiceField(choices=_sort_choices, required=False)
    page = forms.IntegerField(min_value=1, max_value=MAX_PAGE, required=False)
    page_size = forms.TypedChoiceField(
        label=gettext_lazy("Rows per page"),
        choices=[(n, n) for n in PAGE_SIZES],
        coerce=int,
        required=False,
    )

    def __init__(self, data: QueryDict, unit_choices: list[tuple[str, str]]) -> None:
        super().__init__(data)
        anything = [("", _("Any"))]
        procedures = [
            (v.procedure.local_code, f"{v.procedure.national_code} · {v.name}") for v in search_versions()
        ]
        for name, choices in (("status", Status.choices), ("procedure", procedures), ("unit", unit_choices)):
            cast(forms.ChoiceField, self.fields[name]).choices = anything + list(choices)

    def query(self) -> InboxQuery:
        self.is_valid()
        value = {name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors}
        tab = Tab(value.get("tab") or Tab.MINE)
        sort = value.get("sort") or DEFAULT_SORT.get(tab, URGENT_FIRST)
        return InboxQuery(
            tab=tab,
            q=(value.get("q") or "").strip(),
            status=value.get("status") or "",
            procedure=value.get("procedure") or "",
            unit=value.get("unit") or "",
            sort=SortKey(sort.lstrip("-")),
            descending=sort.startswith("-"),
            page=value.get("page") or 1,
            page_size=value.get("page_size") or PAGE_SIZES[0],
        )


class BulkForm(forms.Form):
    action = forms.ChoiceField(choices=list(BULK_ACTIONS.items()))
    assignee = forms.ChoiceField(label=gettext_lazy("Officer"), required=False)
    dossiers = forms.MultipleChoiceField(
        error_messages={"required": gettext_lazy("Select at least one dossier.")}
    )
    query = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, user: Any, data: QueryDict | None = None) -> None:
        super().__init__(data, auto_id="bulk_%s")
        cast(forms.ChoiceField, self.fields["assignee"]).choices = [("", _("Choose an officer"))] + [
            (officer.username, officer.get_full_name() or officer.username)
            for officer in assignable_officers(user)
        ]
        # The codes on the page the officer saw; whether each may be acted on is the service's to say.
        picked = (data or QueryDict()).getlist("dossiers")
        cast(forms.ChoiceField, self.fields["dossiers"]).choices = [(code, code) for code in picked]
        self.versions: dict[str, int] = {}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("action") == ActionName.ASSIGN and not cleaned.get("assignee"):
            self.add_error("assignee", _("Choose the officer to assign the dossiers to."))
        codes = cleaned.get("dossiers") or []
        if len(codes) > max(PAGE_SIZES):
            self.add_error("dossiers", _("Select at most %d dossiers at a time.") % max(PAGE_SIZES))
            return cleaned
        for code in codes:
            version = (self.data.get(f"version-{code}") or "").strip()
            if not version.isdigit() or int(version) < 1:
                self.add_error("dossiers", _("The page did not say which version of %s you saw.") % code)
            else:
                self.versions[code] = int(version)
        return cleaned


@dataclass(frozen=True)
class Refusal:
    code: str
    reason: str


def _link(params: dict[str, Any], **changes: Any) -> str:
    merged = {**params, **changes}
    return "?" + urlencode({k: v for k, v in merged.items() if v not in ("", None)})


# The search text travels in the session, behind an opaque key in the URL (ADR 0018): a URL is written to
# server logs and browser histories, and the text may be a personal identification number or a name.
SEARCH_PARAM = "search"
SESSION_SEARCHES = "inbox_searches"
KEPT_SEARCHES = 20
# Longer than the form accepts, so that the page still says "too long"; short enough for a session to carry.
KEPT_SEARCH_LENGTH = 200
FILTER_PARAMS = ("tab", "status", "procedure", "unit", "page_size", "sort")


def _remember_search(request: HttpRequest, text: str) -> str:
    """The key under which the session now keeps `text` (the most recent few are kept)."""
    text = text[:KEPT_SEARCH_LENGTH]
    searches: dict[str, str] = request.session.get(SESSION_SEARCHES, {})
    for key, kept in searches.items():
        if kept == text:
            return key
    key = secrets.token_urlsafe(6)
    searches[key] = text
    request.session[SESSION_SEARCHES] = dict(list(searches.items())[-KEPT_SEARCHES:])
    return key


def _with_search(request: HttpRequest, params: QueryDict) -> QueryDict:
    """`params` with the search text its key names (none when the session no longer holds it)."""
    key = params.get(SEARCH_PARAM, "")
    if not key:
        return params
    resolved = params.copy()
    resolved["q"] = request.session.get(SESSION_SEARCHES, {}).get(key, "")
    return resolved


def _search_url(request: HttpRequest, params: QueryDict) -> str:
    """The inbox's URL for the filters in `params`, its search text (if any) behind a session key."""
    kept = {name: params.get(name, "") for name in FILTER_PARAMS}
    text = params.get("q", "").strip()
    if text:
        kept[SEARCH_PARAM] = _remember_search(request, text)
    return reverse("backoffice:inbox") + _link(kept)


def _kept_params(query: InboxQuery, search_key: str) -> dict[str, Any]:
    """The parameters a tab, sort or page link keeps: the filters and the page size."""
    return {
        SEARCH_PARAM: search_key if query.q else "",
        "status": query.status,
        "procedure": query.procedure,
        "unit": query.unit,
        "page_size": query.page_size if query.page_size != PAGE_SIZES[0] else "",
    }


def _sort_value(query: InboxQuery) -> str:
    return f"{'-' if query.descending else ''}{query.sort}"


def _columns(query: InboxQuery, params: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Per sortable column: its label, the link that sorts by it (the other way round when it is the
    current sort) and its aria-sort value."""
    columns = {}
    for key, label in SORT_LABELS.items():
        current = query.sort == key
        descending_next = current and not query.descending
        columns[key.value] = {
            "label": str(label),
            "url": _link(params, tab=query.tab, sort=f"{'-' if descending_next else ''}{key}"),
            "aria_sort": ("descending" if query.descending else "ascending") if current else "none",
        }
    return columns


def status_badge(status: str, overdue: bool) -> str:
    """The badge class of a status: danger when late, muted once finished, warning while the applicant or
    the counter is expected to act."""
    if overdue:
        return "badge-danger"
    if is_finished(status):
        return "badge-muted"
    return "" if clock_running(status) else "badge-warn"


def _bulk_buttons(form: BulkForm) -> list[dict[str, Any]]:
    """The bar's buttons: an action that takes an assignee (per the lifecycle table) comes with the officer
    field, and is left out when the user has nobody to assign to."""
    has_officers = len(cast(forms.ChoiceField, form.fields["assignee"]).choices) > 1
    buttons = []
    for action, label in BULK_ACTIONS.items():
        asks_assignee = any(field.name == "assignee" for field in ACTIONS[action].fields)
        if has_officers or not asks_assignee:
            buttons.append({"action": action, "label": label, "asks_assignee": asks_assignee})
    return buttons


def _render_inbox(
    request: HttpRequest, params: QueryDict, bulk_form: BulkForm | None = None, status: int = 200
) -> HttpResponse:
    now = timezone.now()
    search_key = params.get(SEARCH_PARAM, "")
    filters = InboxFilterForm(_with_search(request, params), scope_unit_choices(request.user))
    query = filters.query()
    if query.q and not search_key:
        search_key = _remember_search(request, query.q)
    page = inbox_page(request.user, query, now, get_language() or "vi")
    kept = _kept_params(query, search_key)
    sorted_params = {**kept, "tab": query.tab, "sort": _sort_value(query)}
    bulk_form = bulk_form or BulkForm(request.user)
    context = {
        "filters": filters,
        "query": query,
        "page": page,
        "rows": [
            {
                "item": row,
                "badge": status_badge(row.dossier.status, row.timing.overdue),
                "punctuality": Punctuality(row.timing.punctuality).label if row.timing.punctuality else "",
            }
            for row in page.rows
        ],
        "tabs": [
            {"count": count, "label": TAB_LABELS[count.tab], "url": _link(kept, tab=count.tab)}
            for count in tab_counts(request.user, now)
        ],
        "columns": _columns(query, kept),
        "previous_url": _link(sorted_params, page=query.page - 1) if page.has_previous else "",
        "next_url": _link(sorted_params, page=query.page + 1) if page.has_next else "",
        "bulk_form": bulk_form,
        "bulk_buttons": _bulk_buttons(bulk_form),
        "list_query": _link(sorted_params, page=query.page if query.page > 1 else "")[1:],
        "tab_label": TAB_LABELS[query.tab],
        "selected": set(request.POST.getlist("dossiers")),
    }
    return render(request, "backoffice/inbox/inbox.html", context, status=status)


@require_http_methods(["GET", "POST"])
@staff_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The filter form posts (its search text must not enter a URL); a search by personal identification
    number in the query string, from an old link, is moved into the session before anything is shown."""
    if request.method == "POST":
        return redirect(_search_url(request, request.POST), permanent=False)
    if contains_personal_id(request.GET.get("q", "")):
        return redirect(_search_url(request, request.GET), permanent=False)
    return _render_inbox(request, request.GET)


def _reason(error: DomainError) -> str:
    details = [str(problem.message) for problem in error.errors] or [str(error.detail or error.title)]
    return " ".join(dict.fromkeys(details))


def _act_on_each(request: HttpRequest, form: BulkForm) -> tuple[list[str], list[Refusal]]:
    """One take_action per dossier, each its own transaction: one refusal leaves the others done."""
    action = form.cleaned_data["action"]
    payload: Payload = (
        Assign(assignee=form.cleaned_data["assignee"]) if action == ActionName.ASSIGN else Forward()
    )
    done, refused = [], []
    for code in form.cleaned_data["dossiers"]:
        try:
            take_action(request.user, code, payload, version=form.versions[code])  # type: ignore[arg-type]
        except DomainError as error:
            refused.append(Refusal(code, _reason(error)))
        else:
            done.append(code)
    return done, refused


@require_POST
@staff_required
def bulk(request: HttpRequest) -> HttpResponse:
    form = BulkForm(request.user, request.POST)
    list_query = QueryDict(request.POST.get("query", ""))
    if not form.is_valid():
        # The page again, with the officer's selection ticked and the problem beside the field.
        return _render_inbox(request, list_query, form, status=422)
    done, refused = _act_on_each(request, form)
    if done:
        messages.success(
            request,
            ngettext("%(count)d dossier done: %(codes)s.", "%(count)d dossiers done: %(codes)s.", len(done))
            % {"count": len(done), "codes": ", ".join(done)},
        )
    for refusal in refused:
        messages.error(
            request,
            _("%(code)s was not changed: %(reason)s") % {"code": refusal.code, "reason": refusal.reason},
        )
    back = list_query.urlencode()
    return redirect(f"{reverse('backoffice:inbox')}?{back}" if back else reverse("backoffice:inbox"))
