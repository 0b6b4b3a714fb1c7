"""Citizen account pages: sign-up and e-mail verification, sign-in and sign-out, password reset, and sign-in
through a registered identity provider (portal.identity).

Sign-in attempts are counted by django-axes (motcua.org.signin); the e-mails these pages send are limited per
address and per client address (motcua.org.mail_limits), with the same answer whether or not a mail went.
"""

from __future__ import annotations

import logging
from smtplib import SMTPException
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.mail import send_mail
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.core.client import client_address
from motcua.core.context import site
from motcua.core.errors import DomainError, InvalidInput
from motcua.core.links import public_domain, public_url
from motcua.org.accounts import (
    awaiting_verification_by_email,
    check_sign_up,
    citizen_proved_by_identity,
    sign_up,
    verification_link,
    verify_email,
)
from motcua.org.mail_limits import allow_mail
from motcua.org.models import CitizenProfile
from motcua.portal.forms_account import EmailForm, SignInForm, SignUpForm
from motcua.portal.identity import IdentityNotVerified, providers

logger = logging.getLogger(__name__)

SIGN_IN_BACKEND = "motcua.org.accounts.SignInBackend"
# Session keys: where the verification link went (for the "check your e-mail" page), and where to go once an
# identity provider sends the citizen back.
SENT_TO_KEY = "portal.verification_sent_to"
IDENTITY_NEXT_KEY = "portal.identity_next"


def public_base_url(request: HttpRequest) -> str:
    """The address links in e-mails start with: the configured public address, never the request's Host."""
    return public_url()


def _send(request: HttpRequest, template: str, context: dict[str, Any], to: str) -> bool:
    """Send `template`'s subject and body; False when the mail server refused, which the page then says."""
    context = {**site(request), **context}
    subject = " ".join(render_to_string(f"{template}_subject.txt", context, request).split())
    body = render_to_string(f"{template}_body.txt", context, request)
    try:
        send_mail(subject, body, None, [to])
    except (SMTPException, OSError):
        logger.exception("could not send %s", template)
        return False
    return True


def send_verification_email(request: HttpRequest, profile: CitizenProfile) -> bool:
    link = verification_link(profile)
    path = reverse("portal:verify-email", kwargs={"uidb64": link.uidb64, "token": link.token})
    context = {"user": profile.user, "url": public_base_url(request) + path}
    return _send(request, "portal/account/email/verify", context, profile.user.email)


def _verification_sent(request: HttpRequest, email: str, delivered: bool) -> HttpResponse:
    request.session[SENT_TO_KEY] = email
    if not delivered:
        messages.warning(request, _("We could not send the e-mail just now. Ask for a new link in a moment."))
    return redirect("portal:verify-email-sent")


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = SignUpForm(request.POST or None)
    if request.method == "POST":
        try:
            if form.is_valid():
                profile = sign_up(form.sign_up())
                delivered = True
                if allow_mail("signup", profile.user.email, client_address(request)):
                    delivered = send_verification_email(request, profile)
                return _verification_sent(request, profile.user.email, delivered)
            # The form's own errors do not hide the rest: the service's are shown beside them.
            check_sign_up(form.sign_up())
        except DomainError as error:
            form.add_domain_error(error)
    return render(request, "portal/account/signup.html", {"form": form})


def verify_email_sent(request: HttpRequest) -> HttpResponse:
    email = request.session.get(SENT_TO_KEY, "")
    return render(request, "portal/account/verify_sent.html", {"email": email, "form": EmailForm()})


def verify_email_resend(request: HttpRequest) -> HttpResponse:
    """Send the link again. The answer is the same whether or not an account has the address."""
    form = EmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        profile = awaiting_verification_by_email(email)
        delivered = True
        # Counted whether or not an account waits, so the limit tells nobody which addresses have one.
        if allow_mail("resend", email, client_address(request)) and profile is not None:
            delivered = send_verification_email(request, profile)
        messages.info(
            request,
            _("If an account with this address is waiting for verification, we have sent it a new link."),
        )
        return _verification_sent(request, email, delivered)
    return render(request, "portal/account/verify_resend.html", {"form": form})


def verify_email_link(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    try:
        verification = verify_email(uidb64, token)
    except InvalidInput as error:
        context = {"message": str(error.detail), "form": EmailForm()}
        return render(request, "portal/account/verify_invalid.html", context, status=400)
    return render(request, "portal/account/verified.html", {"verification": verification})


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "portal/account/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "providers": list(providers)}


class SignOutView(auth_views.LogoutView):
    next_page = "portal:home"  # a URL name: LogoutView resolves it


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "portal/account/password_reset.html"
    email_template_name = "portal/account/email/password_reset_body.txt"
    subject_template_name = "portal/account/email/password_reset_subject.txt"
    success_url = reverse_lazy("portal:password-reset-done")

    def form_valid(self, form: Any) -> HttpResponse:
        if not allow_mail("reset", form.cleaned_data["email"], client_address(self.request)):
            # The same page as when the mail goes: the limit tells nobody whether the address has an account.
            return redirect(self.get_success_url())
        # Django would name the site and build `protocol://domain` from the request's Host header.
        protocol, domain = public_domain()
        brand = site(self.request)
        self.extra_email_context = {
            **brand,
            "site_name": brand["brand_name"],
            "protocol": protocol,
            "domain": domain,
            "public_url": public_url(),
        }
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "portal/account/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "portal/account/password_reset_confirm.html"
    success_url = reverse_lazy("portal:password-reset-complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "portal/account/password_reset_complete.html"


def _unknown_provider(request: HttpRequest, key: str) -> HttpResponse:
    message = _("There is no sign-in service called %(key)s.") % {"key": key}
    return render(request, "portal/public/not_found.html", {"message": message}, status=404)


def _safe_next(request: HttpRequest, url: str) -> str:
    allowed = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if url and allowed else ""


@require_POST
def identity_start(request: HttpRequest, key: str) -> HttpResponse:
    """Send the citizen to the provider, remembering where they were going."""
    provider = providers.get(key)
    if provider is None:
        return _unknown_provider(request, key)
    request.session[IDENTITY_NEXT_KEY] = _safe_next(request, request.POST.get("next", ""))
    return redirect(provider.authorization_url(request))


def identity_complete(request: HttpRequest, key: str) -> HttpResponse:
    """The provider sends the citizen back here: sign in the account that holds the proved identity."""
    provider = providers.get(key)
    if provider is None:
        return _unknown_provider(request, key)
    try:
        identity = provider.complete(request)
    except IdentityNotVerified as refusal:
        messages.error(request, str(refusal) or _("The sign-in service could not confirm who you are."))
        return redirect("portal:login")
    user = citizen_proved_by_identity(identity.id_number)
    if user is None:
        messages.warning(
            request, _("No account has your personal identification number yet. Sign up to create one.")
        )
        return redirect("portal:signup")
    going_to = _safe_next(request, request.session.pop(IDENTITY_NEXT_KEY, ""))
    login(request, user, backend=SIGN_IN_BACKEND)
    return redirect(going_to or settings.LOGIN_REDIRECT_URL)
