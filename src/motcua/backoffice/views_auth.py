"""Staff sign-in and sign-out: Django's views with the back office's template and destination."""

from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView, LogoutView
from django.http import HttpResponse
from django.urls import reverse

from motcua.backoffice.access import is_officer, not_an_officer


class StaffLoginView(LoginView):
    template_name = "backoffice/auth/login.html"

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        # A citizen's right password does not open the back office: they are told where they belong and
        # are not signed in here.
        if not is_officer(form.get_user()):
            return not_an_officer(self.request)
        return super().form_valid(form)

    def get_default_redirect_url(self) -> str:
        return reverse("backoffice:inbox")


class StaffLogoutView(LogoutView):
    next_page = "backoffice:login"
