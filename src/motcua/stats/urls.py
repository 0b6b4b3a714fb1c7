"""Statistics pages: the staff reports and indicators under /office/stats/, the public dashboard under
/dashboard/."""

from motcua.stats import urls_dashboards, urls_indicators, urls_reports

app_name = "stats"

urlpatterns = [*urls_reports.urlpatterns, *urls_indicators.urlpatterns, *urls_dashboards.urlpatterns]
