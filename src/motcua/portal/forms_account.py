"""Forms of the citizen's account pages. They read what was typed; the rules live in org.accounts, whose
problems come back onto the fields they concern."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UsernameField
from django.contrib.auth.password_validation import password_validators_help_texts
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import DomainError
from motcua.org.accounts import SignUp, awaiting_verification


class DomainErrorsMixin:
    """Put a domain error's field problems next to their fields; the rest goes to the top of the form."""

    # The name of a service's field where the form names it differently.
    domain_fields: dict[str, str] = {}

    def add_domain_error(self, error: DomainError) -> None:
        """Each field keeps the first problem found with it: the form's own (a required field left empty)
        comes before the service's."""
        form: forms.Form = self  # type: ignore[assignment]
        for problem in error.errors:
            field = self.domain_fields.get(problem.field, problem.field)
            if field not in form.fields:
                form.add_error(None, str(problem.message))
            elif field not in form.errors:
                form.add_error(field, str(problem.message))
        if not error.errors:
            form.add_error(None, str(error.detail or error.title))


class SignUpForm(DomainErrorsMixin, forms.Form):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        help_text=_("As written on your citizen identity card."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    id_number = forms.CharField(
        label=_("Personal identification number"),
        max_length=12,
        help_text=_("The 12 digits on your citizen identity card."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": r"\d{12}"}),
    )
    email = forms.CharField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("We send a link to this address to activate your account."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone number (optional)"),
        max_length=20,
        required=False,
        help_text=_("You may then also sign in with your phone number."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=lazy(lambda: " ".join(password_validators_help_texts()), str)(),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_confirmation = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password, confirmation = cleaned.get("password"), cleaned.get("password_confirmation")
        if password and confirmation and password != confirmation:
            self.add_error("password_confirmation", _("The two passwords are not the same."))
        return cleaned

    def sign_up(self) -> SignUp:
        """What was typed, as the service reads it, whether or not the form found every field filled in."""

        def typed(name: str) -> str:
            return str(self.cleaned_data.get(name, self.data.get(name, "")))

        return SignUp(
            full_name=typed("full_name"),
            id_number=typed("id_number").strip(),
            email=typed("email"),
            password=typed("password"),
            phone=typed("phone"),
        )


class SignInForm(AuthenticationForm):
    username = UsernameField(
        label=_("E-mail, phone number or username"),
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        # The same words whether the account exists or not, so the form tells nobody which accounts exist.
        "invalid_login": _("The sign-in name or the password is not right. Check both and try again."),
        "unverified": _(
            "Your e-mail address is not verified yet. Open the link we sent to %(email)s, or ask for a "
            "new one."
        ),
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Set when the password is right but the e-mail address still waits for its verification link.
        self.unverified_email: str | None = None

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except ValidationError as exc:
            if exc.code != "invalid_login":
                raise
            user = awaiting_verification(self.cleaned_data.get("username", ""), self.cleaned_data["password"])
            if user is None:
                raise
            self.unverified_email = user.email
            raise ValidationError(
                self.error_messages["unverified"], code="unverified", params={"email": user.email}
            ) from None


class EmailForm(forms.Form):
    email = forms.CharField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
