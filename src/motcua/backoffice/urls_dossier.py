"""The dossier page with its actions, notes and files, and the counter intake."""

from django.urls import path

from motcua.backoffice import views_dossier, views_intake

urlpatterns = [
    path("dossiers/<str:code>/", views_dossier.dossier_page, name="dossier"),
    path("dossiers/<str:code>/actions/<str:action>/", views_dossier.dossier_action, name="dossier-action"),
    path("dossiers/<str:code>/notes/", views_dossier.dossier_note, name="dossier-note"),
    path("dossiers/<str:code>/files/<int:pk>/", views_dossier.dossier_file, name="dossier-file"),
    path("intake/", views_intake.intake, name="intake"),
]
