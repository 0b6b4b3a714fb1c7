"""The e-mails of deadline warnings, written in the deployment's language (Vietnamese by default): the worker
answers no request, so there is no reader's language to follow. The e-mail channel (motcua.notify) sends
them."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import User
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from motcua.alerts.constants import Level, WarningKind
from motcua.alerts.models import DeadlineWarning
from motcua.core.links import absolute_url
from motcua.notify.channels import Message
from motcua.worktime.calendar import format_working_duration
from motcua.worktime.services import calendar_for


def warning_message(warning: DeadlineWarning) -> Message:
    """The warning as a message to its recipient's e-mail address, for the e-mail channel to deliver."""
    officer = warning.recipient
    with translation.override(settings.LANGUAGE_CODE):
        # The applicant is warned of one thing only: the apology they are owed (services._overdue).
        template, context = (
            ("alerts/email/apology", _applicant_context(warning))
            if officer is None
            else ("alerts/email/staff", _staff_context(warning, officer))
        )
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}_body.txt", context)
    return Message(to=warning.recipient_email, subject=subject, body=body)


def _link(name: str, code: str) -> str:
    """An address to open the dossier at, on the deployment's public address (MOTCUA_PUBLIC_URL)."""
    return absolute_url(reverse(name, args=[code]))


def _common(warning: DeadlineWarning) -> dict[str, Any]:
    dossier = warning.dossier
    return {
        "site_name": settings.MOTCUA_SITE_NAME or gettext("Public services portal"),
        "code": dossier.code,
        "procedure": dossier.procedure_version.name,
        "due_at": warning.due_at,
    }


def _staff_context(warning: DeadlineWarning, officer: User) -> dict[str, Any]:
    dossier, step = warning.dossier, warning.step
    calendar = calendar_for()
    late = max(0, calendar.working_minutes_between(warning.due_at, warning.warned_at))
    per_day = calendar.office_hours.minutes_per_day
    return {
        **_common(warning),
        "name": officer.get_full_name() or officer.username,
        "applicant": dossier.applicant_name,
        "step": step.name if step is not None else "",
        "unit": (step.agency if step is not None else dossier.current_unit).name,
        "due_soon": warning.kind == WarningKind.DUE_SOON,
        # Missed after hours, no working minute has gone by yet: the e-mail says late, without an amount.
        "late": format_working_duration(late, per_day, translation.get_language()) if late else "",
        "escalated": warning.level > Level.ASSIGNEE,
        "level": Level(warning.level).label,
        "apology_missing": (
            warning.kind == WarningKind.OVERDUE and step is None and dossier.apology_count == 0
        ),
        "url": _link("backoffice:dossier", dossier.code),
    }


def _applicant_context(warning: DeadlineWarning) -> dict[str, Any]:
    dossier = warning.dossier
    return {
        **_common(warning),
        "name": dossier.applicant_name,
        "agency": dossier.competent_authority.name,
        "url": _link("portal:lookup-code", dossier.code) + "?" + urlencode({"key": dossier.lookup_key}),
    }
