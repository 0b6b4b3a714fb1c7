"""Printing use cases: a dossier's form as PDF for someone who may see it, and the counter's notices for
people whose documents were not received (no dossier exists for them)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AnonymousUser, User
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import InvalidInput, NotFound, PermissionDenied
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import dossier_events, dossier_for
from motcua.org.selectors import scope_agency_ids
from motcua.printing import forms
from motcua.printing.catalogue import CATALOGUE, Audience
from motcua.printing.forms import CounterNotice, DossierRecord, Party, PrintedForm
from motcua.printing.registry import form_in_force
from motcua.printing.render import render_pdf


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
    may not see, PermissionDenied for a staff form to anyone but staff in scope, Conflict when the
    dossier's history has nothing for the form to print."""
    spec = CATALOGUE.get(form)
    if spec is None or spec.build is None:
        raise NotFound(_("There is no printed form “%s”.") % form)
    dossier = dossier_for(user, code)
    if spec.audience is Audience.STAFF and not _is_staff_for(user, dossier):
        raise PermissionDenied(_("The form “%s” is for the officers handling the dossier.") % spec.label)
    return spec.build(load_record(dossier, base_url), now or timezone.now())


def form_pdf(page: PrintedForm) -> bytes:
    """The form as PDF, from the template its declaration names."""
    return render_pdf(CATALOGUE[page.form.slug].template_name, page.context)


def dossier_form_pdf(user: User | AnonymousUser, code: str, form: str, *, base_url: str) -> bytes:
    return form_pdf(printed_dossier_form(user, code, form, base_url=base_url))


# --- notices at the counter, before anything is received ---------------------------------------------------


def counter_notice_form(form: str, notice: CounterNotice, *, now: dt.datetime) -> PrintedForm:
    at_counter = CATALOGUE[form].at_counter if form in CATALOGUE else None
    if at_counter is None:
        raise InvalidInput.field(
            "form", "invalid", _("At the counter only a supplement request or a refusal is printed.")
        )
    if not notice.reason.strip():
        raise InvalidInput.field("reason", "required", _("Give the reason."))
    specific = at_counter(notice)
    day = forms.local_day(now)
    entry = form_in_force(form, day)
    facts = {
        "code": "",
        "applicant": Party(notice.applicant_name, notice.applicant_address, notice.applicant_phone),
        "procedure": notice.procedure_version.name,
    }
    return PrintedForm(entry, forms.form_head(entry, notice.unit, day) | facts | specific)
