"""The staff back office: inbox, bulk actions, tracking book, dossier page, counter intake, access log,
outbox."""

from motcua.backoffice import urls_audit, urls_dossier, urls_inbox, urls_outbox

app_name = "backoffice"

urlpatterns = [
    *urls_inbox.urlpatterns,
    *urls_dossier.urlpatterns,
    *urls_audit.urlpatterns,
    *urls_outbox.urlpatterns,
]
