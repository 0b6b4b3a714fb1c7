"""Public pages and citizen accounts (names fixed by the URL contract; other apps link to them)."""

from django.urls import path

from motcua.portal import views_account, views_dashboard, views_public, views_verify

urlpatterns = [
    path("", views_public.home, name="home"),
    path("procedures/", views_public.procedures, name="procedures"),
    path("procedures/<str:code>/", views_public.procedure, name="procedure"),
    path("lookup/", views_public.lookup, name="lookup"),
    path("lookup/<str:code>/", views_public.lookup_code, name="lookup-code"),
    path("verify/", views_verify.verify, name="verify"),
    path("dashboard/", views_dashboard.public_page, name="dashboard"),
    path("dashboard/<str:identity_code>/", views_dashboard.public_page, name="dashboard-agency"),
    path("account/signup/", views_account.signup, name="signup"),
    path("account/login/", views_account.SignInView.as_view(), name="login"),
    path("account/logout/", views_account.SignOutView.as_view(), name="logout"),
    path("account/verify/sent/", views_account.verify_email_sent, name="verify-email-sent"),
    path("account/verify/resend/", views_account.verify_email_resend, name="verify-email-resend"),
    path("account/verify/<uidb64>/<token>/", views_account.verify_email_link, name="verify-email"),
    path("account/password-reset/", views_account.PasswordResetView.as_view(), name="password-reset"),
    path(
        "account/password-reset/sent/",
        views_account.PasswordResetDoneView.as_view(),
        name="password-reset-done",
    ),
    path(
        "account/password-reset/complete/",
        views_account.PasswordResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
    path(
        "account/password-reset/<uidb64>/<token>/",
        views_account.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path("account/identity/<slug:key>/", views_account.identity_start, name="identity-start"),
    path("account/identity/<slug:key>/complete/", views_account.identity_complete, name="identity-complete"),
]
