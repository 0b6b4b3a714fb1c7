"""The catalogue's admin pages: they answer, search without accents, and refuse what publishing would refuse
(workflow budgets over the case's time, an invalid e-form schema, overlapping versions) without writing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from motcua.catalog.models import Case, Fee, ProcedureVersion, WorkflowStep
from motcua.org.constants import Role


@pytest.fixture
def superuser_client(db, django_user_model) -> Client:
    user = django_user_model.objects.create_superuser("catalogue-admin", "admin@example.vn", "pw-12345678")
    # English, so that the messages compared below are the msgids; one test asks for Vietnamese itself.
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def page_data(response) -> dict[str, Any]:
    """What the change page's form would send back untouched: its fields and every inline's rows."""
    forms = [response.context["adminform"].form]
    data: dict[str, Any] = {}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data.update({management.add_prefix(name): management[name].value() for name in management.fields})
        forms.extend(formset.forms)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = "on" if value is True else value
    return data


def add_step(data: dict[str, Any], name: str, role: str, hours: int) -> None:
    index = int(data["steps-TOTAL_FORMS"])
    data.update(
        {
            f"steps-{index}-order": index + 1,
            f"steps-{index}-name": name,
            f"steps-{index}-role": role,
            f"steps-{index}-budget_hours": hours,
            "steps-TOTAL_FORMS": index + 1,
        }
    )


def case_url(case: Case) -> str:
    return f"/admin/catalog/case/{case.pk}/change/"


def test_every_catalogue_page_answers(world, superuser_client):
    version, case = world.version, world.case
    for url in [
        "/admin/",
        "/admin/catalog/",
        "/admin/catalog/field/",
        "/admin/catalog/procedure/",
        f"/admin/catalog/procedure/{world.procedure.pk}/change/",
        "/admin/catalog/procedureversion/",
        "/admin/catalog/procedureversion/?in_force=today",
        "/admin/catalog/procedureversion/?in_force=ended&level=province",
        f"/admin/catalog/procedureversion/{version.pk}/change/",
        f"/admin/catalog/procedureversion/add/?procedure={world.procedure.pk}",
        "/admin/catalog/case/",
        case_url(case),
        "/admin/catalog/case/add/",
        "/admin/catalog/serviceprogramme/",
        "/admin/catalog/serviceprogramme/add/",
    ]:
        assert superuser_client.get(url).status_code == 200, url


def test_versions_are_listed_with_validity_and_in_force_today(world, superuser_client):
    page = superuser_client.get("/admin/catalog/procedureversion/?in_force=today").content.decode()
    assert "1.001193.000.00.00.H26" in page
    assert "Đăng ký khai sinh" in page
    assert "from 07/01/2025" in page
    ended = superuser_client.get("/admin/catalog/procedureversion/?in_force=ended").content.decode()
    assert "Đăng ký khai sinh" not in ended


def test_search_ignores_accents(world, superuser_client):
    for url in ["/admin/catalog/procedureversion/", "/admin/catalog/procedure/", "/admin/catalog/case/"]:
        found = superuser_client.get(url, {"q": "dang ky KHAI sinh"}).content.decode()
        assert "1.001193.000.00.00.H26" in found, url
        missing = superuser_client.get(url, {"q": "kết hôn"}).content.decode()
        assert "1.001193.000.00.00.H26" not in missing, url


def test_the_procedure_page_offers_the_next_version_prefilled(world, superuser_client):
    page = superuser_client.get(f"/admin/catalog/procedure/{world.procedure.pk}/change/")
    add_url = f"/admin/catalog/procedureversion/add/?procedure={world.procedure.pk}"
    assert add_url.replace("&", "&amp;") in page.content.decode()
    form = superuser_client.get(add_url).context["adminform"].form
    assert form.initial["number"] == 2
    assert form.initial["name"] == "Đăng ký khai sinh"


def test_a_case_whose_steps_need_more_than_its_time_is_refused_and_nothing_written(world, superuser_client):
    case = world.case  # 3 working days = 24 hours; its steps use 12 + 8 + 4
    data = page_data(superuser_client.get(case_url(case)))
    data["name"] = "Renamed while over budget"
    add_step(data, "Kiểm tra lại", Role.SPECIALIST, 8)

    response = superuser_client.post(case_url(case), data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "need 32 working hours; the case allows 24" in page
    assert "errornote" in page
    assert WorkflowStep.objects.filter(case=case).count() == 3
    case.refresh_from_db()
    assert case.name == "Thông thường"


def test_shortening_a_case_below_its_steps_is_refused_on_the_case_page(world, superuser_client):
    case = world.case
    data = page_data(superuser_client.get(case_url(case)))
    data["time_value"] = 2

    response = superuser_client.post(case_url(case), data)

    assert response.status_code == 200
    assert "need 24 working hours; the case allows 16" in response.content.decode()
    case.refresh_from_db()
    assert case.time_value == 3


def test_steps_within_the_case_time_are_saved(world, superuser_client):
    case = world.case
    data = page_data(superuser_client.get(case_url(case)))
    data["steps-0-budget_hours"] = 10
    add_step(data, "Kiểm tra lại", Role.SPECIALIST, 2)

    response = superuser_client.post(case_url(case), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    budgets = WorkflowStep.objects.filter(case=case).values_list("budget_hours", flat=True)
    assert sorted(budgets) == [2, 4, 8, 10]


def test_an_invalid_schema_is_refused_with_an_error_on_the_field(world, superuser_client):
    case = world.case
    data = page_data(superuser_client.get(case_url(case)))
    data["form_schema"] = '{"type": "array", "items": {"type": "string"}}'

    response = superuser_client.post(case_url(case), data)

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["form_schema"] == ['An e-form schema describes an object ("type": "object").']
    assert 'aria-invalid="true"' in response.content.decode()
    case.refresh_from_db()
    assert case.form_schema["type"] == "object"


def test_text_that_is_not_json_is_refused_and_kept_as_typed(world, superuser_client):
    case = world.case
    data = page_data(superuser_client.get(case_url(case)))
    data["form_schema"] = '{"type": "object", "properties": {'

    response = superuser_client.post(case_url(case), data)

    assert response.status_code == 200
    assert "form_schema" in response.context["adminform"].form.errors
    assert "{&quot;type&quot;: &quot;object&quot;, &quot;properties&quot;: {" in response.content.decode()


def test_an_empty_schema_box_means_no_e_form(world, superuser_client):
    case = world.case
    data = page_data(superuser_client.get(case_url(case)))
    data["form_schema"] = ""

    assert superuser_client.post(case_url(case), data).status_code == 302
    case.refresh_from_db()
    assert case.form_schema == {}


def test_the_schema_editor_carries_its_preview_and_translated_texts(world, superuser_client):
    page = superuser_client.get(case_url(world.case)).content.decode()
    assert "catalog/admin/schema-editor.js" in page
    assert "data-schema-editor" in page
    assert 'id="id_form_schema-preview"' in page
    assert "invalidJson" in page
    # The schema is shown indented, one property per line, with its Vietnamese titles as typed.
    assert "\n  &quot;type&quot;: &quot;object&quot;" in page
    assert "Họ tên trẻ" in page


def test_fees_are_whole_dong_written_with_thousands_separators(world, superuser_client):
    case = world.case
    data = page_data(superuser_client.get(case_url(case)))
    data.update(
        {
            "fees-TOTAL_FORMS": 1,
            "fees-0-kind": "charge",
            "fees-0-amount": "1.250.000",
            "fees-0-online_amount": "625000",
        }
    )

    assert superuser_client.post(case_url(case), data).status_code == 302
    fee = Fee.objects.get(case=case)
    assert (fee.amount, fee.online_amount) == (1_250_000, 625_000)
    page = superuser_client.get(case_url(case), headers={"accept-language": "vi"}).content.decode()
    assert 'type="text" name="fees-0-amount" value="1.250.000"' in page
    listing = superuser_client.get("/admin/catalog/case/").content.decode()
    assert "1,250,000 đ" in listing  # in English


def test_an_amount_that_is_not_whole_dong_is_refused(world, superuser_client):
    case = world.case
    data = page_data(superuser_client.get(case_url(case)))
    data.update({"fees-TOTAL_FORMS": 1, "fees-0-kind": "charge", "fees-0-amount": "12,5"})

    response = superuser_client.post(case_url(case), data)

    assert response.status_code == 200
    assert "Write a whole number of đồng" in response.content.decode()
    assert not Fee.objects.filter(case=case).exists()


def version_url(version: ProcedureVersion) -> str:
    return f"/admin/catalog/procedureversion/{version.pk}/change/"


def test_a_version_ending_before_it_starts_is_refused(world, superuser_client):
    data = page_data(superuser_client.get(version_url(world.version)))
    data["valid_to"] = "2025-06-30"

    response = superuser_client.post(version_url(world.version), data)

    assert response.status_code == 200
    assert "valid_to" in response.context["adminform"].form.errors
    world.version.refresh_from_db()
    assert world.version.valid_to is None


def test_a_version_overlapping_another_is_refused(world, superuser_client):
    add_url = f"/admin/catalog/procedureversion/add/?procedure={world.procedure.pk}"
    data = page_data(superuser_client.get(add_url))
    data.update({"procedure": world.procedure.pk, "valid_from": "2026-01-01", "cases-TOTAL_FORMS": 0})

    response = superuser_client.post(add_url, data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "Version 1 is in force from 2025-07-01 with no end date" in errors["valid_from"][0]
    assert world.procedure.versions.count() == 1


def test_the_next_version_is_added_once_the_current_one_ends(world, superuser_client):
    data = page_data(superuser_client.get(version_url(world.version)))
    data["valid_to"] = "2026-12-31"
    assert superuser_client.post(version_url(world.version), data).status_code == 302

    add_url = f"/admin/catalog/procedureversion/add/?procedure={world.procedure.pk}"
    data = page_data(superuser_client.get(add_url))
    assert data["valid_from"] == dt.date(2027, 1, 1)
    data.update({"procedure": world.procedure.pk, "cases-TOTAL_FORMS": 0})

    assert superuser_client.post(add_url, data).status_code == 302
    assert list(world.procedure.versions.order_by("number").values_list("number", "valid_from")) == [
        (1, dt.date(2025, 7, 1)),
        (2, dt.date(2027, 1, 1)),
    ]


def test_the_admin_carries_the_site_name_and_a_way_back_to_the_back_office(db, superuser_client, settings):
    settings.MOTCUA_SITE_NAME = "Cổng dịch vụ công Hà Nội"

    page = superuser_client.get("/admin/").content.decode()

    assert "<title>Site administration | Cổng dịch vụ công Hà Nội — Administration</title>" in page
    assert '<div id="site-name"><a href="/admin/">Cổng dịch vụ công Hà Nội — Administration</a></div>' in page
    assert '<a class="office-link" href="/office/">Back office</a>' in page
    assert "catalog/admin/admin.css" in page
