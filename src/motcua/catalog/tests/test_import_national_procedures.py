import copy
import datetime as dt
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from motcua.catalog.importer import RecordProblem, parse_procedure
from motcua.catalog.models import Case, Procedure, ProcedureVersion, WorkflowStep
from motcua.catalog.tests.sample_catalogue import make_agencies
from motcua.org.models import Agency
from motcua.worktime.constants import DurationUnit

SAMPLE = Path(__file__).parent / "data" / "national_procedures.json"
PUBLISHER = "000.00.00.H26"


@pytest.fixture
def agencies(db) -> dict[str, Agency]:
    return make_agencies()


@pytest.fixture
def records() -> list[dict]:
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


def _write(tmp_path: Path, data) -> Path:
    path = tmp_path / "procedures.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _import(path: Path, *args: str) -> str:
    out = StringIO()
    call_command("importprocedures", str(path), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_import_creates_each_procedure_with_its_cases_fees_and_documents(agencies):
    output = _import(SAMPLE, "--valid-from", "2025-07-01")

    assert "2 created, 0 new version, 0 unchanged, 0 failed" in output
    certification = ProcedureVersion.objects.get(procedure__local_code="2.000884.000.00.00.H26")
    assert (certification.level, certification.online_level) == ("commune", "none")
    assert certification.competent_agency.identity_code == "000.A1.01.H26"
    assert certification.valid_from == dt.date(2025, 7, 1)
    case = certification.cases.get()
    assert (case.time_value, case.time_unit) == (1, DurationUnit.WORKING_DAYS)
    fee = case.fees.get()
    assert (fee.kind, fee.amount, fee.unit) == ("fee", 10_000, "trường hợp")

    record = ProcedureVersion.objects.get(procedure__national_code="2.000488")
    assert (record.level, record.online_level) == ("province", "full")
    assert record.legal_basis == [{"number": "28/2009/QH12", "name": "Luật Lý lịch tư pháp", "date": ""}]
    first, second = record.cases.order_by("order")
    assert (first.code, first.name) == ("TH1", "Cấp Phiếu lý lịch tư pháp số 1")
    assert (first.time_value, first.time_unit) == (10, DurationUnit.DAYS)
    # Half a working day online is kept as four working hours: the clock counts whole units.
    assert (first.online_time_value, first.online_time_unit) == (4, DurationUnit.WORKING_HOURS)
    assert [(f.amount, f.online_amount) for f in first.fees.all()] == [(200_000, 100_000)]
    form, identity = second.documents.all()
    assert [(form.originals, form.copies), (identity.originals, identity.copies)] == [(1, 0), (0, 1)]
    assert form.name == "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp (Mẫu số 04/2013/TT-LLTP)"


def test_importing_the_same_file_again_changes_nothing(agencies):
    _import(SAMPLE, "--valid-from", "2025-07-01")
    counts = (ProcedureVersion.objects.count(), Case.objects.count())

    output = _import(SAMPLE, "--valid-from", "2026-01-01")

    assert "0 created, 0 new version, 2 unchanged, 0 failed" in output
    assert (ProcedureVersion.objects.count(), Case.objects.count()) == counts


def test_changed_procedure_becomes_a_new_version_keeping_the_local_workflow(agencies, records, tmp_path):
    _import(SAMPLE, "--valid-from", "2025-07-01")
    old = ProcedureVersion.objects.get(procedure__national_code="2.000884")
    WorkflowStep.objects.create(
        case=old.cases.get(), order=1, name="Thẩm định", role="specialist", budget_hours=6
    )
    changed = copy.deepcopy(records)
    changed[0]["CACHTHUCTHUCHIEN"][0]["THOIGIAN"][0]["PHILEPHI"][0]["SOTIEN"] = "12.000"

    output = _import(_write(tmp_path, changed), "--valid-from", "2026-01-01")

    assert "0 created, 1 new version, 1 unchanged, 0 failed" in output
    old.refresh_from_db()
    new = ProcedureVersion.objects.get(procedure__national_code="2.000884", number=2)
    assert old.valid_to == dt.date(2025, 12, 31)
    assert new.valid_from == dt.date(2026, 1, 1)
    assert old.cases.get().fees.get().amount == 10_000
    assert new.cases.get().fees.get().amount == 12_000
    assert [s.name for s in new.cases.get().steps.all()] == ["Thẩm định"]


def test_unknown_agency_fails_that_procedure_and_writes_nothing_of_it(agencies, records, tmp_path):
    records[1]["COQUANTHUCHIEN"][0]["MADONVI"] = "000.99.99.H26"
    errors = StringIO()

    with pytest.raises(CommandError, match="1 created, 0 new version, 0 unchanged, 1 failed"):
        call_command("importprocedures", str(_write(tmp_path, records)), stdout=StringIO(), stderr=errors)

    assert "#2 2.000488" in errors.getvalue()
    assert "COQUANTHUCHIEN[0].MADONVI" in errors.getvalue()
    assert "000.99.99.H26" in errors.getvalue()
    assert list(Procedure.objects.values_list("national_code", flat=True)) == ["2.000884"]


def test_malformed_json_is_an_error_and_writes_nothing(agencies, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('[{"MATTHC": "1.000001",', encoding="utf-8")

    with pytest.raises(CommandError, match="not valid JSON"):
        _import(path)

    assert not Procedure.objects.exists()


def test_portal_envelope_and_single_object_are_accepted(agencies, records, tmp_path):
    assert "2 created" in _import(_write(tmp_path, {"result": records}))
    assert "1 unchanged" in _import(_write(tmp_path, records[0]))


def test_dry_run_writes_nothing(agencies):
    output = _import(SAMPLE, "--dry-run")

    assert "Dry run, nothing written: 2 created" in output
    assert not Procedure.objects.exists()


@pytest.mark.parametrize(
    ("path", "value", "key"),
    [
        (
            ("CACHTHUCTHUCHIEN", 0, "THOIGIAN", 0, "DONVITINH"),
            "Tháng",
            "CACHTHUCTHUCHIEN[0].THOIGIAN[0].DONVITINH",
        ),
        (("CACHTHUCTHUCHIEN", 0, "THOIGIAN", 0, "THOIGIANGIAIQUYET"), "ba", "THOIGIANGIAIQUYET"),
        (
            ("CACHTHUCTHUCHIEN", 0, "THOIGIAN", 0, "PHILEPHI", 0, "SOTIEN"),
            "Theo quy định",
            "PHILEPHI[0].SOTIEN",
        ),
        (("CACHTHUCTHUCHIEN", 0, "THOIGIAN", 0, "PHILEPHI", 0, "DONVI"), "USD", "PHILEPHI[0].DONVI"),
        (("CACHTHUCTHUCHIEN", 0, "KENH"), "Bồ câu", "CACHTHUCTHUCHIEN[0].KENH"),
        (("THANHPHANHOSO", 0, "GIAYTO", 0, "SOBANCHINH"), "một", "GIAYTO[0].SOBANCHINH"),
        (("TENTTHC",), "", "TENTTHC"),
        (("LINHVUCTHUCHIEN",), [], "LINHVUCTHUCHIEN"),
        (("MUCDO",), "7", "MUCDO"),
    ],
)
def test_bad_value_is_reported_with_its_key(agencies, records, path, value, key):
    record = records[0]
    target = record
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value

    with pytest.raises(RecordProblem) as problem:
        parse_procedure(record, PUBLISHER)

    assert key in str(problem.value)


@pytest.mark.parametrize(
    ("amount", "expected"),
    [("8.000", 8_000), ("1.000.000 đồng", 1_000_000), ("200,000", 200_000), (8000.0, 8_000), ("Miễn phí", 0)],
)
def test_amounts_are_read_as_whole_dong(agencies, records, amount, expected):
    records[0]["CACHTHUCTHUCHIEN"][0]["THOIGIAN"][0]["PHILEPHI"][0]["SOTIEN"] = amount

    spec = parse_procedure(records[0], PUBLISHER)

    assert spec.cases[0].fees[0].amount == expected


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        ("3", "Ngày làm việc", (3, DurationUnit.WORKING_DAYS)),
        ("15", "Ngày", (15, DurationUnit.DAYS)),
        ("4", "Giờ làm việc", (4, DurationUnit.WORKING_HOURS)),
        ("2", "giờ", (2, DurationUnit.WORKING_HOURS)),
        ("0.5", "Ngày làm việc", (4, DurationUnit.WORKING_HOURS)),
        ("0", "", (0, DurationUnit.NONE)),
    ],
)
def test_time_units_map_to_the_clock(agencies, records, value, unit, expected):
    time = records[0]["CACHTHUCTHUCHIEN"][0]["THOIGIAN"][0]
    time["THOIGIANGIAIQUYET"], time["DONVITINH"] = value, unit

    case = parse_procedure(records[0], PUBLISHER).cases[0]

    assert (case.time_value, case.time_unit) == expected


def test_a_code_that_names_its_publisher_keeps_it(agencies, records):
    records[0]["MATTHC"] = "2.000884.000.00.00.H29"

    spec = parse_procedure(records[0], PUBLISHER)

    assert (spec.national_code, spec.local_code) == ("2.000884", "2.000884.000.00.00.H29")
