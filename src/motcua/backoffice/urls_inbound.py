"""The national portal's dossiers not taken in, for administrators and auditors."""

from django.urls import path

from motcua.backoffice import views_inbound

urlpatterns = [
    path("exchange/inbound/", views_inbound.inbound_problems_page, name="inbound-problems"),
]
