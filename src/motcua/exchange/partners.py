"""Partner agencies as data: adding, listing and removing them, and knowing one by its credential."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.core.errors import FieldProblem, InvalidInput, NotFound
from motcua.core.memo import clear_reference_caches
from motcua.exchange.models import Partner
from motcua.org.models import AdministrativeUnit, Agency, validate_identity_code
from motcua.org.selectors import agency_by_code

# A credential shorter than this is guessable; a generated one is 43 characters.
MIN_CREDENTIAL_LENGTH = 24


@dataclass(frozen=True)
class PartnerAdded:
    partner: Partner
    created: bool  # False: an existing partner was updated
    # The credential the partner is to present to us, when we generated it: shown once, stored hashed.
    generated_inbound_credential: str | None


def add_partner(
    identity_code: str,
    *,
    inbox_url: str,
    outbound_credential: str,
    inbound_credential: str | None = None,
    name: str = "",
    administrative_unit: str = "",
) -> PartnerAdded:
    """Make the agency `identity_code` a partner, or update the partner it is. An agency not yet known is
    added with `name` under `administrative_unit` (its code); `inbound_credential` None generates one."""
    problems = []
    try:
        validate_identity_code(identity_code)
    except ValidationError as error:
        problems.append(FieldProblem("identity_code", "invalid", " ".join(error.messages)))
    try:
        URLValidator(schemes=["http", "https"])(inbox_url)
    except ValidationError:
        problems.append(
            FieldProblem("inbox_url", "invalid", _("Give the partner's inbox as an http(s) URL."))
        )
    credential = inbound_credential if inbound_credential is not None else secrets.token_urlsafe(32)
    for field, value in (
        ("outbound_credential", outbound_credential),
        ("inbound_credential", credential),
    ):
        if len(value) < MIN_CREDENTIAL_LENGTH:
            problems.append(
                FieldProblem(
                    field, "too_short", _("A credential has at least %d characters.") % MIN_CREDENTIAL_LENGTH
                )
            )
    agency = Agency.objects.filter(identity_code=identity_code).first()
    unit = None
    if agency is None and not problems:
        unit = AdministrativeUnit.objects.filter(code=administrative_unit).first()
        if not name.strip():
            problems.append(FieldProblem("name", "required", _("Name the agency: it is not known here yet.")))
        if unit is None:
            problems.append(
                FieldProblem(
                    "administrative_unit",
                    "unknown",
                    _("Name the administrative unit of the agency by its code: it is not known here yet."),
                )
            )
    credential_hash = Partner.hash_credential(credential)
    if (
        Partner.objects.filter(inbound_credential_hash=credential_hash)
        .exclude(agency__identity_code=identity_code)
        .exists()
    ):
        problems.append(
            FieldProblem(
                "inbound_credential", "taken", _("Another partner presents this credential already.")
            )
        )
    if problems:
        raise InvalidInput(_("The partner cannot be added as it is."), problems)
    with transaction.atomic():
        if agency is None:
            assert unit is not None
            agency = Agency.objects.create(
                identity_code=identity_code, name=name.strip(), administrative_unit=unit
            )
            transaction.on_commit(clear_reference_caches)
        partner, created = Partner.objects.update_or_create(
            agency=agency,
            defaults={
                "inbox_url": inbox_url,
                "outbound_credential": outbound_credential,
                "inbound_credential_hash": credential_hash,
                "is_active": True,
            },
        )
    return PartnerAdded(partner, created, credential if inbound_credential is None else None)


def partners() -> list[Partner]:
    return list(Partner.objects.select_related("agency"))


def remove_partner(identity_code: str) -> None:
    """The agency stops being a partner; it stays among the agencies, since dossiers name it."""
    deleted, _by_model = Partner.objects.filter(agency__identity_code=identity_code).delete()
    if not deleted:
        raise NotFound(_("No partner has the identity code %s.") % identity_code)


def active_partner(identity_code: str) -> Partner | None:
    return (
        Partner.objects.select_related("agency")
        .filter(agency__identity_code=identity_code, is_active=True)
        .first()
    )


def partner_presenting(credential: str) -> Partner | None:
    """The active partner whose credential this is; None for any other. Only hashes are compared, and a
    credential is long and random, so the lookup tells an attacker nothing a guess would not."""
    if not credential:
        return None
    return (
        Partner.objects.select_related("agency")
        .filter(inbound_credential_hash=Partner.hash_credential(credential), is_active=True)
        .first()
    )


def our_agency(identity_code: str) -> Agency | None:
    """The agency of this deployment with this code: known here and not a partner's."""
    agency = agency_by_code(identity_code)
    if agency is None or Partner.objects.filter(agency=agency).exists():
        return None
    return agency
