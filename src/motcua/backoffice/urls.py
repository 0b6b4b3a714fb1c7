"""The staff back office: inbox, bulk actions, tracking book, dossier page and counter intake."""

from motcua.backoffice import urls_dossier, urls_inbox

app_name = "backoffice"

urlpatterns = [*urls_inbox.urlpatterns, *urls_dossier.urlpatterns]
