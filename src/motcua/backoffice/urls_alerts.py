"""Deadline alerts in the back office (an officer's warnings, a leader's missing apologies), mounted at
/office/alerts/ under the "alerts" URL names."""

from django.urls import path

from motcua.backoffice import views_alerts

app_name = "alerts"

urlpatterns = [
    path("", views_alerts.mine, name="mine"),
    path("apologies/", views_alerts.apologies, name="apologies"),
]
