"""Printing use cases: a dossier's form as PDF for someone who may see it, and the counter's notices for
people whose documents were not received (no dossier exists for them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import ProcedureVersion
from motcua.core.errors import InvalidInput, NotFound, PermissionDenied
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import dossier_events, dossier_for
from motcua.org.models import Agency
from motcua.org.selectors import scope_agency_ids
from motcua.printing import forms
from motcua.printing.forms import DossierRecord, Party, PrintedForm
from motcua.printing.registry import form_in_force
from motcua.printing.render import render_pdf

# What the applicant may print of their own dossier; staff in scope may print these and the control slip.
APPLICANT_FORMS: dict[str, Callable[[DossierRecord], PrintedForm]] = {
    "receipt": forms.receipt,
    "supplement": forms.supplement,
    "refusal": forms.refusal,
    "apology": forms.apology,
    "stop": forms.stop,
}
CONTROL_SLIP = "control-slip"
DOSSIER_FORMS = (*APPLICANT_FORMS, CONTROL_SLIP)
COUNTER_FORMS = ("supplement", "refusal")


def load_record(dossier: Dossier, base_url: str) -> DossierRecord:
    """The dossier's history, documents and steps, and the job titles of the officers in its history."""
    events = list(dossier_events(dossier))
    return DossierRecord(
        dossier=dossier,
        events=events,
        documents=list(dossier.documents.select_related("requirement", "file").order_by("added_at", "id")),
        steps=list(dossier.steps.select_related("assignee").order_by("started_at", "id")),
        base_url=base_url.rstrip("/"),
        positions=forms.staff_positions([e.actor_id for e in events if e.actor_id is not None]),
    )


def _is_staff_for(user: User | AnonymousUser, dossier: Dossier) -> bool:
    # The staff half of visible_dossiers: the applicant sees their dossier too, but not its internal slip.
    units = {dossier.receiving_unit_id, dossier.current_unit_id, dossier.competent_authority_id}
    return bool(units & scope_agency_ids(user))


def printed_dossier_form(
    user: User | AnonymousUser, code: str, form: str, *, base_url: str, now: dt.datetime | None = None
) -> PrintedForm:
    """The form `form` of dossier `code` as it prints: NotFound for an unknown form or a dossier the user
    may not see, PermissionDenied for the control slip to anyone but staff in scope, Conflict when the
    dossier's history has nothing for the form to print."""
    if form not in DOSSIER_FORMS:
        raise NotFound(_("There is no printed form “%s”.") % form)
    dossier = dossier_for(user, code)
    if form == CONTROL_SLIP:
        if not _is_staff_for(user, dossier):
            raise PermissionDenied(_("The control slip is for the officers handling the dossier."))
        return forms.control_slip(load_record(dossier, base_url), now or timezone.now())
    return APPLICANT_FORMS[form](load_record(dossier, base_url))


def dossier_form_pdf(user: User | AnonymousUser, code: str, form: str, *, base_url: str) -> bytes:
    page = printed_dossier_form(user, code, form, base_url=base_url)
    return render_pdf(page.template_name, page.context)


# --- notices at the counter, before anything is received ---------------------------------------------------


@dataclass(frozen=True)
class CounterNotice:
    unit: Agency  # the receiving unit (org.models.Agency)
    officer: User
    applicant_name: str
    applicant_phone: str
    applicant_address: str
    procedure_version: ProcedureVersion
    reason: str
    items: tuple[str, ...] = ()  # documents to add or correct (supplement only)


def counter_notice_form(form: str, notice: CounterNotice, *, now: dt.datetime) -> PrintedForm:
    if form not in COUNTER_FORMS:
        raise InvalidInput.field(
            "form", "invalid", _("At the counter only a supplement request or a refusal is printed.")
        )
    if not notice.reason.strip():
        raise InvalidInput.field("reason", "required", _("Give the reason."))
    if form == "supplement" and not notice.items:
        raise InvalidInput.field("items", "required", _("List the documents to add or correct."))
    day = forms.local_day(now)
    entry = form_in_force(form, day)
    facts = {
        "code": "",
        "applicant": Party(notice.applicant_name, notice.applicant_address, notice.applicant_phone),
        "procedure": notice.procedure_version.name,
    }
    if form == "supplement":
        # No request's address is at hand here: the portal's own address, when the deployment names it.
        public_url = getattr(settings, "MOTCUA_PUBLIC_URL", "")
        rules_url = forms.procedure_url(public_url, notice.procedure_version) if public_url else ""
        specific = forms.supplement_fields(notice.reason, notice.items, notice.officer, rules_url)
    else:
        specific = forms.refusal_fields(notice.reason, notice.officer)
    return PrintedForm(entry, forms.form_head(entry, notice.unit, day) | facts | specific)


def counter_notice_pdf(form: str, notice: CounterNotice, *, now: dt.datetime) -> bytes:
    page = counter_notice_form(form, notice, now=now)
    return render_pdf(page.template_name, page.context)
