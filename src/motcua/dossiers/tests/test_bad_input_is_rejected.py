"""Bad input of every kind is a 4xx problem+json naming the field, never a 500, and writes nothing."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from motcua.conftest import VALID_FORM, post_json
from motcua.dossiers.lifecycle import ACTIONS
from motcua.dossiers.models import Dossier, DossierEvent

MONDAY_9 = "2026-03-02T09:00:00+07:00"
FIRST_CODE_OF_THE_DAY = "000.00.01.H26-260302-0001"
BEYOND_64_BITS = 2**64
BASIC_AUTH = "Basic Y291bnRlcjpwdy0xMjM0NTY3OA=="  # counter:pw-12345678, a scheme the API does not take


@pytest.fixture(autouse=True)
def _monday_morning():
    with time_machine.travel(MONDAY_9, tick=False):
        yield


def problem_fields(response, status: int) -> list[str]:
    """Check that `response` is a problem+json with `status`; return the fields its errors name."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json"), response["Content-Type"]
    body = response.json()
    assert body["status"] == status
    return [error["field"] for error in body["errors"]]


def assert_names(fields: list[str], field: str) -> None:
    """One of the errors is about `field` or something inside it."""
    assert any(f == field or f.startswith(f"{field}.") for f in fields), (field, fields)


def assert_nothing_written(world) -> None:
    assert Dossier.objects.count() == 0
    assert DossierEvent.objects.count() == 0
    # The day's counter did not move either: the next good intake is still the first of the day.
    good = post_json(world.client("counter"), "/api/v1/dossiers", world.intake_body("counter"))
    assert good.status_code == 201, good.content
    assert good.json()["code"] == FIRST_CODE_OF_THE_DAY


def create(world, body: Any, username: str = "counter"):
    return post_json(world.client(username), "/api/v1/dossiers", body)


# --- intake ------------------------------------------------------------------------------------------------

Edit = Callable[[Any, dict[str, Any]], dict[str, Any]]


def replace(**fields: Any) -> Edit:
    return lambda world, body: {**body, **fields}


def drop(key: str) -> Edit:
    return lambda world, body: {k: v for k, v in body.items() if k != key}


def applicant(**fields: Any) -> Edit:
    return lambda world, body: {**body, "applicant": {**body["applicant"], **fields}}


def organisation(**fields: Any) -> Edit:
    return applicant(kind="organisation", full_name="Công ty TNHH Mai Hoa", id_number="", **fields)


def form(**fields: Any) -> Edit:
    return replace(form={**VALID_FORM, **fields})


def form_without(key: str) -> Edit:
    return replace(form={k: v for k, v in VALID_FORM.items() if k != key})


def attach(requirement: str | int = "mandatory", file: str | int = "mine") -> Edit:
    """One document: `requirement` "mandatory", "optional" or an id; `file` "mine", "theirs" or an id."""

    def edit(world, body: dict[str, Any]) -> dict[str, Any]:
        requirements = {"mandatory": world.documents[0].pk, "optional": world.documents[1].pk}
        files = {"mine": "counter", "theirs": "counter_commune"}
        document = {
            "requirement": requirements.get(requirement, requirement),
            "file": world.upload(files[file]) if file in files else file,
        }
        return {**body, "documents": [document]}

    return edit


