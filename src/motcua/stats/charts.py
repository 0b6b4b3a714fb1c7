"""What a page needs to draw the statistics' charts, whichever section shows them (the portal's public
dashboard, the back office's leader's dashboard): Chart.js's address and the words the charts draw. The
script that draws them over the tables is static/stats/charts.js, loaded before each page's own script.

Chart.js is served from node_modules through staticfiles (settings.STATICFILES_DIRS).
"""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.templatetags.static import static
from django.utils.translation import gettext as _

CHART_JS = "vendor/chartjs/chart.umd.min.js"


def chart_script_url() -> str:
    """Chart.js's address when it is installed (`npm ci`), else "": the pages then show only their tables,
    and no page fails for want of a file the manifest of collected static files lacks."""
    if not (finders.find(CHART_JS) or staticfiles_storage.exists(CHART_JS)):
        return ""
    try:
        return static(CHART_JS)
    except ValueError:
        return ""


def chart_text() -> dict[str, str]:
    """The words the charts draw (legends, axes), in the page's language."""
    return {
        "counter": _("At the counter"),
        "online": _("Online"),
        "post": _("By post"),
        "early": _("Early"),
        "on_time": _("On time"),
        "late": _("Late"),
        "on_time_rate": _("Resolved on time (%)"),
        "very_satisfied": _("Very satisfied"),
        "satisfied": _("Satisfied"),
        "dissatisfied": _("Dissatisfied"),
        "satisfied_share": _("Satisfied (%)"),
        "dossiers": _("Dossiers"),
        "points": _("Points"),
        "max_points": _("Maximum points"),
        "in_progress": _("Being processed"),
        "waiting": _("Waiting for the applicant"),
        "average_days": _("Average working days"),
    }
