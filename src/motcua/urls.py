from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from motcua.api import api
from motcua.core.views import healthz

# A database outage answers 503 with Retry-After, anything else Django's 500 (core.outage).
handler500 = "motcua.core.outage.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("api/docs", RedirectView.as_view(url="/api/v1/docs", permanent=False), name="api-docs"),
    path("office/alerts/", include("motcua.backoffice.urls_alerts")),
    path("office/stats/", include("motcua.backoffice.urls_stats")),
    path("office/", include("motcua.backoffice.urls")),
    path("print/", include("motcua.printing.urls")),
    path("", include("motcua.portal.urls")),
]
