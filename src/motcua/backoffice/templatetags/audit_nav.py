"""The back-office menu's links to the oversight pages, the access log, the outbox, the reconciliation with
the national portal and its dossiers not taken in, each shown only to those who may read it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import template
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from motcua.exchange.selectors import inbound_problems
from motcua.org.selectors import may_watch_operations
from motcua.privacy.selectors import may_audit

register = template.Library()


def _link(
    context: template.Context, may_read: Callable[[Any], bool], url_name: str, label: str
) -> SafeString | str:
    request: HttpRequest = context["request"]
    if not may_read(request.user):
        return ""
    url = reverse(url_name)
    current = ' aria-current="page"' if request.path == url else ""
    return format_html('<a href="{}"{}>{}</a>', url, SafeString(current), label)


@register.simple_tag(takes_context=True)
def audit_nav_link(context: template.Context) -> SafeString | str:
    return _link(context, may_audit, "backoffice:audit-access", _("Access log"))


@register.simple_tag(takes_context=True)
def outbox_nav_link(context: template.Context) -> SafeString | str:
    return _link(context, may_watch_operations, "backoffice:outbox", _("Outbox"))


@register.simple_tag(takes_context=True)
def exchange_nav_link(context: template.Context) -> SafeString | str:
    return _link(context, may_watch_operations, "backoffice:exchange-reconciliation", _("Reconciliation"))


@register.simple_tag(takes_context=True)
def inbound_nav_link(context: template.Context) -> SafeString | str:
    label = _("From the national portal")
    # How many wait is worth a count only to those who see the page.
    if may_watch_operations(context["request"].user) and (waiting := inbound_problems().count()):
        label = f"{label} ({waiting})"
    return _link(context, may_watch_operations, "backoffice:inbound-problems", label)
