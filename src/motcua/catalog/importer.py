"""Import procedures published by the national public service portal (DVCQG, the LayThuTuc JSON).

Each record becomes a `VersionSpec` and goes through `catalog.services.publish_version`, one transaction per
procedure: a record that cannot be read writes nothing and is reported with the key at fault, while the others
go on. The portal publishes what the law says (name, cases, times, fees, documents); local settings it does
not publish (receiving units, e-forms, internal workflows, cut-off hours) are kept from the previous version.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, NoReturn

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from motcua.catalog.constants import FeeKind, OnlineLevel, ProcedureLevel
from motcua.catalog.models import ProcedureVersion
from motcua.catalog.services import (
    CaseSpec,
    DocumentSpec,
    FeeSpec,
    VersionSpec,
    problem_text,
    publish_version,
    working_day_minutes,
)
from motcua.core.errors import DomainError
from motcua.core.identifiers import IDENTITY_CODE_RE
from motcua.core.text import fold_vietnamese
from motcua.org.constants import AgencyKind, UnitLevel
from motcua.org.models import Agency
from motcua.worktime.constants import DurationUnit

# A code that already names its publisher (1.001193.000.00.00.H26) is a national code + an identity code.
_LOCAL_CODE_RE = re.compile(rf"^(?P<national>.+)\.(?P<publisher>{IDENTITY_CODE_RE.pattern[1:-1]})$")
_NATIONAL_CODE_MAX = 16
# Amounts are written with Vietnamese thousands separators ("8.000", "1.000.000") or none at all.
_AMOUNT_RE = re.compile(r"^(\d{1,3}(?:[.,]\d{3})+|\d+)(?:\s*(?:đồng|đ|vnđ|vnd))?$", re.IGNORECASE)

# Folded DONVITINH texts; the longer phrases are looked up first, so "ngày làm việc" is not read as "ngày".
_TIME_UNITS = {
    "ngay lam viec": DurationUnit.WORKING_DAYS,
    "gio lam viec": DurationUnit.WORKING_HOURS,
    "ngay": DurationUnit.DAYS,
    # Plain "giờ" in procedure sheets means office hours: a counter is not open at night.
    "gio": DurationUnit.WORKING_HOURS,
}
_CURRENCIES = {"", "dong", "d", "vnd"}
# MUCDO as the portal sends it: 2 information only, 3 partial, 4 full-process (DOMAIN.md §1.2).
_ONLINE_LEVELS = {"2": OnlineLevel.NONE, "3": OnlineLevel.PARTIAL, "4": OnlineLevel.FULL}
_LEVEL_WORDS = {
    "xa": ProcedureLevel.COMMUNE,
    "phuong": ProcedureLevel.COMMUNE,
    "tinh": ProcedureLevel.PROVINCE,
    "bo": ProcedureLevel.MINISTRY,
}
_DIRECT, _ONLINE, _POST = "direct", "online", "post"
_CHANNELS = {
    "1": _DIRECT,
    "truc tiep": _DIRECT,
    "2": _ONLINE,
    "truc tuyen": _ONLINE,
    "3": _POST,
    "buu chinh": _POST,
    "dich vu buu chinh": _POST,
}


class ImportFileError(ValueError):
    """The file as a whole cannot be read."""


class RecordProblem(ValueError):
    """One record cannot be imported: `key` is the path of the value at fault."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key}: {message}" if key else message)
        self.key = key


