"""A stand-in of the National Public Service Portal (DVCQG), NOT the real one: it speaks the subset of the
DVCQG protocol motcua uses (docs/integrations/dvcqg.md) with the same fields and answer codes, holds what it
receives in memory, and lets a person or a test look and act through `/_sandbox/dvcqg/...`.

Its answers' messages are Vietnamese text on the wire, as the real portal's are: they are the outside party's
words, not motcua's interface, so they are not translated. All state sits behind one lock: the server answers
each request in its own thread."""

from __future__ import annotations

import datetime as dt
import secrets
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from motcua.core.identifiers import mask_personal_id
from motcua.core.toml_config import toml_config
from motcua.sandbox import page
from motcua.sandbox.server import BadJson, Request, Response, json_response

WIRE_DATE = "%Y%m%d%H%M%S"  # yyyyMMddHHmmss, local time of the portal's zone
WIRE_DAY = "%Y%m%d"
SANDBOX_PREFIX = "/_sandbox/dvcqg"
SESSION_EXPIRED = "Phiên làm việc hết hạn"
WRONG_CREDENTIALS = "Sai tên đăng nhập hoặc mật khẩu"
NOT_SYNCHRONISED = "Hồ sơ chưa được đồng bộ"
NOT_FOUND = "Không tìm thấy hồ sơ"
# The dates of a DongBoHoSoMC record: each, when not empty, must be a wire date.
RECORD_DATES = ("NgayNopHoSo", "NgayTiepNhan", "NgayHenTra", "NgayTra", "NgayKetThucXuLy", "NgayTuChoi")
# The statuses a dossier may hold without ever having been received: filed (1), refused at reception (3),
# withdrawn before reception (7). Every other one needs NgayTiepNhan.
UNRECEIVED_STATUSES = frozenset({"1", "3", "7"})
PROGRESS_DATES = ("ThoiDiemXuLy", "NgayBatDau", "NgayKetThucTheoQuyDinh")


@dataclass(frozen=True)
class PortalData:
    """What the stand-in portal knows before anyone calls it (dvcqg.toml)."""

    national_code_prefix: str
    time_zone: ZoneInfo
    statuses: dict[str, str]
    procedures: dict[str, dict[str, Any]]


def parse_portal_data(raw: dict[str, Any]) -> PortalData:
    procedures: dict[str, dict[str, Any]] = {}
    for position, procedure in enumerate(raw.get("procedures", [])):
        code, name = procedure.get("MATTHC"), procedure.get("TENTTHC")
        if not code or not name or code in procedures:
            raise ValueError(f"dvcqg.toml: procedure #{position + 1} needs a unique MATTHC and a TENTTHC")
        procedures[code] = procedure
    return PortalData(
        national_code_prefix=raw["national_code_prefix"],
        time_zone=ZoneInfo(raw["time_zone"]),
        statuses={str(code): name for code, name in raw["statuses"].items()},
        procedures=procedures,
    )


portal_data = toml_config(Path(__file__).with_name("dvcqg.toml"), parse_portal_data)


@dataclass(frozen=True)
class PortalOptions:
    user: str = "motcua"
    password: str = "sandbox"
    dstcode: str = "MOTCUA-DEMO"
    session_seconds: float = 1800
    auth_path: str = "/login"
    service_path: str = "/service"


class Refusal(Exception):
    """Invalid data: answered with error_code -1, the message, and each field that is wrong and why."""

    def __init__(self, errors: list[tuple[str, str]], message: str = "") -> None:
        self.errors = errors
        self.message = message or "Dữ liệu không hợp lệ: " + "; ".join(f"{f}: {m}" for f, m in errors)
        super().__init__(self.message)


