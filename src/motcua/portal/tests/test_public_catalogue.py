"""The public catalogue: the home page, searching and filtering procedures, and one procedure's sheet."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from motcua.catalog.constants import FeeKind, OnlineLevel, ProcedureLevel
from motcua.catalog.models import Case, Fee, Field, Procedure, ProcedureVersion, RequiredDocument
from motcua.conftest import post_json
from motcua.worktime.constants import DurationUnit


@pytest.fixture
def english() -> Client:
    return Client(headers={"Accept-Language": "en"})


def _procedure(world, code: str, name: str, field: Field, level: str, online: str) -> ProcedureVersion:
    procedure = Procedure.objects.create(national_code=code, local_code=f"{code}.000.00.00.H26")
    version = ProcedureVersion.objects.create(
        procedure=procedure,
        valid_from=dt.date(2025, 7, 1),
        name=name,
        field=field,
        level=level,
        competent_agency=world.commune_committee,
        online_level=online,
    )
    Case.objects.create(version=version, code="TH1", name="Thông thường", time_value=15, time_unit="days")
    return version


@pytest.fixture
def catalogue(world) -> dict[str, ProcedureVersion]:
    """Besides the world's birth registration (civil status, province, full online): two more procedures."""
    certification = Field.objects.create(code="CT", name="Chứng thực")
    land = Field.objects.create(code="DD", name="Đất đai")
    return {
        "birth": world.version,
        "copy": _procedure(
            world,
            "2.000815",
            "Chứng thực bản sao từ bản chính",
            certification,
            "commune",
            OnlineLevel.PARTIAL,
        ),
        "land": _procedure(world, "1.012345", "Đăng ký đất đai lần đầu", land, "commune", OnlineLevel.NONE),
    }


