"""The sandbox's HTTP server (a stand-in of outside parties, not a real portal): one threaded stdlib server on
which each party (`Party`) answers the requests it recognises, plus the sandbox's own endpoints:

- `GET /_sandbox/`: a page for people, each party contributing a section;
- `POST /_sandbox/reset`: every party forgets what it holds (tests reset between tests);
- `GET /_sandbox/requests`: per party, what it was asked (for tests).

The log names the method, the path and what the party says of the call (a service name, an answer code), never
a request body: bodies carry personal data."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

from motcua.sandbox import page

logger = logging.getLogger(__name__)

# A body larger than this is refused (413) before it is read: the parties exchange JSON, not files.
MAX_BODY_BYTES = 20 * 1024 * 1024
STYLESHEET = Path(__file__).with_name("page.css")


class BadJson(ValueError):
    """The body is not a JSON object."""


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: Mapping[str, str]
    body: bytes

    def json_object(self) -> dict[str, Any]:
        """The body as a JSON object; raises BadJson saying why not."""
        try:
            value = json.loads(self.body or b"{}")
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise BadJson(f"Nội dung không phải JSON hợp lệ: {error}") from None
        if not isinstance(value, dict):
            raise BadJson("Nội dung phải là một đối tượng JSON")
        return value

    def header(self, name: str) -> str:
        return self.headers.get(name.lower()) or ""


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    content_type: str
    # What the log line says of the call besides method and path (a service name, an answer code).
    note: str = ""
    headers: tuple[tuple[str, str], ...] = field(default=())


def json_response(data: Any, status: int = HTTPStatus.OK, note: str = "") -> Response:
    body = json.dumps(data, ensure_ascii=False).encode()
    return Response(status, body, "application/json; charset=utf-8", note)


class Party(Protocol):
    """An outside party the sandbox plays. `handle` answers a request of its own, None for any other."""

    name: str

    def handle(self, request: Request) -> Response | None: ...

    def reset(self) -> None: ...

    def requests_seen(self) -> dict[str, Any]: ...

    def page_section(self) -> str: ...


class SandboxServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], parties: Iterable[Party]) -> None:
        self.parties = list(parties)
        self.host = address[0]
        super().__init__(address, _Handler)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.server_port}"  # the port the system chose when asked for 0

    def dispatch(self, request: Request) -> Response:
        own = self._own_endpoint(request)
        if own is not None:
            return own
        for party in self.parties:
            response = party.handle(request)
            if response is not None:
                return response
        return json_response({"error": "not found", "path": request.path}, HTTPStatus.NOT_FOUND)

    def _own_endpoint(self, request: Request) -> Response | None:
        route = (request.method, request.path)
        if route in {("GET", "/_sandbox"), ("GET", "/_sandbox/")}:
            sections = [party.page_section() for party in self.parties]
            return Response(HTTPStatus.OK, page.frame(sections).encode(), "text/html; charset=utf-8")
        if route == ("GET", "/_sandbox/page.css"):
            return Response(HTTPStatus.OK, STYLESHEET.read_bytes(), "text/css; charset=utf-8")
        if route == ("POST", "/_sandbox/reset"):
            for party in self.parties:
                party.reset()
            return json_response({"reset": [party.name for party in self.parties]})
        if route == ("GET", "/_sandbox/requests"):
            return json_response({party.name: party.requests_seen() for party in self.parties})
        return None


class _Handler(BaseHTTPRequestHandler):
    server: SandboxServer
    protocol_version = "HTTP/1.1"  # keep-alive: a client delivering a queue reuses its connection
    # Headers and body leave in one write (a buffered wfile, flushed after each request), and without Nagle's
    # algorithm: otherwise a second segment waits for the client's delayed ACK, some 40 ms per call.
    wbufsize = 64 * 1024
    disable_nagle_algorithm = True

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _serve(self) -> None:
        refusal = self._unreadable_body()
        if refusal is not None:
            # The body is not read, so the connection cannot carry another request.
            self.close_connection = True
            self._send(refusal)
            return
        length = int(self.headers.get("Content-Length") or 0)
        request = Request(
            method=self.command,
            path=unquote(urlsplit(self.path).path),
            headers={name.lower(): value for name, value in self.headers.items()},
            body=self.rfile.read(length) if length else b"",
        )
        try:
            response = self.server.dispatch(request)
        except Exception:
            logger.exception("%s %s failed", request.method, request.path)
            response = json_response({"error": "sandbox failure"}, HTTPStatus.INTERNAL_SERVER_ERROR)
        self._send(response)
        logger.info("%s %s %s %s", request.method, request.path, response.status, response.note)

    def _unreadable_body(self) -> Response | None:
        """Why the body cannot be read (the parties' clients all send a Content-Length), None when it can."""
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            return json_response({"error": "a Content-Length is required"}, HTTPStatus.LENGTH_REQUIRED)
        declared = self.headers.get("Content-Length") or "0"
        if not declared.isdigit():
            return json_response({"error": "Content-Length is not a number"}, HTTPStatus.BAD_REQUEST)
        if int(declared) > MAX_BODY_BYTES:
            return json_response({"error": "body too large"}, HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
        return None

    def _send(self, response: Response) -> None:
        self.send_response_only(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        self.send_header("Content-Security-Policy", "default-src 'none'; style-src 'self'")
        self.send_header("Cache-Control", "no-store")
        for name, value in response.headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(response.body)

    def log_message(self, format: str, *args: Any) -> None:
        # The standard per-request line is replaced by `_serve`'s; protocol errors still reach the log.
        logger.warning(format, *args)
