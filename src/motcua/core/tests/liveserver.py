"""The real server as a separate process, for the fault tests (issue 10, ADR 0019).

gunicorn with sync workers, as docs/operations/scale-out.md runs it in production, in a process group of its
own so that a test can SIGKILL the whole of it (master and workers) the way a power cut or the OOM killer
would. Its database is made through the command line a deployment uses (`motcua migrate`, `loaddemo`,
`apitoken`), and the clients speak plain HTTP over http.client: nothing of the server runs in the test
process.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BIN = Path(sys.executable).parent
PROCEDURE = "1.001193"  # the demo's birth registration: a full e-form and a mandatory document
OFFICER = "motiepnhan"  # the demo's counter officer at the service-centre branch
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(data_dir: Path, database_url: str) -> dict[str, str]:
    """A development-mode environment with DEBUG off: no demo refusal, no debug pages, no TLS redirect."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "MOTCUA_", "DJANGO_"))}
    env.update(
        DATABASE_URL=database_url,
        MOTCUA_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="motcua.settings",
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        LOG_LEVEL="ERROR",
    )
    return env


def motcua(env: dict[str, str], *args: str, timeout: float = 300) -> str:
    done = subprocess.run(
        [str(BIN / "motcua"), *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        raise AssertionError(f"motcua {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def prepare_database(env: dict[str, str]) -> str:
    """Schema and demo province through the command line; returns the counter officer's API token."""
    motcua(env, "migrate", "--no-input")
    motcua(env, "loaddemo")
    return motcua(env, "apitoken", OFFICER).strip().splitlines()[-1].strip()


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    def json(self) -> Any:
        return json.loads(self.body)


def request(
    port: int,
    method: str,
    path: str,
    *,
    token: str | None = None,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 30,
    conn: http.client.HTTPConnection | None = None,
) -> Answer:
    """One HTTP exchange. Raises OSError or http.client.HTTPException when no answer came back."""
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    sent = {"Host": "127.0.0.1", **(headers or {})}
    if token:
        sent["Authorization"] = f"Bearer {token}"
    started = time.monotonic()
    try:
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        data = response.read()
    finally:
        if own:
            conn.close()
    return Answer(
        response.status, {k.lower(): v for k, v in response.getheaders()}, data, time.monotonic() - started
    )


def post_json(port: int, path: str, payload: Any, token: str, key: str | None = None, **kw: Any) -> Answer:
    headers = {"Content-Type": "application/json"}
    if key:
        headers["Idempotency-Key"] = key
    return request(port, "POST", path, token=token, body=json.dumps(payload).encode(), headers=headers, **kw)


def upload(port: int, token: str) -> int:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="giay-chung-sinh.pdf"\r\n'
            f"Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + PDF
        + f"\r\n--{boundary}--\r\n".encode()
    )
    answer = request(
        port,
        "POST",
        "/api/v1/files",
        token=token,
        body=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert answer.status == 201, answer.body
    return int(answer.json()["id"])


def intake_bodies(port: int, token: str, count: int, seed: int = 10) -> list[dict[str, Any]]:
    """`count` counter intakes of the demo's birth registration, each a different applicant."""
    import random

    from motcua.demo import samples

    procedure = request(port, "GET", f"/api/v1/procedures/{PROCEDURE}").json()
    case = procedure["cases"][0]
    file_id = upload(port, token)
    rng = random.Random(seed)
    return [
        {
            "procedure": procedure["code"],
            "case": case["code"],
            "channel": "counter",
            "applicant": samples.applicant(rng),
            "form": samples.fill_form(case["form_schema"], rng),
            "documents": [
                {"requirement": d["id"], "file": file_id} for d in case["documents"] if d["mandatory"]
            ],
            "result_delivery": "counter",
        }
        for _ in range(count)
    ]


@dataclass
class Server:
    """gunicorn serving motcua.wsgi in its own process group."""

    env: dict[str, str]
    log_path: Path
    workers: int = 2
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    def start(self, *, wait_healthy: bool = True, timeout: float = 60) -> None:
        args = [
            str(BIN / "gunicorn"),
            "motcua.wsgi:application",
            f"--bind=127.0.0.1:{self.port}",
            f"--workers={self.workers}",
            "--log-level=warning",
            "--timeout=60",
        ]
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                args, env=self.env, stdout=log, stderr=log, start_new_session=True
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited at start:\n{self.log_tail()}")
            try:
                status = request(self.port, "GET", "/healthz", timeout=5).status
                if status == 200 or (status == 503 and not wait_healthy):
                    return
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.2)
        raise AssertionError(f"gunicorn did not answer /healthz within {timeout} s:\n{self.log_tail()}")

    def kill(self) -> None:
        """SIGKILL to the whole process group: no graceful shutdown, no worker finishes its request."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        # The workers are the master's children in the same group; they are gone once nothing holds the port.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and _group_alive(self.process.pid):
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def log_tail(self, lines: int = 40) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@dataclass
class ServerDatabase:
    """A database of its own for a server process, of the kind the test run uses: a SQLite file, or a new
    database on the test run's PostgreSQL server (dropped afterwards)."""

    url: str
    vendor: str

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        if self.vendor == "sqlite":
            import sqlite3

            with sqlite3.connect(self.url.removeprefix("sqlite:///")) as conn:
                return list(conn.execute(sql).fetchall())
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            return list(conn.execute(sql).fetchall())


def make_server_database(tmp_path: Path, name: str) -> tuple[ServerDatabase, Any]:
    """(database, drop): like the test run's own database, but a separate one the server process can use."""
    from django.conf import settings

    default = settings.DATABASES["default"]
    if default["ENGINE"] != "django.db.backends.postgresql":
        return ServerDatabase(f"sqlite:///{tmp_path / (name + '.sqlite3')}", "sqlite"), lambda: None
    import psycopg
    from psycopg.conninfo import make_conninfo

    params = {
        "host": default.get("HOST") or "127.0.0.1",
        "port": str(default.get("PORT") or 5432),
        "user": default.get("USER") or "postgres",
        "password": default.get("PASSWORD") or "",
    }
    db_name = f"{name}_{os.getpid()}"
    admin = make_conninfo(dbname="postgres", **{k: v for k, v in params.items() if v})

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')

    drop()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{db_name}"')
    auth = params["user"] + (f":{params['password']}" if params["password"] else "")
    return ServerDatabase(
        f"postgres://{auth}@{params['host']}:{params['port']}/{db_name}", "postgresql"
    ), drop
