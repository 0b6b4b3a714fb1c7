"""The organisation's admin pages: they answer; an officer is created with roles in one save; delegations are
granted and revoked only through the services, whose refusals appear next to the field concerned."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client

from motcua.org.constants import Role
from motcua.org.models import Agency, ApiToken, Delegation, DelegationAudit, StaffRole
from motcua.org.services import grant_delegation

START = dt.date(2026, 1, 1)


@pytest.fixture
def superuser(db, django_user_model) -> User:
    return django_user_model.objects.create_superuser("org-admin", "admin@example.vn", "pw-12345678")


@pytest.fixture
def superuser_client(superuser) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(superuser)
    return client


def staff(username: str) -> User:
    return User.objects.get(username=username)


def half_year_delegation(world) -> Delegation:
    """The department's leader authorises a specialist to sign birth registrations for six months."""
    leader, specialist = staff("leader"), staff("specialist")
    return grant_delegation(leader, specialist, world.department, ["1.001193"], START, dt.date(2026, 6, 30))


def test_every_organisation_page_answers(world, superuser_client):
    delegation = half_year_delegation(world)
    role = StaffRole.objects.filter(agency=world.department).first()
    citizen = User.objects.get(username="citizen").citizen
    token = ApiToken.objects.first()
    for url in [
        "/admin/org/",
        "/admin/org/administrativeunit/",
        "/admin/org/administrativeunit/?in_force=yes&level=commune",
        f"/admin/org/administrativeunit/{world.commune.pk}/change/",
        "/admin/org/agency/",
        f"/admin/org/agency/?parent={world.city.pk}",
        "/admin/org/agency/?parent=none",
        f"/admin/org/agency/{world.department.pk}/change/",
        "/admin/org/agency/add/",
        "/admin/org/counter/",
        "/admin/org/counter/add/",
        "/admin/org/staffrole/",
        f"/admin/org/staffrole/{role.pk}/change/",
        "/admin/auth/user/",
        "/admin/auth/user/?staff_roles__role=unit_leader",
        "/admin/auth/user/add/",
        f"/admin/auth/user/{role.user_id}/change/",
        "/admin/org/citizenprofile/",
        f"/admin/org/citizenprofile/{citizen.pk}/change/",
        "/admin/org/delegation/",
        "/admin/org/delegation/?state=active",
        "/admin/org/delegation/add/",
        f"/admin/org/delegation/{delegation.pk}/change/",
        "/admin/org/apitoken/",
        f"/admin/org/apitoken/{token.pk}/change/",
    ]:
        assert superuser_client.get(url).status_code == 200, url


def test_agencies_show_their_place_in_the_tree(world, superuser_client):
    page = superuser_client.get(f"/admin/org/agency/?parent={world.city.pk}").content.decode()
    assert "— Sở Tư pháp" in page
    assert '<td class="field-parent_code">000.00.00.H26</td>' in page
    top = superuser_client.get("/admin/org/agency/?parent=none").content.decode()
    assert "Sở Tư pháp" not in top


def test_citizen_numbers_are_masked_in_the_list(world, superuser_client):
    page = superuser_client.get("/admin/org/citizenprofile/").content.decode()
    assert "001******345" in page
    assert "001090012345" not in page


