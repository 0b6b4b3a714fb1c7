"""Staff sign-in, the inbox with its bulk actions, and the tracking book screen."""

from django.urls import path

from motcua.backoffice import views_auth, views_book, views_inbox, views_twofactor

urlpatterns = [
    path("login/", views_auth.StaffLoginView.as_view(), name="login"),
    path("logout/", views_auth.StaffLogoutView.as_view(), name="logout"),
    path("two-factor/", views_twofactor.manage, name="2fa"),
    path("two-factor/verify/", views_twofactor.verify, name="2fa-verify"),
    path("two-factor/enrol/", views_twofactor.enrol, name="2fa-enrol"),
    path("sign-in-log/", views_twofactor.sign_in_log, name="sign-in-log"),
    path("", views_inbox.inbox, name="inbox"),
    path("bulk/", views_inbox.bulk, name="bulk"),
    path("tracking-book/", views_book.tracking_book_page, name="tracking-book"),
]
