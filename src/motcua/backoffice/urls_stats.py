"""The statistics' staff pages, mounted at /office/stats/ under the "stats" URL names: Biểu 06 / 06a with its
PDF and .xlsx, the Decision 766 index, the monthly scorecards with their .xlsx, the 9-indicator evaluation,
and the leader's live dashboard with its JSON."""

from django.urls import path

from motcua.backoffice import views_dashboard, views_indicators, views_reports

app_name = "stats"

urlpatterns = [
    path("report/", views_reports.report_page, name="report"),
    path("report.pdf", views_reports.report_file, {"fmt": "pdf"}, name="report-pdf"),
    path("report.xlsx", views_reports.report_file, {"fmt": "xlsx"}, name="report-xlsx"),
    path("index766/", views_indicators.index766_page, name="index766"),
    path("scorecards/", views_indicators.scorecards_page, name="scorecards"),
    path("scorecards.xlsx", views_indicators.scorecards_file, name="scorecards-xlsx"),
    path("evaluation/", views_indicators.evaluation_page, name="evaluation"),
    path("dashboard/", views_dashboard.leader_page, name="leader-dashboard"),
    path("dashboard/data.json", views_dashboard.leader_data, name="leader-dashboard-data"),
]