# A valid number for someone born in 2026, and a birth date later this year.
BORN_IN_DECEMBER = applicant(id_number="001226012345", date_of_birth="2026-12-01")
BAD_INTAKES: list[tuple[str, Edit, str]] = [
    ("channel_is_a_number", replace(channel=5), "channel"),
    ("unknown_channel", replace(channel="fax"), "channel"),
    ("unknown_result_delivery", replace(result_delivery="pigeon"), "result_delivery"),
    ("applicant_is_a_string", replace(applicant="Nguyễn Thị Mai"), "applicant"),
    ("applicant_is_a_list", replace(applicant=["Nguyễn Thị Mai"]), "applicant"),
    ("documents_not_a_list", replace(documents="giấy chứng sinh"), "documents"),
    ("document_file_not_a_number", attach(file="x"), "documents.0.file"),
    ("document_requirement_not_a_number", attach(requirement="x"), "documents.0.requirement"),
    ("form_not_an_object", replace(form=["Nguyễn Văn Bé"]), "form"),
    ("no_applicant", drop("applicant"), "applicant"),
    ("no_procedure", drop("procedure"), "procedure"),
    ("no_channel", drop("channel"), "channel"),
    ("no_case_among_several", drop("case"), "case"),
    ("id_number_of_11_digits", applicant(id_number="00109001234"), "applicant.id_number"),
    ("id_number_of_13_digits", applicant(id_number="0010900123456"), "applicant.id_number"),
    ("id_number_with_letters", applicant(id_number="00109001234A"), "applicant.id_number"),
    ("id_number_of_unknown_province", applicant(id_number="999090012345"), "applicant.id_number"),
    ("id_number_not_matching_birth_year", applicant(date_of_birth="1991-05-04"), "applicant.id_number"),
    ("id_number_missing", applicant(id_number=""), "applicant.id_number"),
    ("id_number_is_a_number", applicant(id_number=1090012345), "applicant.id_number"),
    ("blank_name", applicant(full_name="   "), "applicant.full_name"),
    ("unknown_applicant_kind", applicant(kind="robot"), "applicant.kind"),
    ("impossible_birth_date", applicant(date_of_birth="1990-02-30"), "applicant.date_of_birth"),
    ("born_in_the_future", BORN_IN_DECEMBER, "applicant.date_of_birth"),
    ("tax_code_too_short", organisation(tax_code="12345"), "applicant.tax_code"),
    ("tax_code_with_letters", organisation(tax_code="01012345AB"), "applicant.tax_code"),
    ("tax_code_missing", organisation(tax_code=""), "applicant.tax_code"),
    ("unknown_procedure", replace(procedure="9.999999.000.00.00.H26"), "procedure"),
    ("unknown_case", replace(case="express"), "case"),
    ("form_without_child_name", form_without("child_name"), "form.child_name"),
    ("form_with_wrong_enum", form(child_sex="khác"), "form.child_sex"),
    ("form_with_extra_property", form(nickname="Bin"), "form"),
    ("form_with_bad_date_format", form(child_birth_date="01/11/2026"), "form.child_birth_date"),
    ("form_with_wrong_type", form(child_name=42), "form.child_name"),
    ("no_mandatory_document", replace(documents=[]), "documents"),
    ("only_the_optional_document", attach(requirement="optional"), "documents"),
    ("file_of_another_user", attach(file="theirs"), "documents.0.file"),
    ("unknown_file", attach(file=987654), "documents.0.file"),
    ("unknown_requirement", attach(requirement=987654), "documents.0.requirement"),
    ("unit_that_does_not_receive_it", replace(receiving_unit="000.A1.02.H26"), "receiving_unit"),
    ("unit_of_another_counter", replace(receiving_unit="000.A1.01.H26"), "receiving_unit"),
    ("unknown_receiving_unit", replace(receiving_unit="000.00.99.H26"), "receiving_unit"),
    ("unknown_competent_authority", replace(competent_authority="000.00.99.H26"), "competent_authority"),
]  # fmt: skip


@pytest.mark.parametrize(("edit", "field"), [c[1:] for c in BAD_INTAKES], ids=[c[0] for c in BAD_INTAKES])
def test_bad_intake_is_422_naming_the_field(world, edit, field):
    response = create(world, edit(world, world.intake_body("counter")))
    assert_names(problem_fields(response, 422), field)
    assert_nothing_written(world)


def test_every_problem_is_reported_at_once(world):
    body = world.intake_body("counter", case="express", receiving_unit="000.A1.02.H26")
    body = applicant(id_number="123")(world, body)
    fields = problem_fields(create(world, body), 422)
    for field in ("case", "applicant.id_number", "receiving_unit"):
        assert_names(fields, field)
    assert_nothing_written(world)


