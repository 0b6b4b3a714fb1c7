"""The back-office menu's link to the alerts, with the number of the officer's current warnings."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils import timezone

from motcua.alerts.selectors import menu_count

register = template.Library()


@register.inclusion_tag("backoffice/alerts/_nav_link.html", takes_context=True)
def alerts_nav_link(context: template.Context) -> dict[str, Any]:
    request = context["request"]
    url = reverse("alerts:mine")
    return {
        "url": url,
        "current": request.path.startswith(url),
        "count": menu_count(request.user, timezone.now()),
    }
