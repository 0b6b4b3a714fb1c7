"""The e-form of a case, as the page draws it and as the server reads it back: every construct the catalogue
uses gets its input and its HTML rules, and the answers are converted and checked with the API's own rules."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import translation

from motcua.catalog.eform import (
    bind,
    eform_answers,
    errors_by_field,
    field_problems,
    read_answers,
    schema_fields,
)
from motcua.catalog.widgets import Kind
from motcua.core.memo import clear_reference_caches
from motcua.portal.applications import APPLICANT_FIELDS
from motcua.portal.models import ApplicationDraft

SCHEMA = {
    "type": "object",
    "title": "Tờ khai",
    "required": ["ho_ten", "gioi_tinh", "so_ban", "nguoi_me"],
    "properties": {
        "ho_ten": {"type": "string", "title": "Họ tên", "minLength": 2, "maxLength": 100},
        "so_dinh_danh": {"type": "string", "title": "Số định danh", "pattern": "^[0-9]{12}$"},
        "ma_so": {"type": "string", "title": "Mã số", "pattern": "[A-Z]{2}"},
        "ghi_chu": {"type": "string", "title": "Ghi chú", "maxLength": 500},
        "email": {"type": "string", "title": "Thư điện tử", "format": "email"},
        "ngay_sinh": {"type": "string", "title": "Ngày sinh", "format": "date"},
        "thoi_diem": {"type": "string", "title": "Thời điểm", "format": "date-time"},
        "gioi_tinh": {"type": "string", "title": "Giới tính", "enum": ["Nam", "Nữ"]},
        "quan_he": {"type": "string", "title": "Quan hệ", "enum": ["Cha", "Mẹ", "Ông", "Bà", "Khác"]},
        "lop": {"type": "integer", "title": "Lớp", "enum": [6, 7, 8, 9]},
        "so_ban": {"type": "integer", "title": "Số bản", "minimum": 1, "maximum": 20},
        "dien_tich": {"type": "number", "title": "Diện tích", "exclusiveMinimum": 0},
        "ho_ngheo": {"type": "boolean", "title": "Thuộc hộ nghèo"},
        "dan_toc": {"type": "string", "title": "Dân tộc", "default": "Kinh"},
        "nguoi_me": {
            "type": "object",
            "title": "Người mẹ",
            "required": ["ho_ten"],
            "properties": {
                "ho_ten": {"type": "string", "title": "Họ tên mẹ"},
                "nam_sinh": {"type": "integer"},
            },
        },
    },
}


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


def _by_name():
    fields = schema_fields(SCHEMA)
    found = {f.name: f for f in fields}
    found |= {c.name: c for f in fields for c in f.children}
    return found


def test_every_construct_gets_its_input_and_its_html_rules():
    f = _by_name()
    assert [name for name in f if name.count(".") == 1][:3] == [
        "form.ho_ten",
        "form.so_dinh_danh",
        "form.ma_so",
    ]
    assert f["form.ho_ten"].widget == Kind.TEXT and f["form.ho_ten"].required
    assert dict(f["form.ho_ten"].attrs) == {"minlength": "2", "maxlength": "100"}
    # An anchored pattern means the same in HTML; an unanchored one is left to the script and the server.
    assert dict(f["form.so_dinh_danh"].attrs)["pattern"] == "^[0-9]{12}$"
    assert (
        "pattern" not in dict(f["form.ma_so"].attrs)
        and dict(f["form.ma_so"].attrs)["data-pattern"] == "[A-Z]{2}"
    )
    assert f["form.ghi_chu"].widget == Kind.TEXTAREA
    assert f["form.email"].widget == Kind.EMAIL
    assert f["form.ngay_sinh"].widget == Kind.DATE
    assert f["form.thoi_diem"].widget == Kind.DATETIME
    assert f["form.gioi_tinh"].widget == Kind.RADIO and f["form.gioi_tinh"].choices == (
        ("Nam", "Nam"),
        ("Nữ", "Nữ"),
    )
    assert f["form.quan_he"].widget == Kind.SELECT
    assert f["form.lop"].choices[0] == ("6", "6")
    assert dict(f["form.so_ban"].attrs) == {"step": "1", "inputmode": "numeric", "min": "1", "max": "20"}
    assert dict(f["form.dien_tich"].attrs)["data-exclusive-min"] == "0"
    assert f["form.ho_ngheo"].widget == Kind.CHECKBOX
    assert f["form.dan_toc"].default == "Kinh"
    group = f["form.nguoi_me"]
    assert group.is_group and group.required
    assert [c.name for c in group.children] == ["form.nguoi_me.ho_ten", "form.nguoi_me.nam_sinh"]
    assert f["form.nguoi_me.ho_ten"].required and not f["form.nguoi_me.nam_sinh"].required


def test_answers_are_converted_to_the_schemas_types():
    answers = read_answers(
        schema_fields(SCHEMA),
        {
            "form.ho_ten": " Nguyễn Văn A ",
            "form.gioi_tinh": "Nam",
            "form.so_ban": "3",
            "form.dien_tich": "12,5",
            "form.lop": "7",
            "form.ho_ngheo": "on",
            "form.thoi_diem": "2026-07-01T08:30",
            "form.nguoi_me.ho_ten": "Trần Thị B",
            "form.nguoi_me.nam_sinh": "1990",
            "form.unknown": "ignored",
        },
    )
    typed, problems = eform_answers(SCHEMA, answers)
    assert problems == []
    assert typed == {
        "ho_ten": "Nguyễn Văn A",
        "gioi_tinh": "Nam",
        "lop": 7,
        "so_ban": 3,
        "dien_tich": 12.5,
        "ho_ngheo": True,
        "thoi_diem": "2026-07-01T08:30:00+07:00",
        "nguoi_me": {"ho_ten": "Trần Thị B", "nam_sinh": 1990},
    }


def test_every_problem_is_reported_on_its_own_field_with_the_schemas_messages():
    answers = {
        "form.ho_ten": "A",
        "form.so_dinh_danh": "12345",
        "form.email": "khong-phai-email",
        "form.ngay_sinh": "2026-02-30",
        "form.thoi_diem": "hôm qua",
        "form.so_ban": "ba",
        "form.dien_tich": "0",
        "form.lop": "5",
    }
    _typed, problems = eform_answers(SCHEMA, answers)
    errors = {p.field: p.message for p in problems}
    assert errors == {
        "form.ho_ten": "Too short: at least 2 characters.",
        "form.so_dinh_danh": "Does not have the required format.",
        "form.email": "Not a valid email.",
        "form.ngay_sinh": "Not a valid date.",
        "form.thoi_diem": "Enter a date and time.",
        "form.so_ban": "Enter a whole number.",
        "form.dien_tich": "Must be more than 0.",
        "form.lop": "Must be one of: 6, 7, 8, 9.",
        "form.gioi_tinh": "This field is required.",
        "form.nguoi_me.ho_ten": "This field is required.",
    }


def test_what_cannot_be_stored_is_dropped_and_long_input_bounded():
    answers = read_answers(
        schema_fields(SCHEMA), {"form.ho_ten": "Lê\x00 Văn\ud800 C", "form.ghi_chu": "x" * 20_000}
    )
    assert answers["form.ho_ten"] == "Lê Văn C"
    assert len(answers["form.ghi_chu"]) == 10_000


def test_the_fixed_fields_hold_the_same_rules_on_the_server():
    answers = {
        "applicant.kind": "organisation",
        "applicant.full_name": "",
        "applicant.id_number": "12ab",
        "applicant.email": "a@",
        "applicant.address": "x" * 501,
    }
    errors = {p.field: p.message for p in field_problems(APPLICANT_FIELDS, answers)}
    assert errors == {
        "applicant.full_name": "This field is required.",
        "applicant.id_number": "Does not have the required format.",
        "applicant.tax_code": "This field is required.",  # required for an organisation
        "applicant.email": "Not a valid email.",
        "applicant.address": "Too long: at most 500 characters.",
    }
    person = field_problems(APPLICANT_FIELDS, {"applicant.kind": "person", "applicant.full_name": "A"})
    assert [p.field for p in person] == ["applicant.id_number"]
    stranger = field_problems(APPLICANT_FIELDS, {"applicant.kind": "robot", "applicant.full_name": "A"})
    assert stranger[0].message == "Must be one of: Person, Organisation."


def test_bound_fields_carry_their_values_errors_and_descriptions():
    fields = schema_fields(SCHEMA)
    bound = {b.field.name: b for b in bind(fields, {"form.ho_ten": "A"}, errors_by_field([]))}
    assert bound["form.ho_ten"].value == "A" and bound["form.ho_ten"].described_by == ""
    _typed, problems = eform_answers(SCHEMA, {"form.ho_ten": "A"})
    bound = {b.field.name: b for b in bind(fields, {"form.ho_ten": "A"}, errors_by_field(problems))}
    assert bound["form.ho_ten"].errors == ["Too short: at least 2 characters."]
    assert bound["form.ho_ten"].described_by == "field-form-ho_ten-error"
    mother = bound["form.nguoi_me"].children[0]
    assert (
        mother.errors == ["This field is required."] and mother.error_id == "field-form-nguoi_me-ho_ten-error"
    )


def test_an_x_order_list_keeps_the_authors_order_whatever_the_database_does_to_keys():
    schema = {
        "type": "object",
        "x-order": ["zeta", "alpha"],
        "properties": {"alpha": {"type": "string"}, "beta": {"type": "string"}, "zeta": {"type": "string"}},
    }
    assert [f.name for f in schema_fields(schema)] == ["form.zeta", "form.alpha", "form.beta"]


def test_the_page_draws_every_construct_with_its_rules(world):
    world.case.form_schema = SCHEMA
    world.case.save()
    clear_reference_caches()
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(User.objects.get(username="citizen"))
    client.get(reverse("portal:apply", args=[world.procedure.local_code]), {"case": "standard"})
    draft = ApplicationDraft.objects.get()

    page = client.get(reverse("portal:application", args=[draft.pk])).content.decode()

    assert '<h2 id="declaration-title">Tờ khai</h2>' in page
    assert 'id="field-form-ho_ten" name="form.ho_ten" value="" required minlength="2" maxlength="100"' in page
    assert 'type="email" id="field-form-email"' in page
    assert 'type="date" id="field-form-ngay_sinh"' in page
    assert 'type="datetime-local" id="field-form-thoi_diem"' in page
    assert 'type="radio" id="field-form-gioi_tinh-1" name="form.gioi_tinh" value="Nam" required' in page
    assert '<select id="field-form-quan_he" name="form.quan_he">' in page
    assert 'type="number" id="field-form-so_ban" name="form.so_ban" value="" required step="1"' in page
    assert 'data-exclusive-min="0"' in page
    assert 'type="checkbox" id="field-form-ho_ngheo" name="form.ho_ngheo" value="on"' in page
    assert '<textarea id="field-form-ghi_chu" name="form.ghi_chu" rows="4" maxlength="500">' in page
    assert 'name="form.dan_toc" value="Kinh"' in page  # the schema's default
    assert '<fieldset class="eform-group" id="field-form-nguoi_me">' in page
    assert '<legend>Người mẹ <span class="required-mark" aria-hidden="true">*</span></legend>' in page
    assert 'name="form.nguoi_me.ho_ten"' in page
    assert 'data-required-when="applicant.kind=person"' in page
