import pytest
from django.core.management import CommandError, call_command

from motcua.core.errors import Conflict, InvalidInput
from motcua.org.models import ApiToken, StaffRole
from motcua.org.services import create_citizen, issue_api_token


def test_createstaff_adds_roles_in_several_units(world, capsys):
    call_command("createstaff", "multi", "--unit", world.centre.identity_code, "--role", "counter_officer")
    call_command("createstaff", "multi", "--unit", world.department.identity_code, "--role", "specialist")
    roles = set(StaffRole.objects.filter(user__username="multi").values_list("agency__identity_code", "role"))
    assert roles == {
        (world.centre.identity_code, "counter_officer"),
        (world.department.identity_code, "specialist"),
    }


def test_createstaff_rejects_unknown_unit(db):
    with pytest.raises(CommandError, match=r"000\.99\.99\.H26"):
        call_command("createstaff", "x", "--unit", "000.99.99.H26", "--role", "specialist")


@pytest.mark.parametrize("bad", ["12345", "00109001234X", "999090012345", ""])
def test_citizen_needs_a_valid_personal_number(db, bad):
    with pytest.raises(InvalidInput):
        create_citizen("someone", bad)


def test_one_personal_number_one_account(world):
    with pytest.raises(Conflict):
        create_citizen("impostor", "001090012345")


def test_apitoken_prints_a_working_token_on_its_last_line(world, capsys, client):
    call_command("apitoken", "specialist")
    token = capsys.readouterr().out.strip().splitlines()[-1]
    response = client.get("/api/v1/dossiers", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert ApiToken.objects.get(key_hash=ApiToken.hash_key(token)).user.username == "specialist"


def test_revoked_or_unknown_tokens_are_refused(world, client):
    token = issue_api_token(world.department.staff_roles.first().user)
    ApiToken.objects.filter(key_hash=ApiToken.hash_key(token)).update(revoked_at="2026-01-01T00:00:00Z")
    for key in (token, "not-a-token"):
        response = client.get("/api/v1/dossiers", headers={"Authorization": f"Bearer {key}"})
        assert response.status_code == 401
        assert response["Content-Type"] == "application/problem+json"
