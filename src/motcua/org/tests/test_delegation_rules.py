import datetime as dt

import pytest

from motcua.core.errors import Conflict, InvalidInput, PermissionDenied
from motcua.org.models import DelegationAudit
from motcua.org.services import grant_delegation, revoke_delegation, signing_capacity

START = dt.date(2026, 1, 1)


def user(world, username):
    return world.department.staff_roles.get(user__username=username).user


def test_leader_grants_and_the_delegate_signs_on_behalf(world):
    leader, specialist = user(world, "leader"), user(world, "specialist")
    delegation = grant_delegation(
        leader, specialist, world.department, ["1.001193"], START, dt.date(2026, 12, 31)
    )
    capacity = signing_capacity(specialist, world.department.pk, "1.001193", dt.date(2026, 6, 1))
    assert capacity is not None and not capacity.direct and capacity.delegation == delegation
    assert signing_capacity(specialist, world.department.pk, "2.000908", dt.date(2026, 6, 1)) is None
    assert signing_capacity(specialist, world.department.pk, "1.001193", dt.date(2027, 1, 1)) is None
    assert signing_capacity(leader, world.department.pk, "anything", START).direct
    assert DelegationAudit.objects.filter(delegation=delegation, action="granted").exists()


def test_at_most_36_months(world):
    leader, specialist = user(world, "leader"), user(world, "specialist")
    grant_delegation(leader, specialist, world.department, ["1.001193"], START, dt.date(2028, 12, 31))
    with pytest.raises(InvalidInput) as exc:
        grant_delegation(leader, specialist, world.department, ["1.001193"], START, dt.date(2029, 1, 1))
    assert exc.value.errors[0].field == "valid_to"


def test_no_sub_delegation_and_no_outsider(world):
    leader, specialist, clerk = user(world, "leader"), user(world, "specialist"), user(world, "clerk")
    grant_delegation(leader, specialist, world.department, ["1.001193"], START, dt.date(2026, 6, 30))
    with pytest.raises(PermissionDenied):
        grant_delegation(specialist, clerk, world.department, ["1.001193"], START, dt.date(2026, 6, 30))
    outsider = world.other_commune.staff_roles.get(user__username="other_specialist").user
    with pytest.raises(InvalidInput):
        grant_delegation(leader, outsider, world.department, ["1.001193"], START, dt.date(2026, 6, 30))
    with pytest.raises(InvalidInput):
        grant_delegation(leader, leader, world.department, ["1.001193"], START, dt.date(2026, 6, 30))


def test_revocation_ends_signing_and_is_audited_once(world):
    leader, specialist = user(world, "leader"), user(world, "specialist")
    delegation = grant_delegation(
        leader, specialist, world.department, ["1.001193"], START, dt.date(2026, 6, 30)
    )
    with pytest.raises(InvalidInput):
        revoke_delegation(delegation, leader, " ")
    revoke_delegation(delegation, leader, "Chuyển công tác")
    assert signing_capacity(specialist, world.department.pk, "1.001193", dt.date(2026, 3, 1)) is None
    with pytest.raises(Conflict):
        revoke_delegation(delegation, leader, "again")
    assert list(delegation.audit.values_list("action", flat=True)) == ["granted", "revoked"]