def test_citizen_cannot_receive_at_the_counter(world):
    response = create(world, world.intake_body("citizen"), username="citizen")
    assert_names(problem_fields(response, 422), "receiving_unit")
    assert_nothing_written(world)


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        pytest.param("{not json", 400, id="malformed"),
        pytest.param('{"procedure": "1.0', 400, id="truncated"),
        pytest.param(b"\xff\xfe\x00", 400, id="not_utf8"),
        pytest.param("[]", 422, id="empty_list"),
        pytest.param("[1, 2]", 422, id="list"),
        pytest.param('"a dossier"', 422, id="string"),
        pytest.param("5", 422, id="number"),
        pytest.param("null", 422, id="null"),
        pytest.param("", 422, id="empty"),
    ],
)
def test_body_that_is_not_a_json_object_is_rejected_naming_the_body(world, raw, status):
    response = world.client("counter").post("/api/v1/dossiers", raw, content_type="application/json")
    fields = problem_fields(response, status)
    if status == 400:
        assert fields == ["body"]
    else:  # parsed, but not an object: every required field is named
        assert {"procedure", "channel", "applicant"} <= set(fields) or fields == ["body"], fields
    assert_nothing_written(world)


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_numbers_are_rejected(world, value):
    raw = json.dumps(world.intake_body("counter"))[:-1] + f', "representative": {{"share": {value}}}}}'
    response = world.client("counter").post("/api/v1/dossiers", raw, content_type="application/json")
    assert problem_fields(response, 422)
    assert_nothing_written(world)


@pytest.mark.parametrize("key", ["file", "requirement"])
def test_document_ids_beyond_64_bits_are_rejected(world, key):
    document = {"requirement": world.documents[0].pk, "file": world.upload("counter"), key: BEYOND_64_BITS}
    response = create(world, world.intake_body("counter", documents=[document]))
    assert_names(problem_fields(response, 422), f"documents.0.{key}")
    assert_nothing_written(world)


# Text no database can hold: PostgreSQL cannot store or even compare a NUL character, and a lone surrogate
# (valid JSON as "\\ud800") cannot be encoded at all. Refused wherever it comes, naming where it came.
UNSTORABLE = {"nul": "Mai\x00", "surrogate": "Mai\ud800"}
UNSTORABLE_INTAKES: list[tuple[str, Callable[[str], Edit], str]] = [
    ("procedure", lambda text: replace(procedure=text), "procedure"),
    ("receiving_unit", lambda text: replace(receiving_unit=text), "receiving_unit"),
    ("applicant_name", lambda text: applicant(full_name=text), "applicant.full_name"),
    ("applicant_address", lambda text: applicant(address=text), "applicant.address"),
    ("form_value", lambda text: form(father_name=text), "form.father_name"),
    ("representative_value", lambda text: replace(representative={"name": text}), "representative.name"),
    ("representative_key", lambda text: replace(representative={text: "An"}), "representative"),
]


@pytest.mark.parametrize("text", UNSTORABLE.values(), ids=UNSTORABLE.keys())
@pytest.mark.parametrize(
    ("edit", "field"), [c[1:] for c in UNSTORABLE_INTAKES], ids=[c[0] for c in UNSTORABLE_INTAKES]
)
def test_unstorable_text_in_intake_is_422_naming_the_field(world, edit, field, text):
    response = create(world, edit(text)(world, world.intake_body("counter")))
    assert_names(problem_fields(response, 422), field)
    assert_nothing_written(world)


@pytest.mark.parametrize("path", ["dossiers/A%00", "dossiers/A%00/events", "lookup/A%00"])
def test_nul_character_in_an_address_is_refused(world, path):
    response = world.client("counter").get(f"/api/v1/{path}")
    assert 400 <= response.status_code < 500, response.content
    problem_fields(response, response.status_code)


@pytest.mark.parametrize("name", ["q", "status", "unit", "procedure"])
def test_nul_character_in_a_query_parameter_is_422_naming_it(world, name):
    response = world.client("counter").get("/api/v1/dossiers", {name: "A\x00"})
    assert problem_fields(response, 422) == [name]


# --- actions -----------------------------------------------------------------------------------------------


@pytest.fixture
def in_process(world) -> str:
    """At the department's first step, where its leader may stop, apologise, ask for a supplement or a fee."""
    code = create(world, world.intake_body("counter")).json()["code"]
    response = post_json(world.client("counter"), f"/api/v1/dossiers/{code}/actions/forward", {"version": 1})
    assert response.status_code == 200, response.content
    return code


def _state(code: str) -> tuple[str, int, int]:
    dossier = Dossier.objects.get(code=code)
    return dossier.status, dossier.version, dossier.events.count()


