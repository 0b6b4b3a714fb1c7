"""The printed legal forms, mounted at /print/."""

from django.urls import path

from motcua.printing import views

app_name = "printing"

urlpatterns = [
    path("dossiers/<str:code>/<str:form>.pdf", views.dossier_form, name="dossier-form"),
    path("tracking-book.<str:fmt>", views.tracking_book_file, name="tracking-book"),
]