class Problems:
    """Collects what is wrong with a request, field by field, so one answer names every problem."""

    def __init__(self) -> None:
        self.errors: list[tuple[str, str]] = []

    def add(self, field_name: str, message: str) -> None:
        self.errors.append((field_name, message))

    def raise_any(self) -> None:
        if self.errors:
            raise Refusal(self.errors)

    def text(self, body: dict[str, Any], name: str, *, required: bool = True, where: str = "") -> str:
        value = body.get(name, "")
        if not isinstance(value, str):
            self.add(where + name, "phải là chuỗi ký tự")
            return ""
        if required and not value.strip():
            self.add(where + name, "bắt buộc")
        return value.strip()

    def date(self, body: dict[str, Any], name: str, *, required: bool = False, where: str = "") -> str:
        value = self.text(body, name, required=required, where=where)
        if value and not _is_wire_date(value, WIRE_DATE, 14):
            self.add(where + name, f"ngày giờ phải có dạng yyyyMMddHHmmss, nhận được {value[:20]!r}")
        return value

    def choice(self, body: dict[str, Any], name: str, allowed: tuple[str, ...], where: str = "") -> str:
        value = body.get(name)
        value = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
        if value not in allowed:
            self.add(where + name, f"phải là một trong {', '.join(allowed)}")
            return ""
        return str(value)


def _is_wire_date(value: str, pattern: str, length: int) -> bool:
    if len(value) != length or not value.isdigit():
        return False
    try:
        dt.datetime.strptime(value, pattern)
    except ValueError:
        return False
    return True


@dataclass
class HeldDossier:
    """A dossier the portal holds: the last record, the progress entries in the order received."""

    madonvi: str
    record: dict[str, Any]
    progress: list[dict[str, Any]] = field(default_factory=list)
    received_at: list[str] = field(default_factory=list)

    def as_json(self, code: str) -> dict[str, Any]:
        return {
            "MaHoSo": code,
            "madonvi": self.madonvi,
            "record": self.record,
            # Copies: the answer is written out after the lock is released, while entries may still arrive.
            "progress": list(self.progress),
            "received_at": list(self.received_at),
        }


@dataclass
class FiledDossier:
    """A dossier a citizen filed on the portal, waiting for the province to fetch it (LayDanhSachHoSoMoi)."""

    madonvi: str
    item: dict[str, Any]


@dataclass
class _State:
    sessions: dict[str, float] = field(default_factory=dict)  # session → expiry (monotonic clock)
    held: dict[str, HeldDossier] = field(default_factory=dict)
    filed: dict[str, FiledDossier] = field(default_factory=dict)
    answers: dict[str, tuple[int, dict[str, Any]]] = field(default_factory=dict)  # idempotency key → answer
    down: bool = False
    calls: Counter[str] = field(default_factory=Counter)
    keys_seen: Counter[str] = field(default_factory=Counter)
    replays: int = 0
    refused_while_down: int = 0
    sequence: dict[str, int] = field(default_factory=dict)  # yyMMdd → last number minted that day


Service = Callable[[str, dict[str, Any]], Any]


