"""For tests: run `motcua sandbox` (the stand-in outside parties, not the real portal) as a real subprocess
and drive it through its `/_sandbox/...` endpoints.

    with running_sandbox(session_seconds=2) as sandbox:
        settings.MOTCUA_DVCQG_URL = sandbox.url
        ...
        assert sandbox.dossier("000.00.01.H26-261208-0001")["record"]["TrangThaiHoSo"] == "2"

The pytest fixtures `sandbox` (one process per test session, reset before each test) and `dvcqg_settings` (the
platform's MOTCUA_DVCQG_* settings pointed at it) are in src/motcua/conftest.py."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any
from urllib.parse import quote

from motcua.sandbox.dvcqg import PortalOptions

READY = re.compile(r"Sandbox listening on (http://\S+)")
STARTUP_SECONDS = 60.0
# What `submit` files when a test names nothing else: a birth registration by a verified citizen.
CITIZEN_FILING: dict[str, Any] = {
    "MaTTHC": "1.001193",
    "ChuHoSo": "Trần Thị Bình",
    "SoGiayToChuHoSo": "001190054321",
    "LoaiDoiTuong": "1",
    "NgaySinh": "19900504",
    "Email": "binh@example.vn",
    "SoDienThoai": "0912000111",
    "DiaChi": "12 Phố Huế, Hà Nội",
    "TaiKhoanDuocXacThucVoiVNeID": "1",
    "DuLieuBieuMau": {"child_name": "Trần Văn Cốm", "child_birth_date": "2026-11-20", "child_sex": "nam"},
}


class SandboxError(RuntimeError):
    """The sandbox answered a test helper with an error (the status and its body say which)."""


@dataclass(frozen=True)
class Sandbox:
    """A running sandbox: its base URL, the credentials its portal accepts, and helpers to look and act."""

    url: str
    portal: PortalOptions  # what its national portal accepts: credentials, paths, session lifetime
    process: subprocess.Popen[bytes]
    log: Path  # what the process printed: its request lines (tests check they carry no personal data)

    @property
    def user(self) -> str:
        return self.portal.user

    @property
    def password(self) -> str:
        return self.portal.password

    @property
    def dstcode(self) -> str:
        return self.portal.dstcode

    def request(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> tuple[int, Any]:
        """(status, decoded JSON answer) of one call; an error status is returned, not raised."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.url + path,
            data=data,
            method=method,
            headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def _ok(self, method: str, path: str, body: Any = None) -> Any:
        status, answer = self.request(method, path, body)
        if status >= 400:
            raise SandboxError(f"{method} {path}: {status} {answer}")
        return answer

    def dossiers(self) -> list[dict[str, Any]]:
        """Every dossier the portal holds: MaHoSo, madonvi, record (the last one), progress, received_at."""
        return list(self._ok("GET", "/_sandbox/dvcqg/dossiers")["dossiers"])

    def dossier(self, code: str) -> dict[str, Any] | None:
        status, answer = self.request("GET", f"/_sandbox/dvcqg/dossiers/{quote(code, safe='')}")
        if status == 404:
            return None
        if status >= 400:
            raise SandboxError(f"dossier {code}: {status} {answer}")
        return dict(answer)

    def filed(self) -> list[dict[str, Any]]:
        """The dossiers citizens filed on the portal (what LayDanhSachHoSoMoi answers, with their madonvi)."""
        return list(self._ok("GET", "/_sandbox/dvcqg/filed")["filed"])

    def submit(self, **fields: Any) -> str:
        """A citizen files a dossier on the portal (CITIZEN_FILING and `fields`); its national code."""
        return str(self._ok("POST", "/_sandbox/dvcqg/submit", {**CITIZEN_FILING, **fields})["MaHoSo"])

    def outage(self, down: bool) -> None:
        self._ok("POST", "/_sandbox/dvcqg/outage", {"down": down})

    def expire_sessions(self) -> None:
        self._ok("POST", "/_sandbox/dvcqg/expire-sessions", {})

    def plant(self, code: str, record: dict[str, Any], madonvi: str = "") -> None:
        """Overwrite the record the portal holds for `code` (a difference for reconciliation to find)."""
        self._ok("POST", "/_sandbox/dvcqg/plant", {"MaHoSo": code, "record": record, "madonvi": madonvi})

    def requests(self) -> dict[str, Any]:
        """Per party what it was asked; for the portal: {"services": {name: calls}, "idempotency_keys":
        {key: times seen}, "replays", "refused_while_down", "sessions"}."""
        return dict(self._ok("GET", "/_sandbox/requests"))

    def reset(self) -> None:
        self._ok("POST", "/_sandbox/reset", {})


@contextmanager
def running_sandbox(**options: Any) -> Iterator[Sandbox]:
    """Start `motcua sandbox` on a free port, wait until it answers, yield it, and stop it afterwards.
    `options` are its portal's (PortalOptions: user, password, dstcode, session_seconds, auth_path,
    service_path); a name it does not have is a TypeError."""
    portal = PortalOptions(**options)
    command = [sys.executable, "-m", "motcua", "sandbox", "--port", "0", "--parent-pid", str(os.getpid())]
    for option in fields(PortalOptions):
        command += [f"--{option.name.replace('_', '-')}", str(getattr(portal, option.name))]
    with tempfile.TemporaryDirectory(prefix="motcua-sandbox-") as directory:
        log = Path(directory) / "sandbox.log"
        with log.open("wb") as output:
            process = subprocess.Popen(
                command,
                stdout=output,
                stderr=subprocess.STDOUT,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )
        try:
            sandbox = Sandbox(_wait_until_listening(process, log), portal, process, log)
            sandbox.requests()  # answers: it is serving
            yield sandbox
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_listening(process: subprocess.Popen[bytes], log: Path) -> str:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        ready = READY.search(log.read_text(errors="replace"))
        if ready:
            return ready.group(1)
        if process.poll() is not None:
            break
        time.sleep(0.05)
    raise SandboxError(f"`motcua sandbox` did not start:\n{log.read_text(errors='replace')[-2000:]}")
