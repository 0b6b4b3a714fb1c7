"""Reconciliation with the national portal, for auditors and administrators."""

from django.urls import path

from motcua.backoffice import views_exchange

urlpatterns = [
    path("exchange/reconciliation/", views_exchange.reconciliation, name="exchange-reconciliation"),
    path(
        "exchange/reconciliation/<int:run>/differences/<int:index>/resync",
        views_exchange.resync_difference,
        name="exchange-resync",
    ),
]