class NationalPortal:
    """The DVCQG party of the sandbox."""

    name = "dvcqg"

    def __init__(
        self,
        options: PortalOptions | None = None,
        data: PortalData | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.options = options or PortalOptions()
        self.data = data or portal_data()
        self._clock = clock
        self._lock = threading.Lock()
        self._state = _State()
        self._services: dict[str, Service] = {
            "DongBoHoSoMC": self._synchronise_dossiers,
            "CapNhatTienDoHoSoMC": self._update_progress,
            "TraCuuHoSo": self._look_up,
            "LayDanhSachHoSoMoi": self._new_dossiers,
            "LayDanhSachTTHC": self._list_procedures,
            "LayThuTuc": self._procedure,
        }
        self._sandbox_routes: dict[tuple[str, str], Callable[[dict[str, Any]], Response]] = {
            ("POST", f"{SANDBOX_PREFIX}/submit"): self._submit,
            ("POST", f"{SANDBOX_PREFIX}/outage"): self._outage,
            ("POST", f"{SANDBOX_PREFIX}/expire-sessions"): self._expire_sessions,
            ("POST", f"{SANDBOX_PREFIX}/plant"): self._plant,
        }

    # --- the party's interface -------------------------------------------------------------------------

    def handle(self, request: Request) -> Response | None:
        if request.method == "POST" and request.path == self.options.auth_path:
            return self._portal_call(request, self._log_in)
        if request.method == "POST" and request.path == self.options.service_path:
            return self._portal_call(request, self._service_call)
        if request.method == "GET" and request.path == f"{SANDBOX_PREFIX}/dossiers":
            with self._lock:
                held = [dossier.as_json(code) for code, dossier in self._state.held.items()]
            return json_response({"dossiers": held})
        if request.method == "GET" and request.path.startswith(f"{SANDBOX_PREFIX}/dossiers/"):
            code = request.path.removeprefix(f"{SANDBOX_PREFIX}/dossiers/")
            with self._lock:
                dossier = self._state.held.get(code)
                found = dossier.as_json(code) if dossier else None
            if found is None:
                return json_response({"error": NOT_FOUND, "MaHoSo": code}, HTTPStatus.NOT_FOUND)
            return json_response(found)
        if request.method == "GET" and request.path == f"{SANDBOX_PREFIX}/filed":
            with self._lock:
                filed = [{"madonvi": f.madonvi, **f.item} for f in self._state.filed.values()]
            return json_response({"filed": filed})
        action = self._sandbox_routes.get((request.method, request.path))
        if action is None:
            return None
        try:
            return action(request.json_object())
        except BadJson as error:
            return _refused_response(Refusal([("body", str(error))]), HTTPStatus.BAD_REQUEST)
        except Refusal as refusal:
            return _refused_response(refusal, HTTPStatus.BAD_REQUEST)

    def reset(self) -> None:
        with self._lock:
            self._state = _State()

    def requests_seen(self) -> dict[str, Any]:
        with self._lock:
            return {
                "services": dict(self._state.calls),
                "idempotency_keys": dict(self._state.keys_seen),
                "replays": self._state.replays,
                "refused_while_down": self._state.refused_while_down,
                "sessions": len(self._state.sessions),
            }

    # --- the DVCQG protocol ----------------------------------------------------------------------------

    def _portal_call(
        self, request: Request, answer: Callable[[Request, dict[str, Any]], Response]
    ) -> Response:
        with self._lock:
            if self._state.down:
                self._state.refused_while_down += 1
                return json_response(
                    {"message": "Service Unavailable"}, HTTPStatus.SERVICE_UNAVAILABLE, "down"
                )
            try:
                body = request.json_object()
            except BadJson as error:
                return _refused_response(Refusal([("body", str(error))]), HTTPStatus.BAD_REQUEST)
            return answer(request, body)

    def _log_in(self, request: Request, body: dict[str, Any]) -> Response:
        self._state.calls["login"] += 1
        options = self.options
        if (
            request.header("dstcode") != options.dstcode
            or body.get("username") != options.user
            or body.get("password") != options.password
        ):
            answer = {"error_code": 1, "message": WRONG_CREDENTIALS}
            return json_response(answer, HTTPStatus.UNAUTHORIZED, "login refused")
        session = secrets.token_urlsafe(24)
        self._state.sessions[session] = self._clock() + options.session_seconds
        return json_response({"error_code": 0, "session": session, "message": ""}, note="login")

    def _service_call(self, request: Request, body: dict[str, Any]) -> Response:
        service = body.get("service")
        note = str(service)[:40]
        self._state.calls[note] += 1
        expiry = self._state.sessions.get(str(body.get("session")))
        if expiry is None or expiry < self._clock():
            self._state.sessions.pop(str(body.get("session")), None)
            return json_response({"error_code": -2, "message": SESSION_EXPIRED}, note=f"{note} -2")
        key = request.header("idempotency-key")
        if key:
            self._state.keys_seen[key] += 1
            if key in self._state.answers:
                self._state.replays += 1
                status, answer = self._state.answers[key]
                return json_response(answer, status, f"{note} replayed")
        status, answer = self._run(service, body)
        if key:
            self._state.answers[key] = (status, answer)
        return json_response(answer, status, f"{note} {answer['error_code']}")

    def _run(self, service: object, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        run = self._services.get(service) if isinstance(service, str) else None
        if run is None:
            return HTTPStatus.OK, {"error_code": -3, "message": f"Dịch vụ không tồn tại: {str(service)[:60]}"}
        problems = Problems()
        # A call may leave out the unit code (`madonvi`): it then speaks for every unit.
        madonvi = problems.text(body, "madonvi", required=False)
        try:
            problems.raise_any()
            result = run(madonvi, body)
        except Refusal as refusal:
            return HTTPStatus.OK, _refusal_answer(refusal)
        return HTTPStatus.OK, {"error_code": 0, "message": "Thành công", "result": result}

    def _synchronise_dossiers(self, madonvi: str, body: dict[str, Any]) -> list[dict[str, Any]]:
        problems = Problems()
        problems.choice(body, "isUpdating", ("true", "false"))
        records = _records(body, problems)
        for index, record in records:
            where = f"data[{index}]."
            problems.text(record, "MaHoSo", where=where)
            procedure = problems.text(record, "MaTTHC", where=where)
            if procedure and procedure not in self.data.procedures:
                problems.add(where + "MaTTHC", f"thủ tục {procedure[:20]} không có trên Cổng")
            status = problems.choice(record, "TrangThaiHoSo", tuple(self.data.statuses), where=where)
            for name in RECORD_DATES:
                problems.date(
                    record,
                    name,
                    where=where,
                    required=name == "NgayTiepNhan" and status not in UNRECEIVED_STATUSES,
                )
        problems.raise_any()
        now = self._now().isoformat(timespec="seconds")
        for _index, record in records:
            code = record["MaHoSo"].strip()
            held = self._state.held.setdefault(code, HeldDossier(madonvi, record))
            held.record, held.madonvi = record, madonvi
            held.received_at.append(now)
        return [{"MaHoSo": record["MaHoSo"].strip(), "error_code": 0} for _index, record in records]

    def _update_progress(self, madonvi: str, body: dict[str, Any]) -> list[dict[str, Any]]:
        problems = Problems()
        entries = _records(body, problems)
        for index, entry in entries:
            where = f"data[{index}]."
            code = problems.text(entry, "MaHoSo", where=where)
            if code and code not in self._state.held:
                problems.add(where + "MaHoSo", NOT_SYNCHRONISED)
            for name in PROGRESS_DATES:
                problems.date(entry, name, where=where, required=name == "ThoiDiemXuLy")
        if len(problems.errors) == 1 and problems.errors[0][1] == NOT_SYNCHRONISED:
            raise Refusal(problems.errors, NOT_SYNCHRONISED)
        problems.raise_any()
        for _index, entry in entries:
            self._state.held[entry["MaHoSo"].strip()].progress.append(entry)
        return [{"MaHoSo": entry["MaHoSo"].strip(), "error_code": 0} for _index, entry in entries]

    def _look_up(self, madonvi: str, body: dict[str, Any]) -> Any:
        problems = Problems()
        if "MaHoSo" in body:
            code = problems.text(body, "MaHoSo")
            problems.raise_any()
            held = self._state.held.get(code)
            if held is None:
                raise Refusal([("MaHoSo", NOT_FOUND)], NOT_FOUND)
            return held.record
        since = problems.date(body, "TuNgay", required=True)
        until = problems.date(body, "DenNgay", required=True)
        problems.raise_any()
        return [
            held.record
            for held in self._state.held.values()
            if _same_unit(held.madonvi, madonvi) and since <= _reference_date(held.record) <= until
        ]

    def _new_dossiers(self, madonvi: str, body: dict[str, Any]) -> list[dict[str, Any]]:
        problems = Problems()
        since = problems.date(body, "TuNgay")
        problems.raise_any()
        return [
            filed.item
            for filed in self._state.filed.values()
            if _same_unit(filed.madonvi, madonvi) and filed.item["NgayNopHoSo"] >= since
        ]

    def _list_procedures(self, madonvi: str, body: dict[str, Any]) -> list[dict[str, str]]:
        return [{"MATTHC": p["MATTHC"], "TENTTHC": p["TENTTHC"]} for p in self.data.procedures.values()]

    def _procedure(self, madonvi: str, body: dict[str, Any]) -> list[dict[str, Any]]:
        problems = Problems()
        code = problems.text(body, "maTTHC")
        problems.raise_any()
        if code not in self.data.procedures:
            raise Refusal([("maTTHC", f"thủ tục {code[:20]} không có trên Cổng")], "Không tìm thấy thủ tục")
        return [self.data.procedures[code]]

    # --- the sandbox's own endpoints -------------------------------------------------------------------

    def _submit(self, body: dict[str, Any]) -> Response:
        problems = Problems()
        procedure = problems.text(body, "MaTTHC")
        if procedure and procedure not in self.data.procedures:
            problems.add("MaTTHC", f"thủ tục {procedure[:20]} không có trên Cổng")
        applicant = problems.text(body, "ChuHoSo")
        id_number = problems.text(body, "SoGiayToChuHoSo")
        if id_number and not (id_number.isdigit() and 9 <= len(id_number) <= 13):
            problems.add("SoGiayToChuHoSo", "số giấy tờ gồm 9 đến 13 chữ số")
        kind = problems.choice(body, "LoaiDoiTuong", ("1", "2"))
        birth_date = problems.text(body, "NgaySinh", required=False)
        if birth_date and not _is_wire_date(birth_date, WIRE_DAY, 8):
            problems.add("NgaySinh", "ngày sinh phải có dạng yyyyMMdd")
        vneid = problems.choice(body, "TaiKhoanDuocXacThucVoiVNeID", ("0", "1"))
        form = body.get("DuLieuBieuMau", {})
        if not isinstance(form, dict):
            problems.add("DuLieuBieuMau", "phải là một đối tượng JSON")
        attachments = body.get("TaiLieuNop", [])
        if not isinstance(attachments, list) or not all(isinstance(a, dict) for a in attachments):
            problems.add("TaiLieuNop", "phải là danh sách các đối tượng")
        filed_at = problems.date(body, "NgayNopHoSo")
        texts = {
            name: problems.text(body, name, required=False) for name in ("Email", "SoDienThoai", "DiaChi")
        }
        madonvi = problems.text(body, "madonvi", required=False)
        problems.raise_any()
        with self._lock:
            now = self._now()
            code = self._mint_code(now)
            self._state.filed[code] = FiledDossier(
                madonvi,
                {
                    "MaHoSo": code,
                    "MaTTHC": procedure,
                    "NgayNopHoSo": filed_at or now.strftime(WIRE_DATE),
                    "ChuHoSo": applicant,
                    "SoGiayToChuHoSo": id_number,
                    "LoaiDoiTuong": kind,
                    "NgaySinh": birth_date,
                    **texts,
                    "TaiKhoanDuocXacThucVoiVNeID": vneid,
                    "DuLieuBieuMau": form,
                    "TaiLieuNop": attachments,
                },
            )
        return json_response({"MaHoSo": code}, HTTPStatus.CREATED, "submitted")

    def _outage(self, body: dict[str, Any]) -> Response:
        down = body.get("down")
        if not isinstance(down, bool):
            raise Refusal([("down", "phải là true hoặc false")])
        with self._lock:
            self._state.down = down
        return json_response({"down": down}, note="down" if down else "up")

    def _expire_sessions(self, body: dict[str, Any]) -> Response:
        with self._lock:
            forgotten = len(self._state.sessions)
            self._state.sessions.clear()
        return json_response({"expired": forgotten})

    def _plant(self, body: dict[str, Any]) -> Response:
        problems = Problems()
        code = problems.text(body, "MaHoSo")
        record = body.get("record")
        if not isinstance(record, dict):
            problems.add("record", "phải là một đối tượng JSON")
            record = {}
        madonvi = problems.text(body, "madonvi", required=False)
        problems.raise_any()
        with self._lock:
            held = self._state.held.setdefault(code, HeldDossier(madonvi, {}))
            held.record = {**record, "MaHoSo": code}
            held.madonvi = madonvi or held.madonvi
        return json_response({"MaHoSo": code}, note="planted")

    def _mint_code(self, now: dt.datetime) -> str:
        day = now.strftime("%y%m%d")
        number = self._state.sequence.get(day, 0) + 1
        self._state.sequence[day] = number
        return f"{self.data.national_code_prefix}-{day}-{number:04d}"

    def _now(self) -> dt.datetime:
        return dt.datetime.now(self.data.time_zone)

    # --- the page --------------------------------------------------------------------------------------

    def page_section(self) -> str:
        with self._lock:
            down = self._state.down
            held = [
                (code, dossier.record, list(dossier.progress), len(dossier.received_at))
                for code, dossier in self._state.held.items()
            ]
            filed = [dict(f.item) for f in self._state.filed.values()]
            synchronised = set(self._state.held)
        state = (
            page.paragraph(_("The portal is down: every call is answered 503."), "down")
            if down
            else page.paragraph(_("The portal is up."), "up")
        )
        held_rows = [
            [
                code,
                f"{record.get('MaTTHC', '')} {self._procedure_name(record)}".strip(),
                str(record.get("ChuHoSo", "")),
                mask_personal_id(str(record.get("SoGiayToChuHoSo", ""))),
                self._status_name(record),
                _shown_date(record.get("NgayNopHoSo")),
                _shown_date(record.get("NgayTiepNhan")),
                _shown_date(record.get("NgayHenTra")),
                _shown_date(record.get("NgayTra")),
                str(syncs),
                page.ordered_list(_progress_line(entry) for entry in progress),
            ]
            for code, record, progress, syncs in held
        ]
        filed_rows = [
            [
                item["MaHoSo"],
                item["MaTTHC"],
                item["ChuHoSo"],
                mask_personal_id(item["SoGiayToChuHoSo"]),
                _shown_date(item["NgayNopHoSo"]),
                _("yes") if item["MaHoSo"] in synchronised else _("not yet"),
            ]
            for item in filed
        ]
        return page.section(
            _("National Public Service Portal (DVCQG)"),
            state,
            page.section(
                _("Dossiers synchronised by the province"),
                page.table(
                    [
                        _("Dossier code"),
                        _("Procedure"),
                        _("Applicant"),
                        _("ID number"),
                        _("Status"),
                        _("Submitted on"),
                        _("Received on"),
                        _("Appointment date"),
                        _("Returned on"),
                        _("Synchronisations"),
                        _("Progress"),
                    ],
                    held_rows,
                    _("No dossier synchronised yet."),
                ),
            ),
            page.section(
                _("Dossiers citizens filed on the portal"),
                page.table(
                    [
                        _("National dossier code"),
                        _("Procedure"),
                        _("Applicant"),
                        _("ID number"),
                        _("Submitted on"),
                        _("Synchronised back"),
                    ],
                    filed_rows,
                    _("No dossier filed on the portal."),
                ),
            ),
        )

    def _procedure_name(self, record: dict[str, Any]) -> str:
        procedure = self.data.procedures.get(str(record.get("MaTTHC", "")))
        return str(record.get("TenTTHC") or (procedure or {}).get("TENTTHC", ""))

    def _status_name(self, record: dict[str, Any]) -> str:
        code = str(record.get("TrangThaiHoSo", ""))
        return f"{code} — {self.data.statuses[code]}" if code in self.data.statuses else code


def _records(body: dict[str, Any], problems: Problems) -> list[tuple[int, dict[str, Any]]]:
    data = body.get("data")
    if not isinstance(data, list) or not data:
        problems.add("data", "phải là danh sách khác rỗng")
        return []
    records = []
    for index, record in enumerate(data):
        if isinstance(record, dict):
            records.append((index, record))
        else:
            problems.add(f"data[{index}]", "phải là một đối tượng JSON")
    return records


def _same_unit(held: str, asking: str) -> bool:
    """Whether a unit asking sees what the portal holds for `held` (either unnamed: every unit)."""
    return not held or not asking or held == asking


def _reference_date(record: dict[str, Any]) -> str:
    """The date a look-up by range compares: received, or submitted when not received yet."""
    return str(record.get("NgayTiepNhan") or record.get("NgayNopHoSo") or "")


def _refusal_answer(refusal: Refusal) -> dict[str, Any]:
    return {
        "error_code": -1,
        "message": refusal.message,
        "errors": [{"field": name, "message": message} for name, message in refusal.errors],
    }


def _refused_response(refusal: Refusal, status: int) -> Response:
    return json_response(_refusal_answer(refusal), status, "-1")


def _shown_date(value: object) -> str:
    text = str(value or "")
    if _is_wire_date(text, WIRE_DATE, 14):
        return dt.datetime.strptime(text, WIRE_DATE).strftime("%d/%m/%Y %H:%M")
    return text


def _progress_line(entry: dict[str, Any]) -> str:
    parts: Iterator[str] = (
        str(entry.get(name) or "") for name in ("NoiDungXuLy", "NguoiXuLy", "PhongBanXuLy", "TrangThai")
    )
    return f"{_shown_date(entry.get('ThoiDiemXuLy'))}: " + " · ".join(part for part in parts if part)