def take(world, code: str, action: str, body: Any, username: str = "leader"):
    return post_json(world.client(username), f"/api/v1/dossiers/{code}/actions/{action}", body)


def with_version(code: str, **fields: Any) -> dict[str, Any]:
    return {"version": Dossier.objects.get(code=code).version, **fields}


SUPPLEMENT = {"reason": "Thiếu giấy tờ", "items": [{"description": "Bản sao CCCD"}]}
APOLOGY = {"reason": "Quá tải", "new_appointment": "2026-03-20T09:00:00+07:00"}


def supplement(**changes: Any) -> dict[str, Any]:
    return {k: v for k, v in {**SUPPLEMENT, **changes}.items() if v is not None}


def apology(**changes: Any) -> dict[str, Any]:
    return {k: v for k, v in {**APOLOGY, **changes}.items() if v is not None}


BAD_ACTIONS: dict[str, list[tuple[str, dict[str, Any], str]]] = {
    "request_supplement": [
        ("no_items", supplement(items=None), "items"),
        ("empty_items", supplement(items=[]), "items"),
        ("items_not_a_list", supplement(items="Bản sao CCCD"), "items"),
        ("item_not_an_object", supplement(items=["Bản sao CCCD"]), "items.0.description"),
        ("item_without_description", supplement(items=[{"description": ""}]), "items.0.description"),
        ("second_item_bad", supplement(items=[{"description": "A"}, {"x": 1}]), "items.1.description"),
        ("no_reason", supplement(reason=None), "reason"),
        ("blank_reason", supplement(reason=" \t "), "reason"),
    ],
    "stop": [
        ("no_reason", {}, "reason"),
        ("empty_reason", {"reason": ""}, "reason"),
        ("reason_not_text", {"reason": ["Không đủ điều kiện"]}, "reason"),
        ("blank_reason", {"reason": " \t "}, "reason"),
    ],
    "apologise": [
        ("no_new_appointment", apology(new_appointment=None), "new_appointment"),
        ("words_for_a_date", apology(new_appointment="tuần sau"), "new_appointment"),
        ("number_for_a_date", apology(new_appointment=20260310), "new_appointment"),
        ("before_the_due_date", apology(new_appointment="2026-03-03T09:00:00+07:00"), "new_appointment"),
        ("impossible_month", apology(new_appointment="2026-13-45T10:00:00+07:00"), "new_appointment"),
        ("impossible_hour", apology(new_appointment="2026-03-20T25:00:00"), "new_appointment"),
        ("impossible_day", apology(new_appointment="2026-02-30T10:00"), "new_appointment"),
        ("no_reason", apology(reason=None), "reason"),
        ("blank_reason", apology(reason=" \t "), "reason"),
    ],
    "request_payment": [
        ("zero", {"amount": 0}, "amount"),
        ("negative", {"amount": -5}, "amount"),
        ("text", {"amount": "abc"}, "amount"),
        ("number_as_text", {"amount": "50000"}, "amount"),
        ("boolean", {"amount": True}, "amount"),
        ("fraction", {"amount": 1.5}, "amount"),
        ("missing", {}, "amount"),
        ("beyond_64_bits", {"amount": BEYOND_64_BITS}, "amount"),
    ],
    "assign": [
        ("unknown_user", {"assignee": "nobody"}, "assignee"),
        ("officer_of_another_unit", {"assignee": "other_specialist"}, "assignee"),
        ("not_a_name", {"assignee": 5}, "assignee"),
    ],
    "transfer": [("unknown_unit", {"to_unit": "000.00.99.H26"}, "to_unit")],
    "forward": [("note_too_long", {"note": "x" * 4001}, "note")],
}


@pytest.mark.parametrize(
    ("action", "body", "field"),
    [pytest.param(a, *case[1:], id=f"{a}-{case[0]}") for a, cases in BAD_ACTIONS.items() for case in cases],
)
def test_bad_action_is_422_naming_the_field_and_changes_nothing(world, in_process, action, body, field):
    before = _state(in_process)
    response = take(world, in_process, action, with_version(in_process, **body))
    assert_names(problem_fields(response, 422), field)
    assert _state(in_process) == before


