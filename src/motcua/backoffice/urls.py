"""The staff back office: inbox, bulk actions, tracking book, dossier page, counter intake, access log,
outbox, reconciliation with the national portal and its dossiers not taken in."""

from motcua.backoffice import urls_audit, urls_dossier, urls_exchange, urls_inbound, urls_inbox, urls_outbox

app_name = "backoffice"

urlpatterns = [
    *urls_inbox.urlpatterns,
    *urls_dossier.urlpatterns,
    *urls_audit.urlpatterns,
    *urls_outbox.urlpatterns,
    *urls_exchange.urlpatterns,
    *urls_inbound.urlpatterns,
]
