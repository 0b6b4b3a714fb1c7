"""Two-factor sign-in pages of the back office: the code after the password, enrolment with a QR code and
recovery codes, and the page to replace the recovery codes or remove the authenticator (password re-entered).
The rules are in motcua.org.twofactor."""

from __future__ import annotations

from base64 import b32encode
from typing import Any, cast

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth import authenticate, logout
from django.contrib.auth.models import User
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from motcua.core.errors import DomainError
from motcua.org import twofactor
from motcua.org.signin import is_staff_account, may_read_sign_in_log, sign_in_record


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "text",
                "autofocus": True,
                "spellcheck": "false",
            }
        ),
    )


class PasswordForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


def _next(request: HttpRequest) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if url and safe else reverse("backoffice:inbox")


def _signed_in(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("backoffice:login"))
    return None


def _failed(request: HttpRequest) -> None:
    """A wrong second factor counts as a failed sign-in (axes records it and may lock the account); a
    locked-out session is signed out."""
    user_login_failed.send(__name__, credentials={"username": request.user.get_username()}, request=request)
    if getattr(request, "axes_locked_out", False):
        logout(request)


def _done(request: HttpRequest, device: Any) -> None:
    otp_login(request, device)
    request.session.pop(twofactor.PENDING_KEY, None)
    # A new session key once the second factor is proved, as after the password.
    request.session.cycle_key()


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The second step after the password: a code from the authenticator app or a recovery code."""
    if (refused := _signed_in(request)) is not None:
        return refused
    if request.session.get(twofactor.PENDING_KEY) != twofactor.VERIFY:
        return redirect(_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = cast(User, request.user)
        device = twofactor.verify(user, form.cleaned_data["code"])
        if device is not None:
            _done(request, device)
            if not device.persistent_id.startswith("otp_totp"):
                left = twofactor.remaining_recovery_codes(user)
                messages.warning(
                    request,
                    _("You signed in with a recovery code. Recovery codes left: %(count)d.")
                    % {"count": left},
                )
            return redirect(_next(request))
        _failed(request)
        form.add_error("code", _("This code is not right, or it was already used. Try the current code."))
    return render(request, "backoffice/auth/2fa_verify.html", {"form": form, "next": _next(request)})


def _qr_svg(url: str) -> str:
    return segno.make(url, error="m").svg_inline(scale=5, dark="#1a1a1a", light="#ffffff")


@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code, confirm with the first code, keep the recovery codes."""
    if (refused := _signed_in(request)) is not None:
        return refused
    user = cast(User, request.user)
    if not is_staff_account(user):
        return redirect("backoffice:inbox")
    if twofactor.enrolled(user):
        return redirect("backoffice:2fa")
    device = twofactor.enrolment_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = twofactor.confirm_enrolment(user, form.cleaned_data["code"])
        except DomainError as error:
            form.add_error("code", str(error.detail))
        else:
            device.refresh_from_db()
            _done(request, device)
            shown = {"codes": codes, "next": _next(request)}
            return render(request, "backoffice/auth/2fa_codes.html", shown)
    context: dict[str, Any] = {
        "form": form,
        "qr": _qr_svg(device.config_url),
        "secret": b32encode(device.bin_key).decode(),
        "required": twofactor.required(user),
        "next": _next(request),
    }
    return render(request, "backoffice/auth/2fa_enrol.html", context)


@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest) -> HttpResponse:
    """The officer's two-factor settings: new recovery codes, or remove the authenticator; both ask for the
    password again, so a session left open at a counter cannot do either."""
    if (refused := _signed_in(request)) is not None:
        return refused
    user = cast(User, request.user)
    form = PasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action")
        again = authenticate(request, username=user.get_username(), password=form.cleaned_data["password"])
        if again is None or again.pk != user.pk:
            if getattr(request, "axes_locked_out", False):
                logout(request)
                return redirect("backoffice:login")
            form.add_error("password", _("This is not your password."))
        elif action == "codes" and twofactor.enrolled(user):
            codes = twofactor.new_recovery_codes(user)
            return render(
                request, "backoffice/auth/2fa_codes.html", {"codes": codes, "next": reverse("backoffice:2fa")}
            )
        elif action == "remove":
            twofactor.reset(user)
            request.session.pop("otp_device_id", None)
            if twofactor.required(user):
                request.session[twofactor.PENDING_KEY] = twofactor.ENROL
            messages.success(request, _("Two-factor sign-in is off for your account."))
            return redirect("backoffice:2fa")
    context: dict[str, Any] = {
        "form": form,
        "enrolled": twofactor.enrolled(user),
        "required": twofactor.required(user),
        "codes_left": twofactor.remaining_recovery_codes(user),
        "sign_in_log": may_read_sign_in_log(user),
    }
    return render(request, "backoffice/auth/2fa_manage.html", context)


def sign_in_log(request: HttpRequest) -> HttpResponse:
    """The record of failed and refused sign-ins (django-axes' tables), read-only, for auditors and admins."""
    if (refused := _signed_in(request)) is not None:
        return refused
    if not may_read_sign_in_log(request.user):
        return render(request, "backoffice/auth/not_allowed.html", status=403)
    return render(request, "backoffice/auth/sign_in_log.html", {"record": sign_in_record()})