@pytest.mark.parametrize(
    "body",
    [{}, {"version": "abc"}, {"version": 0}, {"version": -1}, {"version": None}, {"version": [1]}, [1], "1"],
    ids=["missing", "text", "zero", "negative", "null", "list", "body_is_a_list", "body_is_a_string"],
)
def test_action_without_a_valid_version_is_422(world, in_process, body):
    before = _state(in_process)
    response = take(world, in_process, "stop", {"reason": "x", **body} if isinstance(body, dict) else body)
    fields = problem_fields(response, 422)
    assert fields == ["version"] or fields == ["body"], fields
    assert _state(in_process) == before


def test_unknown_action_is_404(world, in_process):
    before = _state(in_process)
    problem_fields(take(world, in_process, "explode", with_version(in_process)), 404)
    assert _state(in_process) == before


def test_action_on_a_stale_version_is_409(world, in_process):
    stale = with_version(in_process)
    assert take(world, in_process, "assign", {**stale, "assignee": "specialist"}).status_code == 200
    before = _state(in_process)
    problem_fields(take(world, in_process, "stop", {**stale, "reason": "Không đủ điều kiện"}), 409)
    assert _state(in_process) == before


def test_action_not_allowed_in_the_status_is_409(world, in_process):
    before = _state(in_process)
    for action in ("accept", "return_result", "record_payment", "accept_supplement"):
        problem_fields(take(world, in_process, action, with_version(in_process), username="counter"), 409)
    assert _state(in_process) == before


UNSTORABLE_IN_ACTIONS = {
    "note": ("stop", {"reason": "Không đủ điều kiện"}, "note"),
    "stop_reason": ("stop", {}, "reason"),
    "apology_reason": ("apologise", apology(), "reason"),
}


@pytest.mark.parametrize("text", UNSTORABLE.values(), ids=UNSTORABLE.keys())
@pytest.mark.parametrize(
    ("action", "body", "field"), UNSTORABLE_IN_ACTIONS.values(), ids=UNSTORABLE_IN_ACTIONS.keys()
)
def test_unstorable_text_in_an_action_is_422_naming_the_field(world, in_process, action, body, field, text):
    before = _state(in_process)
    response = take(world, in_process, action, with_version(in_process, **{**body, field: text}))
    assert_names(problem_fields(response, 422), field)
    assert _state(in_process) == before


@pytest.mark.parametrize("text", UNSTORABLE.values(), ids=UNSTORABLE.keys())
def test_unstorable_text_in_a_supplement_item_is_422_naming_it(world, in_process, text):
    before = _state(in_process)
    body = supplement(items=[{"description": "Bản sao CCCD"}, {"description": text}])
    response = take(world, in_process, "request_supplement", with_version(in_process, **body))
    assert_names(problem_fields(response, 422), "items.1.description")
    assert _state(in_process) == before


@pytest.fixture
def awaiting_supplement(world) -> str:
    code = create(world, world.intake_body("counter")).json()["code"]
    response = take(world, code, "request_supplement", with_version(code, **SUPPLEMENT), username="counter")
    assert response.status_code == 200, response.content
    return code


BAD_FILE_IDS = {
    "unknown": 987654,
    "fraction": 1.5,
    "null": None,
    "boolean": True,
    "text": "abc",
    "object": {"id": 1},
    "list": [1],
    "beyond_64_bits": BEYOND_64_BITS,
}


@pytest.mark.parametrize("file", BAD_FILE_IDS.values(), ids=BAD_FILE_IDS.keys())
def test_supplement_with_a_bad_file_is_422(world, awaiting_supplement, file):
    before = _state(awaiting_supplement)
    body = with_version(awaiting_supplement, documents=[{"file": file}])
    response = take(world, awaiting_supplement, "submit_supplement", body, username="counter")
    assert_names(problem_fields(response, 422), "documents.0.file")
    assert _state(awaiting_supplement) == before


