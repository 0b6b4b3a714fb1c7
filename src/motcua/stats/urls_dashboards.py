"""The public dashboard (province or one agency, no sign-in) and the leader's live dashboard with its JSON."""

from django.urls import path

from motcua.stats import views_dashboards

urlpatterns = [
    path("dashboard/", views_dashboards.public_page, name="dashboard"),
    path("dashboard/<str:identity_code>/", views_dashboards.public_page, name="dashboard-agency"),
    path("office/stats/dashboard/", views_dashboards.leader_page, name="leader-dashboard"),
    path("office/stats/dashboard/data.json", views_dashboards.leader_data, name="leader-dashboard-data"),
]
