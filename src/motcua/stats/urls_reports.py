"""Biểu 06 / 06a for staff: the page and its PDF and .xlsx downloads."""

from django.urls import path

from motcua.stats import views_reports

urlpatterns = [
    path("office/stats/report/", views_reports.report_page, name="report"),
    path("office/stats/report.pdf", views_reports.report_file, {"fmt": "pdf"}, name="report-pdf"),
    path("office/stats/report.xlsx", views_reports.report_file, {"fmt": "xlsx"}, name="report-xlsx"),
]
