"""The back-office menu's link to the reconciliation with the national portal, for auditors and
administrators only."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from motcua.privacy.selectors import may_audit

register = template.Library()


@register.simple_tag(takes_context=True)
def exchange_nav_link(context: template.Context) -> SafeString | str:
    request = context["request"]
    if not may_audit(request.user):
        return ""
    url = reverse("backoffice:exchange-reconciliation")
    current = ' aria-current="page"' if request.path == url else ""
    return format_html('<a href="{}"{}>{}</a>', url, SafeString(current), _("National portal"))
