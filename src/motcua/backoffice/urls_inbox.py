"""Staff sign-in, the inbox with its bulk actions, and the tracking book screen."""

from django.urls import path

from motcua.backoffice import views_auth, views_book, views_inbox

urlpatterns = [
    path("login/", views_auth.StaffLoginView.as_view(), name="login"),
    path("logout/", views_auth.StaffLogoutView.as_view(), name="logout"),
    path("", views_inbox.inbox, name="inbox"),
    path("bulk/", views_inbox.bulk, name="bulk"),
    path("tracking-book/", views_book.tracking_book_page, name="tracking-book"),
]