def test_an_agency_code_that_is_not_an_identity_code_is_refused(world, superuser_client):
    response = superuser_client.post(
        "/admin/org/agency/add/",
        {
            "identity_code": "SO-TU-PHAP",
            "name": "Sở mới",
            "kind": "department",
            "administrative_unit": world.province.pk,
            "counters-TOTAL_FORMS": 0,
            "counters-INITIAL_FORMS": 0,
            "staff_roles-TOTAL_FORMS": 0,
            "staff_roles-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert "identity_code" in response.context["adminform"].form.errors
    assert not Agency.objects.filter(name="Sở mới").exists()


def test_an_agency_cannot_be_put_below_its_own_sub_agency(world, superuser_client):
    url = f"/admin/org/agency/{world.city.pk}/change/"
    response = superuser_client.post(
        url,
        {
            "identity_code": world.city.identity_code,
            "name": world.city.name,
            "kind": world.city.kind,
            "administrative_unit": world.province.pk,
            "parent": world.department.pk,
            "counters-TOTAL_FORMS": 0,
            "counters-INITIAL_FORMS": 0,
            "staff_roles-TOTAL_FORMS": 0,
            "staff_roles-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert "parent" in response.context["adminform"].form.errors
    world.city.refresh_from_db()
    assert world.city.parent_id is None


def test_an_officer_is_created_with_roles_in_one_save(world, superuser_client):
    response = superuser_client.post(
        "/admin/auth/user/add/",
        {
            "username": "chuyenvien.moi",
            "first_name": "Trần Thị",
            "last_name": "Hoa",
            "email": "hoa@example.vn",
            "usable_password": "true",
            "password1": "mat-khau-12345",
            "password2": "mat-khau-12345",
            "staff_roles-TOTAL_FORMS": 2,
            "staff_roles-INITIAL_FORMS": 0,
            "staff_roles-0-agency": world.department.pk,
            "staff_roles-0-role": Role.SPECIALIST,
            "staff_roles-0-position": "Chuyên viên",
            "staff_roles-1-agency": world.commune_committee.pk,
            "staff_roles-1-role": Role.COUNTER_OFFICER,
        },
    )

    assert response.status_code == 302, response.context and response.context["errors"]
    officer = User.objects.get(username="chuyenvien.moi")
    assert officer.get_full_name() == "Trần Thị Hoa"
    assert officer.check_password("mat-khau-12345")
    assert set(officer.staff_roles.values_list("agency__identity_code", "role", "position")) == {
        ("000.00.21.H26", Role.SPECIALIST, "Chuyên viên"),
        ("000.A1.01.H26", Role.COUNTER_OFFICER, ""),
    }
    listing = superuser_client.get("/admin/auth/user/", {"q": "chuyenvien.moi"}).content.decode()
    assert "Specialist @ 000.00.21.H26" in listing


def grant_form(world, **overrides) -> dict[str, object]:
    return {
        "agency": world.department.pk,
        "grantor": staff("leader").pk,
        "delegate": staff("specialist").pk,
        "procedure_codes": "1.001193, 2.000908",
        "decision_number": "12/QĐ-STP",
        "valid_from": START.isoformat(),
        "valid_to": "2026-12-31",
        **overrides,
    }


def test_a_delegation_is_granted_through_the_service(world, superuser_client):
    response = superuser_client.post("/admin/org/delegation/add/", grant_form(world))

    delegation = Delegation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/org/delegation/{delegation.pk}/change/"
    assert delegation.procedure_codes == ["1.001193", "2.000908"]
    assert list(delegation.audit.values_list("action", flat=True)) == ["granted"]


def test_a_delegation_over_36_months_is_refused_next_to_its_end_date(world, superuser_client):
    response = superuser_client.post("/admin/org/delegation/add/", grant_form(world, valid_to="2029-01-01"))

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["valid_to"] == ["A delegation lasts at most 36 months."]
    page = response.content.decode()
    assert "errornote" in page and 'aria-invalid="true"' in page
    assert 'value="12/QĐ-STP"' in page  # what was typed is kept
    assert not Delegation.objects.exists()


def test_a_delegate_cannot_pass_the_authority_on(world, superuser_client):
    half_year_delegation(world)
    response = superuser_client.post(
        "/admin/org/delegation/add/",
        grant_form(world, grantor=staff("specialist").pk, delegate=staff("clerk").pk),
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["grantor"] == [
        "Only a leader of the agency may authorise an officer to sign."
    ]
    assert Delegation.objects.count() == 1


def test_delegations_are_never_edited_or_deleted_here(world, superuser_client):
    delegation = half_year_delegation(world)
    url = f"/admin/org/delegation/{delegation.pk}/change/"
    assert superuser_client.post(url, {"valid_to": "2030-01-01"}).status_code == 403
    assert superuser_client.post(f"/admin/org/delegation/{delegation.pk}/delete/").status_code == 403
    delegation.refresh_from_db()
    assert delegation.valid_to == dt.date(2026, 6, 30)


def revoke(client: Client, delegation: Delegation, **fields: str):
    data = {"action": "revoke_delegations", "_selected_action": [delegation.pk], **fields}
    return client.post("/admin/org/delegation/", data, follow=True)


def test_revoking_asks_why_and_goes_through_the_service(world, superuser, superuser_client):
    delegation = half_year_delegation(world)
    # Revoking is for a leader or an administrator of the agency: this one administers the city.
    StaffRole.objects.create(user=superuser, agency=world.city, role=Role.ADMIN)

    asked = revoke(superuser_client, delegation)
    assert "admin/org/delegation/revoke.html" in [t.name for t in asked.templates]
    again = revoke(superuser_client, delegation, reason=" ")
    assert "reason" in again.context["form"].errors

    done = revoke(superuser_client, delegation, reason="Chuyển công tác")

    assert "1 delegation revoked." in done.content.decode()
    delegation.refresh_from_db()
    assert delegation.revoked_by == superuser and delegation.revocation_reason == "Chuyển công tác"
    assert DelegationAudit.objects.filter(delegation=delegation, action="revoked").count() == 1


def test_someone_without_authority_over_the_agency_cannot_revoke(world, superuser_client):
    delegation = half_year_delegation(world)

    done = revoke(superuser_client, delegation, reason="Chuyển công tác")

    assert "Only the agency&#x27;s leader may revoke a delegation." in done.content.decode()
    delegation.refresh_from_db()
    assert delegation.revoked_at is None


def test_api_tokens_are_only_seen_and_revoked(world, superuser_client):
    token = ApiToken.objects.get(user__username="citizen")
    assert superuser_client.get("/admin/org/apitoken/add/").status_code == 403
    assert superuser_client.post(f"/admin/org/apitoken/{token.pk}/change/", {}).status_code == 403

    response = superuser_client.post(
        "/admin/org/apitoken/", {"action": "revoke_tokens", "_selected_action": [token.pk]}, follow=True
    )

    assert "1 token revoked." in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert world.client("citizen").get("/api/v1/dossiers").status_code == 401
