"""Password rules for new and changed passwords (ADR 0013): Django's validators, one of them reworded.

Django 5.2's MinimumLengthValidator words its error with a "%d" message that Django's Vietnamese catalogue
does not hold yet (it holds the older "%(min_length)d" wording), so Vietnamese users saw it in English. This
one says the same with the wording the catalogue translates.
"""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return ngettext(
            "This password is too short. It must contain at least %(min_length)d character.",
            "This password is too short. It must contain at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}
