"""Deadline alerts in the back office, mounted at /office/alerts/."""

from django.urls import path

from motcua.alerts import views

app_name = "alerts"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("apologies/", views.apologies, name="apologies"),
]
