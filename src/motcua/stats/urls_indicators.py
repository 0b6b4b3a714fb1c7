"""Staff pages: the Decision 766 index, the monthly scorecards and their .xlsx, the 9-indicator evaluation."""

from django.urls import path

from motcua.stats import views_indicators

urlpatterns = [
    path("office/stats/index766/", views_indicators.index766_page, name="index766"),
    path("office/stats/scorecards/", views_indicators.scorecards_page, name="scorecards"),
    path("office/stats/scorecards.xlsx", views_indicators.scorecards_file, name="scorecards-xlsx"),
    path("office/stats/evaluation/", views_indicators.evaluation_page, name="evaluation"),
]
