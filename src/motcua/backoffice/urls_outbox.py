"""The outbox of messages to outside parties, for administrators and auditors."""

from django.urls import path

from motcua.backoffice import views_outbox

urlpatterns = [
    path("outbox/", views_outbox.outbox_page, name="outbox"),
    path("outbox/<int:message_id>/retry/", views_outbox.retry_message, name="outbox-retry"),
    path("outbox/retry-all/", views_outbox.retry_all_messages, name="outbox-retry-all"),
]