# --- authentication ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer garbage", "Bearer ", BASIC_AUTH, "Token {token}", "Bearer {token}x"],
    ids=["none", "garbage", "empty", "basic", "wrong_scheme", "altered_token"],
)
@pytest.mark.parametrize("target", ["intake", "action", "upload"])
def test_unauthenticated_post_is_401(world, in_process, authorization, target):
    from django.test import Client

    headers = {"Authorization": authorization.format(token=world.tokens["counter"])} if authorization else {}
    client = Client(headers=headers)
    before = _state(in_process)
    if target == "intake":
        response = post_json(client, "/api/v1/dossiers", world.intake_body("counter"))
    elif target == "action":
        body = with_version(in_process, reason="Không đủ điều kiện")
        response = post_json(client, f"/api/v1/dossiers/{in_process}/actions/stop", body)
    else:
        from django.core.files.uploadedfile import SimpleUploadedFile

        from motcua.conftest import PDF_BYTES

        response = client.post("/api/v1/files", {"file": SimpleUploadedFile("scan.pdf", PDF_BYTES)})
    problem_fields(response, 401)
    assert Dossier.objects.count() == 1
    assert _state(in_process) == before


# --- fuzzing -----------------------------------------------------------------------------------------------

TEXT = st.text(max_size=24)  # NUL characters and lone surrogates included
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()  # beyond 64 bits too
    | st.floats()  # NaN and infinities too
    | TEXT
    | st.sampled_from(["", "2026-03-20", "2026-03-20T09:00:00+07:00", "001090012345", "counter", "nam"])
)
JSON = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4)
)
INTAKE_PATHS = [
    tuple(int(part) if part.isdigit() else part for part in path.split("."))
    for path in [
        "procedure", "case", "channel", "result_delivery", "receiving_unit", "competent_authority",
        "representative", "applicant", "applicant.kind", "applicant.full_name", "applicant.id_number",
        "applicant.tax_code", "applicant.date_of_birth", "applicant.email", "form", "form.child_name",
        "form.child_birth_date", "form.other", "documents", "documents.0", "documents.0.file",
        "documents.0.requirement", "unknown",
    ]
]  # fmt: skip
ACTION_FIELDS = [
    "version", "note", "reason", "items", "assignee", "to_unit", "amount", "new_appointment", "documents",
    "result_number", "result_file", "receipt_number", "recipient_name", "recipient_id_number",
    "waybill_number",
]  # fmt: skip
FUZZ = hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _holds(container: Any, key: Any) -> bool:
    if isinstance(container, list):
        return isinstance(key, int) and key < len(container)
    return isinstance(container, dict) and key in container


def _set(body: Any, path: tuple[Any, ...], value: Any) -> None:
    """Set `value` at `path` in `body` if its parents exist (an earlier edit may have replaced them)."""
    *parents, last = path
    for key in parents:
        if not _holds(body, key):
            return
        body = body[key]
    if isinstance(body, dict) or _holds(body, last):
        body[last] = value


@pytest.fixture
def good_body(world) -> dict[str, Any]:
    return world.intake_body("counter")


@FUZZ
@given(
    whole=st.none() | JSON,
    edits=st.lists(st.tuples(st.sampled_from(INTAKE_PATHS), JSON), min_size=1, max_size=3),
)
def test_fuzzed_intake_is_never_a_500(world, good_body, whole, edits):
    body: Any = copy.deepcopy(good_body)
    for path, value in edits:
        _set(body, path, value)
    for payload in (body, whole) if whole is not None else (body,):
        response = create(world, payload)
        assert response.status_code < 500, (payload, response.content)
        if response.status_code != 201:
            problem_fields(response, response.status_code)


@FUZZ
@given(
    username=st.sampled_from(["counter", "leader", "specialist", "city_leader", "other_leader", "citizen"]),
    action=st.sampled_from([*ACTIONS, "explode", "ACCEPT", "accept "]),
    forwarded=st.booleans(),
    fields=st.dictionaries(st.sampled_from(ACTION_FIELDS) | TEXT, JSON, max_size=4),
    current_version=st.booleans(),
)
def test_fuzzed_action_is_never_a_500(world, good_body, username, action, forwarded, fields, current_version):
    code = create(world, good_body).json()["code"]
    if forwarded:
        assert take(world, code, "forward", {"version": 1}, username="counter").status_code == 200
    body = {**fields, "version": Dossier.objects.get(code=code).version} if current_version else fields
    response = take(world, code, action, body, username=username)
    assert response.status_code < 500, (body, response.content)
    if response.status_code >= 400:
        problem_fields(response, response.status_code)
