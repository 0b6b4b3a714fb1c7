"""The access log of personal data, for auditors and administrators."""

from django.urls import path

from motcua.backoffice import views_audit

urlpatterns = [
    path("audit/access/", views_audit.access_page, name="audit-access"),
    path("audit/access.csv", views_audit.access_csv, name="audit-access-csv"),
]