class _Record:
    """A JSON object and the path that led to it, so that every problem names its key."""

    def __init__(self, data: Any, path: str = "") -> None:
        if not isinstance(data, dict):
            raise RecordProblem(path, "expected a JSON object")
        self.data = data
        self.path = path

    def key(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def fail(self, name: str, message: str) -> NoReturn:
        raise RecordProblem(self.key(name), message)

    def text(self, name: str, *, required: bool = False) -> str:
        value = self.data.get(name)
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if value is not None and not isinstance(value, str):
            self.fail(name, "expected text")
        if required and not (value or "").strip():
            self.fail(name, "is missing or empty")
        return (value or "").strip()

    def objects(self, name: str, *, required: bool = False) -> list[_Record]:
        value = self.data.get(name)
        if isinstance(value, dict):
            value = [value]
        if value is not None and not isinstance(value, list):
            self.fail(name, "expected a list of objects")
        if required and not value:
            self.fail(name, "is missing or empty")
        return [_Record(item, f"{self.key(name)}[{n}]") for n, item in enumerate(value or [])]

    def count(self, name: str) -> int:
        raw = self.text(name) or "0"
        if not raw.isdigit():
            self.fail(name, f"expected a whole number of copies, not {raw!r}")
        return int(raw)


def province_publisher_code() -> str | None:
    """The province's People's Committee, which publishes the local procedure codes by default."""
    committee = Agency.objects.filter(
        kind=AgencyKind.PEOPLES_COMMITTEE,
        parent__isnull=True,
        administrative_unit__code=settings.MOTCUA_PROVINCE_CODE,
    ).first()
    return committee.identity_code if committee else None


def read_records(path: Path) -> list[Any]:
    """The procedure records of a file: a JSON list, {"result": [...]}, or a single procedure object."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise ImportFileError(f"{path}: cannot be read ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise ImportFileError(f"{path}: not UTF-8 text") from exc
    except json.JSONDecodeError as exc:
        raise ImportFileError(
            f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from exc
    if isinstance(data, dict) and isinstance(data.get("result"), list):
        return data["result"]
    if isinstance(data, dict):
        return [data]
    if isinstance(data, list):
        return data
    raise ImportFileError(f"{path}: expected a list of procedures, {{'result': [...]}} or one procedure")


def _codes(record: _Record, publisher_code: str) -> tuple[str, str]:
    code = record.text("MATTHC", required=True)
    if match := _LOCAL_CODE_RE.match(code):
        national, local = match["national"], code
    else:
        national, local = code, f"{code}.{publisher_code}"
    if len(national) > _NATIONAL_CODE_MAX:
        record.fail("MATTHC", f"a national procedure code has at most {_NATIONAL_CODE_MAX} characters")
    return national, local


def _duration(record: _Record) -> tuple[int, DurationUnit]:
    """THOIGIANGIAIQUYET + DONVITINH as a whole amount of a unit the clock knows."""
    raw = record.text("THOIGIANGIAIQUYET").replace(",", ".") or "0"
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        record.fail("THOIGIANGIAIQUYET", f"expected a number, not {raw!r}")
    if amount < 0:
        record.fail("THOIGIANGIAIQUYET", "a processing time cannot be negative")
    if amount == 0:
        # The portal writes 0 for procedures that set no appointment date.
        return 0, DurationUnit.NONE
    words = fold_vietnamese(record.text("DONVITINH"))
    unit = _TIME_UNITS.get(words)
    if unit is None:
        record.fail("DONVITINH", f"unknown time unit {record.text('DONVITINH')!r}")
    if unit == DurationUnit.WORKING_DAYS and amount != amount.to_integral_value():
        # Half a working day is half the office hours (four working hours of eight): the clock counts in
        # whole units.
        amount, unit = amount * working_day_minutes() / 60, DurationUnit.WORKING_HOURS
    if amount != amount.to_integral_value():
        record.fail("THOIGIANGIAIQUYET", f"{raw} {words} is not a whole number of a unit the clock counts")
    return int(amount), unit


def _amount(record: _Record) -> int:
    value = record.data.get("SOTIEN")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if value < 0 or value != int(value):
            record.fail("SOTIEN", f"expected a whole, non-negative number of đồng, not {value}")
        return int(value)
    text = record.text("SOTIEN")
    if not text or "mien" in fold_vietnamese(text):
        return 0
    match = _AMOUNT_RE.match(text)
    if match is None:
        record.fail("SOTIEN", f"cannot read an amount of đồng from {text!r}")
    return int(re.sub(r"[.,]", "", match[1]))


def _fee(record: _Record) -> FeeSpec:
    currency, _slash, per_unit = fold_vietnamese(record.text("DONVI")).partition("/")
    if currency.strip() not in _CURRENCIES:
        record.fail("DONVI", f"only amounts in đồng can be imported, not {record.text('DONVI')!r}")
    description = record.text("MOTA")
    folded = fold_vietnamese(description)
    # Lệ phí (a charge) and phí (a fee for a service) differ in law; a sheet that names neither is a charge.
    kind = FeeKind.FEE if "phi" in folded.split() and "le phi" not in folded else FeeKind.CHARGE
    unit = record.text("DONVI").partition("/")[2].strip() if per_unit else ""
    return FeeSpec(kind=kind, amount=_amount(record), unit=unit, description=description)


@dataclass
class _Channel:
    kind: str
    time: tuple[int, DurationUnit]
    fees: list[FeeSpec]


def _channels(record: _Record) -> list[_Channel]:
    channels = []
    for method in record.objects("CACHTHUCTHUCHIEN", required=True):
        label = method.text("KENH")
        kind = _CHANNELS.get(fold_vietnamese(label))
        if kind is None:
            method.fail("KENH", f"unknown channel {label!r}")
        # The first time listed is the channel's general one; later entries refine it in prose (MOTA).
        times = method.objects("THOIGIAN")
        if times:
            fees = [_fee(fee) for fee in times[0].objects("PHILEPHI")]
            channels.append(_Channel(kind, _duration(times[0]), fees))
    if not channels:
        record.fail("CACHTHUCTHUCHIEN", "no channel gives a processing time (THOIGIAN)")
    return channels


def _online_fees(direct: list[FeeSpec], online: list[FeeSpec]) -> tuple[FeeSpec, ...]:
    """The counter's fees, each with its online amount where the online channel lists a different one."""
    return tuple(
        dataclasses.replace(fee, online_amount=other.amount)
        if n < len(online) and (other := online[n]).amount != fee.amount
        else fee
        for n, fee in enumerate(direct)
    )


def _document(record: _Record) -> DocumentSpec:
    name = record.text("TENGIAYTO", required=True)
    form_name = record.text("TENMAUDON")
    if form_name and form_name not in name:
        name = f"{name} ({form_name})"
    url = record.text("URL")
    if url:
        try:
            URLValidator()(url)
        except ValidationError:
            record.fail("URL", f"not a web address: {url!r}")
        if len(url) > 200:
            record.fail("URL", "longer than 200 characters")
    return DocumentSpec(
        name=name[:500],
        originals=record.count("SOBANCHINH"),
        copies=record.count("SOBANSAO"),
        template_url=url,
        national_doc_type_code=record.text("MAGIAYTO")[:32],
    )


def _cases(record: _Record, procedure_name: str, channels: list[_Channel]) -> tuple[CaseSpec, ...]:
    """One case per TRUONGHOP named in the dossier components; all share the channels' time and fees."""
    documents: dict[str, list[DocumentSpec]] = {}
    for component in record.objects("THANHPHANHOSO"):
        docs = documents.setdefault(component.text("TRUONGHOP"), [])
        docs.extend(_document(doc) for doc in component.objects("GIAYTO"))
    by_kind = {channel.kind: channel for channel in reversed(channels)}
    main = by_kind.get(_DIRECT, channels[0])
    online = by_kind.get(_ONLINE)
    online_time = online.time if online and online.time != main.time else None
    fees = _online_fees(main.fees, online.fees if online else [])
    return tuple(
        CaseSpec(
            code=f"TH{n}",
            name=(name or procedure_name)[:500],
            time_value=main.time[0],
            time_unit=main.time[1],
            online_time_value=online_time[0] if online_time else None,
            online_time_unit=online_time[1] if online_time else "",
            fees=fees,
            documents=tuple(docs),
        )
        for n, (name, docs) in enumerate((documents or {"": []}).items(), 1)
    )


def _steps(record: _Record) -> str:
    lines = []
    for part in record.objects("TRINHTUTHUCHIEN"):
        if heading := part.text("TRUONGHOP"):
            lines.append(f"{heading}:")
        if isinstance(part.data.get("TRINHTU"), str):
            lines.append(part.text("TRINHTU"))
        else:
            lines.extend(step.text("TENTRINHTU") for step in part.objects("TRINHTU"))
    return "\n".join(line for line in lines if line)


def _level(record: _Record, agency: Agency) -> ProcedureLevel:
    """CAPTHUCHIEN when it names one level; otherwise what the competent agency is."""
    raw = record.data.get("CAPTHUCHIEN")
    texts = raw if isinstance(raw, list) else [raw]
    words = " ".join(
        item if isinstance(item, str) else " ".join(str(v) for v in item.values())
        for item in texts
        if isinstance(item, str | dict)
    )
    levels = {_LEVEL_WORDS[w] for w in fold_vietnamese(words).split() if w in _LEVEL_WORDS}
    if len(levels) == 1:
        return levels.pop()
    if agency.kind == AgencyKind.SECTOR_OFFICE:
        return ProcedureLevel.VERTICAL
    if agency.administrative_unit.level == UnitLevel.COMMUNE:
        return ProcedureLevel.COMMUNE
    return ProcedureLevel.PROVINCE


def _online_level(record: _Record) -> OnlineLevel:
    raw = record.text("MUCDO")
    folded = fold_vietnamese(raw)
    if not raw:
        return OnlineLevel.NONE
    if raw in _ONLINE_LEVELS:
        return _ONLINE_LEVELS[raw]
    if "toan trinh" in folded:
        return OnlineLevel.FULL
    if "mot phan" in folded:
        return OnlineLevel.PARTIAL
    record.fail("MUCDO", f"unknown online level {raw!r}")


def parse_procedure(data: Any, publisher_code: str) -> VersionSpec:
    """The catalogue's reading of one portal record; RecordProblem names the key that cannot be read."""
    record = _Record(data)
    national_code, local_code = _codes(record, publisher_code)
    name = record.text("TENTTHC", required=True)
    field_record = record.objects("LINHVUCTHUCHIEN", required=True)[0]
    agency_record = record.objects("COQUANTHUCHIEN", required=True)[0]
    agency_code = agency_record.text("MADONVI", required=True)
    agency = Agency.objects.select_related("administrative_unit").filter(identity_code=agency_code).first()
    if agency is None:
        agency_record.fail(
            "MADONVI", f"no agency has the identity code {agency_code} ({agency_record.text('TENDONVI')})"
        )
    return VersionSpec(
        national_code=national_code,
        local_code=local_code,
        name=name[:500],
        field_code=field_record.text("MALINHVUC", required=True)[:32],
        field_name=field_record.text("TENLINHVUC", required=True)[:200],
        level=_level(record, agency),
        competent_agency_code=agency.identity_code,
        cases=_cases(record, name, _channels(record)),
        online_level=_online_level(record),
        applicants=record.text("MOTADOITUONGTHUCHIEN"),
        steps=_steps(record),
        conditions=record.text("YEUCAU"),
        legal_basis=tuple(
            {"number": doc.text("SOVANBAN"), "name": doc.text("TENVANBAN"), "date": doc.text("NGAYBANHANH")}
            for doc in record.objects("CANCUPHAPLY")
        ),
        result_types=tuple(
            {"code": result.text("MAKETQUA"), "name": result.text("TENKETQUA", required=True)}
            for result in record.objects("KETQUATHUCHIEN")
        ),
    )


@dataclass
class ImportReport:
    outcomes: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    # The latest version of each procedure imported (created, changed or unchanged); none on a dry run.
    versions: list[ProcedureVersion] = field(default_factory=list)


def _label(index: int, data: Any) -> str:
    """How a record is named in a report: its position in the file, and its code and name when it has them."""
    parts = [f"#{index}"]
    if isinstance(data, dict):
        parts += [str(data.get(key)) for key in ("MATTHC", "TENTTHC") if data.get(key)]
    return " ".join(parts)


def import_procedures(
    records: Iterable[Any], *, valid_from: dt.date, publisher_code: str, dry_run: bool = False
) -> ImportReport:
    """Publish every record, each in its own transaction; with `dry_run`, roll each one back."""
    if not IDENTITY_CODE_RE.match(publisher_code):
        raise ImportFileError(f"{publisher_code!r} is not an agency identity code like 000.00.00.H26")
    report = ImportReport()
    for index, data in enumerate(records, 1):
        try:
            with transaction.atomic():
                publication = publish_version(parse_procedure(data, publisher_code), valid_from)
                if dry_run:
                    transaction.set_rollback(True)
        except RecordProblem as exc:
            report.failures.append(f"{_label(index, data)}: {exc}")
        except DomainError as exc:
            report.failures.append(f"{_label(index, data)}: {problem_text(exc)}")
        else:
            report.outcomes[publication.outcome] += 1
            if not dry_run:
                report.versions.append(publication.version)
    return report
