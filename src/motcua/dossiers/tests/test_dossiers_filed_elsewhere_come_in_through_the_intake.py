"""A dossier filed on another system (the national portal, a partner agency) comes in through the same intake
as our own online submissions, with two differences: it belongs to no account here, and its required documents
are judged by the officer on acceptance rather than refused at the door."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from motcua.conftest import APPLICANT, VALID_FORM
from motcua.core.errors import InvalidInput
from motcua.dossiers.lifecycle import Channel, Status
from motcua.dossiers.models import DossierDocument, Origin
from motcua.dossiers.services.intake import Intake, create_dossier


def _online(world, **origin) -> Intake:
    return Intake(
        procedure=world.procedure.local_code,
        case="standard",
        channel=Channel.ONLINE,
        applicant=APPLICANT,
        form=VALID_FORM,
        **origin,
    )


def test_a_dossier_from_the_national_portal_has_no_owner_here_and_waits_for_its_documents(world):
    system = User.objects.create(username="portal-system")

    dossier = create_dossier(
        system,
        _online(world, origin=Origin.NATIONAL_PORTAL, origin_code="G22.99-261208-0001", vneid_verified=True),
    )

    assert (dossier.status, dossier.origin, dossier.origin_code) == (
        Status.SUBMITTED,
        Origin.NATIONAL_PORTAL,
        "G22.99-261208-0001",
    )
    assert dossier.applicant_user is None and dossier.created_by == system
    assert dossier.vneid_verified
    assert not DossierDocument.objects.filter(dossier=dossier).exists()


def test_our_own_online_submission_still_needs_its_documents(world):
    citizen = User.objects.get(username="citizen")

    with pytest.raises(InvalidInput) as refused:
        create_dossier(citizen, _online(world))

    assert [(p.field, p.code) for p in refused.value.errors] == [("documents", "missing")]
