"""The back-office menu's link to the national portal's dossiers not taken in: shown to administrators and
auditors, with how many wait."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from motcua.exchange.selectors import inbound_problems, may_oversee_exchange

register = template.Library()


@register.simple_tag(takes_context=True)
def inbound_nav_link(context: template.Context) -> SafeString | str:
    request = context["request"]
    if not may_oversee_exchange(request.user):
        return ""
    url = reverse("backoffice:inbound-problems")
    current = SafeString(' aria-current="page"' if request.path == url else "")
    waiting = inbound_problems().count()
    if not waiting:
        return format_html('<a href="{}"{}>{}</a>', url, current, _("From the national portal"))
    return format_html('<a href="{}"{}>{} ({})</a>', url, current, _("From the national portal"), waiting)
