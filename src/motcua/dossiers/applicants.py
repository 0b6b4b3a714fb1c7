"""What we already know about an applicant, so that no form asks twice (DOMAIN.md §11.2 "no-writing")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import User

from motcua.dossiers.models import Dossier
from motcua.org.models import CitizenProfile


@dataclass(frozen=True)
class KnownApplicant:
    full_name: str = ""
    id_number: str = ""
    date_of_birth: dt.date | None = None
    phone: str = ""
    email: str = ""
    address: str = ""


def _from_dossier(dossier: Dossier) -> KnownApplicant:
    return KnownApplicant(
        full_name=dossier.applicant_name,
        id_number=dossier.applicant_id_number,
        date_of_birth=dossier.applicant_date_of_birth,
        phone=dossier.applicant_phone,
        email=dossier.applicant_email,
        address=dossier.applicant_address,
    )


def known_applicant_for_user(user: User) -> KnownApplicant:
    """The signed-in citizen's details: their latest dossier first, their account for what it lacks."""
    profile = CitizenProfile.objects.filter(user_id=user.pk).first()
    latest = Dossier.objects.filter(applicant_user_id=user.pk).order_by("-created_at", "-id").first()
    known = _from_dossier(latest) if latest else KnownApplicant()
    return KnownApplicant(
        full_name=known.full_name or user.get_full_name(),
        id_number=known.id_number or (profile.id_number if profile else ""),
        date_of_birth=known.date_of_birth,
        phone=known.phone or (profile.phone if profile else ""),
        email=known.email or user.email,
        address=known.address,
    )


def known_applicant_by_id_number(id_number: str) -> KnownApplicant | None:
    """At the counter: the details from this person's latest dossier, if they applied before.

    Any counter officer may look a person up by the number on the card in front of them; the answer holds no
    more than that person tells the counter on every visit."""
    latest = (
        Dossier.objects.filter(applicant_id_number=id_number.strip()).order_by("-created_at", "-id").first()
    )
    return _from_dossier(latest) if latest else None
