"""Who may enter the back office: a signed-in officer (at least one staff role) or a superuser."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse

from motcua.org.selectors import agency_by_id, roles_by_agency, scope_agency_ids

View = Callable[..., HttpResponseBase]


def is_officer(user: User | AnonymousUser) -> bool:
    """True for a signed-in user holding a staff role in some agency, or a superuser."""
    return user.is_authenticated and (user.is_superuser or bool(roles_by_agency(user)))


def scope_unit_choices(user: User | AnonymousUser) -> list[tuple[str, str]]:
    """The units whose dossiers the officer sees, as (identity code, name) for a select: those they hold a
    role in first, then by name."""
    own = roles_by_agency(user)
    units = sorted((agency_by_id(i) for i in scope_agency_ids(user)), key=lambda a: (a.pk not in own, a.name))
    return [(unit.identity_code, unit.name) for unit in units]


def not_an_officer(request: HttpRequest) -> HttpResponse:
    """The page a signed-in citizen sees at the back-office door: a clear 403, never the inbox."""
    return render(request, "backoffice/auth/not_staff.html", {"hide_staff_nav": True}, status=403)


def staff_required(view: View) -> View:
    """View decorator: anonymous visitors go to the staff sign-in page, signed-in non-officers get a 403."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("backoffice:login"))
        if not is_officer(request.user):
            return not_an_officer(request)
        return view(request, *args, **kwargs)

    return guarded
