"""What every page's layout needs: the site's name and the languages it speaks."""

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _


def site(request: HttpRequest) -> dict[str, object]:
    return {"brand_name": settings.MOTCUA_SITE_NAME or _("Public services portal")}
