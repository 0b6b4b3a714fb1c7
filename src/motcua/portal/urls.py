"""The citizen portal. Public pages (catalogue, lookup, accounts) and the applicant's own pages (applications,
my dossiers) are declared in two modules and served under one namespace."""

from motcua.portal import urls_applicant, urls_public

app_name = "portal"

urlpatterns = [*urls_public.urlpatterns, *urls_applicant.urlpatterns]
