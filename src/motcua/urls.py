from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

from motcua.api import api
from motcua.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("api/docs", RedirectView.as_view(url="/api/v1/docs", permanent=False), name="api-docs"),
]
