"""`motcua exchange import-mappings FILE.csv`: all rows or none, each problem named by its line and column.

The messages are read in English, whatever the catalogue's Vietnamese says."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from motcua.exchange.models import AgencyMapping, ProcedureMapping


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


def _run(tmp_path, text: str) -> tuple[str, str]:
    path = tmp_path / "mappings.csv"
    path.write_text(text, encoding="utf-8")
    out, err = StringIO(), StringIO()
    call_command("exchange", "import-mappings", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_procedures_and_agencies_are_mapped_and_updated(world, tmp_path):
    out, _err = _run(
        tmp_path,
        "\ufeffkind,our_code,national_code\n"
        f"procedure,{world.procedure.local_code},1.001193\n"
        f"agency,{world.department.identity_code},000.00.21.H26\n",
    )
    assert "procedure: 1 created, 0 updated" in out
    assert ProcedureMapping.objects.get(procedure=world.procedure).national_code == "1.001193"
    assert AgencyMapping.objects.get(agency=world.department).national_code == "000.00.21.H26"

    # A procedure may also be named by its national code, when one procedure has it.
    out, _err = _run(tmp_path, "kind,our_code,national_code\nprocedure,1.001193,1.001193.X\n")
    assert "procedure: 0 created, 1 updated" in out
    assert ProcedureMapping.objects.get(procedure=world.procedure).national_code == "1.001193.X"


def test_a_file_with_a_bad_row_imports_nothing_and_names_every_problem(world, tmp_path):
    path = tmp_path / "mappings.csv"
    path.write_text(
        "kind,our_code,national_code\n"
        f"procedure,{world.procedure.local_code},1.001193\n"
        "agency,000.99.99.H99,X1\n"
        f"service,{world.procedure.local_code},1.001193\n"
        f"agency,{world.department.identity_code},\n"
        f"procedure,{world.procedure.local_code},1.001193\n",
        encoding="utf-8",
    )
    err = StringIO()
    with pytest.raises(CommandError, match=r"4 problem\(s\)"):
        call_command("exchange", "import-mappings", str(path), stdout=StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("line 3.our_code: No agency has the identity code “000.99.99.H99”")
    assert lines[1].startswith("line 4.kind: Use “procedure” or “agency”")
    assert lines[2].startswith("line 5.national_code: The national code is required")
    assert lines[3] == "line 6.our_code: Already mapped on line 2."
    assert not ProcedureMapping.objects.exists()
    assert not AgencyMapping.objects.exists()


def test_a_file_without_the_columns_is_refused(world, tmp_path):
    path = tmp_path / "mappings.csv"
    path.write_text("procedure;1.001193;1.001193\n", encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match=r"1 problem\(s\)"):
        call_command("exchange", "import-mappings", str(path), stderr=err)
    assert "header: The first line must name the columns kind, our_code, national_code" in err.getvalue()


def test_a_missing_file_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("exchange", "import-mappings", str(tmp_path / "none.csv"))