def _names(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize(
    "q", ["khai sinh", "KHAI SINH", "dang ky khai sinh", "Đăng ký khai sinh", "1.001193"]
)
def test_search_finds_birth_registration_without_regard_to_accents_or_case(client, catalogue, q):
    response = client.get(reverse("portal:procedures"), {"q": q})
    assert response.status_code == 200
    page = _names(response)
    assert "Đăng ký khai sinh" in page
    assert "Chứng thực bản sao" not in page
    assert "Đăng ký đất đai" not in page


def test_an_empty_search_lists_every_procedure_in_force(english, catalogue):
    page = _names(english.get(reverse("portal:procedures")))
    assert "3 procedures found" in page
    for version in catalogue.values():
        assert version.name in page
        assert reverse("portal:procedure", args=[version.procedure.local_code]) in page


def test_filters_by_field_and_by_level(client, catalogue):
    by_field = _names(client.get(reverse("portal:procedures"), {"field": "CT"}))
    assert "Chứng thực bản sao" in by_field
    assert "Đăng ký khai sinh" not in by_field and "Đăng ký đất đai" not in by_field

    by_level = _names(client.get(reverse("portal:procedures"), {"level": ProcedureLevel.COMMUNE}))
    assert "Chứng thực bản sao" in by_level and "Đăng ký đất đai" in by_level
    assert "Đăng ký khai sinh" not in by_level

    both = _names(client.get(reverse("portal:procedures"), {"q": "dang ky", "level": "commune"}))
    assert "Đăng ký đất đai" in both
    assert "Đăng ký khai sinh" not in both and "Chứng thực" not in both.split("results-title")[1]


def test_a_search_that_matches_nothing_says_so(english, catalogue):
    response = english.get(reverse("portal:procedures"), {"q": "không có thủ tục này"})
    assert response.status_code == 200
    assert "0 procedures found" in _names(response)
    assert "No procedure matches" in _names(response)


def test_tiles_show_code_field_level_time_and_online_level(english, catalogue):
    page = _names(english.get(reverse("portal:procedures")))
    assert "1.001193.000.00.00.H26" in page
    assert "Hộ tịch" in page
    assert "Province" in page and "Commune" in page
    assert "1 working day, 3 working days, depending on the case" in page
    assert "15 days" in page
    assert "Full-process online service" in page and "No online service" in page


def test_results_are_paginated_and_keep_the_filters(english, world):
    field = Field.objects.create(code="XX", name="Thử nghiệm")
    for n in range(23):
        _procedure(world, f"9.{n:06d}", f"Thủ tục thử {n:02d}", field, "commune", OnlineLevel.NONE)

    first = _names(english.get(reverse("portal:procedures"), {"field": "XX"}))
    assert "23 procedures found" in first
    assert "Page 1 of 2" in first
    assert "field=XX&amp;page=2" in first
    second = _names(english.get(reverse("portal:procedures"), {"field": "XX", "page": "2"}))
    assert "Thủ tục thử 22" in second and "Thủ tục thử 00" not in second
    # A page number out of range or not a number shows a page of results rather than an error.
    assert english.get(reverse("portal:procedures"), {"field": "XX", "page": "99"}).status_code == 200
    assert english.get(reverse("portal:procedures"), {"page": "abc"}).status_code == 200


def test_home_offers_search_fields_levels_and_the_lookup(english, catalogue):
    response = english.get(reverse("portal:home"))
    assert response.status_code == 200
    page = _names(response)
    assert f'action="{reverse("portal:procedures")}"' in page
    assert "?field=CT" in page and "Chứng thực" in page and "Hộ tịch" in page
    assert "?level=commune" in page and "?level=province" in page
    assert f'action="{reverse("portal:lookup")}"' in page


def test_home_ranks_the_most_used_procedures_by_dossiers_of_the_last_90_days(english, world, catalogue):
    body = world.intake_body("counter")
    for _ in range(2):
        body["documents"] = [{"requirement": world.documents[0].pk, "file": world.upload("counter")}]
        assert post_json(world.client("counter"), "/api/v1/dossiers", body).status_code == 201

    page = _names(english.get(reverse("portal:home")))
    assert "Most used procedures" in page
    assert "2 dossiers in the last 90 days" in page
    popular = page.split('id="popular-title"')[1].split("fields-title")[0]
    assert "Đăng ký khai sinh" in popular
    assert "Chứng thực bản sao" not in popular  # no dossier: not among the most used


def test_procedure_page_shows_documents_fees_time_places_and_the_apply_button(english, world):
    Fee.objects.create(case=world.case, kind=FeeKind.CHARGE, amount=50000, unit="bản", exemptions="Trẻ em")
    world.version.applicants = "Cha, mẹ của trẻ"
    world.version.legal_basis = [{"number": "60/2014/QH13", "name": "Luật Hộ tịch", "date": "2014-11-20"}]
    world.version.save()

    response = english.get(reverse("portal:procedure", args=[world.procedure.local_code]))

    assert response.status_code == 200
    page = _names(response)
    assert "<h1>Đăng ký khai sinh</h1>" in page
    assert "Cha, mẹ của trẻ" in page
    assert "Giấy chứng sinh" in page and "Giấy tờ khác" in page
    assert "3 working days" in page and "1 working day" in page
    assert "50,000 đ" in page and "/ bản" in page and "Trẻ em" in page
    assert "60/2014/QH13 Luật Hộ tịch" in page
    assert "UBND Phường Ba Đình" in page and "Trung tâm Phục vụ hành chính công" in page
    assert f'href="{reverse("portal:apply", args=[world.procedure.local_code])}"' in page
    assert "Apply online" in page


def test_fees_are_written_the_vietnamese_way_by_default(client, world):
    Fee.objects.create(case=world.case, kind=FeeKind.FEE, amount=1250000)
    page = _names(client.get(reverse("portal:procedure", args=[world.procedure.local_code])))
    assert "1.250.000 đ" in page


def test_document_counts_and_downloadable_forms_are_shown(english, world):
    RequiredDocument.objects.create(
        case=world.case,
        order=3,
        name="Tờ khai đăng ký khai sinh",
        originals=2,
        copies=3,
        template_url="https://example.gov.vn/mau/to-khai.docx",
    )
    page = _names(english.get(reverse("portal:procedure", args=[world.procedure.local_code])))
    assert "Forms to download" in page
    assert 'href="https://example.gov.vn/mau/to-khai.docx"' in page
    row = page.split("Tờ khai đăng ký khai sinh")[1].split("</tr>")[0]
    assert "<td>2</td>" in row and "<td>3</td>" in row


def test_a_procedure_not_offered_online_says_where_to_apply_instead(english, catalogue):
    land = catalogue["land"]
    page = _names(english.get(reverse("portal:procedure", args=[land.procedure.local_code])))
    assert "Apply online" not in page
    assert "is not offered online" in page
    assert "UBND Phường Ba Đình" in page  # the competent agency receives when no unit is listed


def test_the_procedure_can_be_found_by_its_national_code(client, world):
    response = client.get(reverse("portal:procedure", args=["1.001193"]))
    assert response.status_code == 200
    assert "Đăng ký khai sinh" in _names(response)


@pytest.mark.parametrize("code", ["9.999999.000.00.00.H26", "khong-co", "%3Cscript%3E"])
def test_an_unknown_procedure_is_a_friendly_404(english, world, code):
    response = english.get(f"/procedures/{code}/")
    assert response.status_code == 404
    page = _names(response)
    assert "We could not find that" in page
    assert "<script>" not in page
    assert reverse("portal:procedures") in page


def test_a_version_no_longer_in_force_is_not_shown(client, world):
    world.version.valid_to = dt.date(2025, 12, 31)
    world.version.save()
    assert client.get(reverse("portal:procedure", args=[world.procedure.local_code])).status_code == 404
    assert "Đăng ký khai sinh" not in _names(client.get(reverse("portal:procedures")))


def test_processing_time_names_each_unit(english, world):
    Case.objects.filter(pk=world.case.pk).update(time_value=8, time_unit=DurationUnit.WORKING_HOURS)
    Case.objects.exclude(pk=world.case.pk).update(time_value=0, time_unit=DurationUnit.NONE)
    page = _names(english.get(reverse("portal:procedure", args=[world.procedure.local_code])))
    assert "8 working hours" in page
    assert "no appointment date" in page
