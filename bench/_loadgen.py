"""A small closed-loop HTTP/1.1 load generator for the benchmarks.

Each thread owns one connection to 127.0.0.1 and sends its next request as soon as the previous answer is
read, so concurrency N means exactly N requests in flight. Requests are pre-encoded bytes and responses are
parsed just enough to find the status and the body: the generator shares the two cores with the server and
PostgreSQL, and every microsecond it spends is taken from the system under test (http.client costs several
times more per request).
"""

from __future__ import annotations

import itertools
import json
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

HOST = "127.0.0.1"


def encode_request(
    method: str, path: str, token: str | None = None, body: Any = None, extra: dict[str, str] | None = None
) -> bytes:
    """The raw bytes of one request; JSON bodies are encoded here, once, not in the timed loop."""
    headers = [f"{method} {path} HTTP/1.1", f"Host: {HOST}", "Connection: keep-alive"]
    if token:
        headers.append(f"Authorization: Bearer {token}")
    payload = b""
    if body is not None:
        payload = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
        headers.append("Content-Type: application/json")
    if body is not None or method in ("POST", "PUT", "PATCH"):
        headers.append(f"Content-Length: {len(payload)}")
    for name, value in (extra or {}).items():
        headers.append(f"{name}: {value}")
    return ("\r\n".join(headers) + "\r\n\r\n").encode() + payload


def encode_multipart(path: str, token: str, filename: str, content: bytes, content_type: str) -> bytes:
    boundary = "benchboundary7MA4YWxkTrZu0gW"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {HOST}\r\nConnection: keep-alive\r\n"
        f"Authorization: Bearer {token}\r\nContent-Type: multipart/form-data; boundary={boundary}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


class ServerClosed(ConnectionError):
    pass


class Connection:
    """One keep-alive connection; reconnects when the server says `Connection: close` (gunicorn's sync
    workers close after every response, so for them each request pays for a new TCP connection, as a real
    client of that server would)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.sock: socket.socket | None = None
        self.buffer = b""
        self.headers: dict[bytes, bytes] = {}  # of the last response, names and values lowercased

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
        self.sock = None
        self.buffer = b""

    def _connect(self) -> socket.socket:
        sock = socket.create_connection((HOST, self.port), timeout=60)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock, self.buffer = sock, b""
        return sock

    def _fill(self, sock: socket.socket) -> None:
        chunk = sock.recv(65536)
        if not chunk:
            raise ServerClosed("the server closed the connection")
        self.buffer += chunk

    def _take(self, sock: socket.socket, size: int) -> bytes:
        while len(self.buffer) < size:
            self._fill(sock)
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def _line(self, sock: socket.socket) -> bytes:
        while (end := self.buffer.find(b"\r\n")) < 0:
            self._fill(sock)
        line, self.buffer = self.buffer[:end], self.buffer[end + 2 :]
        return line

    def request(self, raw: bytes) -> tuple[int, bytes]:
        sock = self.sock or self._connect()
        try:
            sock.sendall(raw)
            while (end := self.buffer.find(b"\r\n\r\n")) < 0:
                self._fill(sock)
            head, self.buffer = self.buffer[:end], self.buffer[end + 4 :]
            lines = head.split(b"\r\n")
            status = int(lines[0].split(b" ", 2)[1])
            headers = {}
            for line in lines[1:]:
                name, _, value = line.partition(b":")
                headers[name.strip().lower()] = value.strip().lower()
            if b"content-length" in headers:
                body = self._take(sock, int(headers[b"content-length"]))
            elif headers.get(b"transfer-encoding") == b"chunked":
                parts = []
                while size := int(self._line(sock).split(b";")[0], 16):
                    parts.append(self._take(sock, size))
                    self._line(sock)
                self._line(sock)
                body = b"".join(parts)
            else:
                # No length: the body runs to the end of the connection (HTTP/1.0 style).
                try:
                    while True:
                        self._fill(sock)
                except ServerClosed:
                    pass
                body, self.buffer = self.buffer, b""
                headers[b"connection"] = b"close"
        except Exception:
            self.close()
            raise
        if headers.get(b"connection") == b"close":
            self.close()
        self.headers = headers
        return status, body


def call(port: int, raw: bytes) -> tuple[int, Any]:
    """One request outside any measurement (set-up and checks), answered as parsed JSON when possible."""
    connection = Connection(port)
    try:
        status, body = connection.request(raw)
    finally:
        connection.close()
    try:
        return status, json.loads(body)
    except ValueError:
        return status, body.decode(errors="replace")


# A worker makes and sends one request on the connection it is given, and returns the status and body; it
# keeps whatever state it needs (which dossier is next, the version it last saw) in its closure.
Worker = Callable[[Connection], tuple[int, bytes]]


@dataclass
class Result:
    name: str
    concurrency: int
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    elapsed: float = 0.0
    cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds used in the window, by whom

    def cpu_ms_per_request(self, who: str) -> float:
        return self.cpu.get(who, float("nan")) * 1000 / self.count if self.count else float("nan")

    @property
    def count(self) -> int:
        return len(self.latencies_ms)

    @property
    def rps(self) -> float:
        return self.count / self.elapsed if self.elapsed else 0.0

    def percentile(self, p: float) -> float:
        """Nearest-rank percentile of the measured latencies, in ms."""
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        rank = max(1, -(-len(ordered) * p // 100))
        return ordered[int(rank) - 1]

    def line(self) -> str:
        text = (
            f"{self.name:<44} c={self.concurrency:<2} {self.rps:8.1f} req/s   p50 {self.percentile(50):7.2f}"
            f"  p95 {self.percentile(95):7.2f}  p99 {self.percentile(99):7.2f} ms   n={self.count:<6} "
            f"errors={self.errors}"
        )
        if self.cpu:
            ours = [who for who in self.cpu if who != "others"]
            per_request = "  ".join(f"{who} {self.cpu_ms_per_request(who):.2f}" for who in ours)
            text += (
                f"\n{'':<49}CPU ms/request: {per_request} (CPU-bound ceiling {self.ceiling:.0f}/s on {CORES} "
                f"idle cores); other processes used {self.others_share:.0%} of the machine"
            )
        return text

    @property
    def ceiling(self) -> float:
        """What the cores could serve if CPU were the only limit, at the CPU this run spent per request (in
        the server, PostgreSQL and the generator): unlike throughput, a busy neighbour hardly moves it."""
        spent = sum(self.cpu_ms_per_request(who) for who in self.cpu if who != "others")
        return CORES * 1000 / spent if self.count and spent > 0 else 0.0

    @property
    def others_share(self) -> float:
        """Share of the machine's CPU other processes took during the window."""
        return self.cpu.get("others", 0.0) / (self.elapsed * CORES) if self.elapsed else 0.0


def run(
    name: str,
    make_worker: Callable[[int], Callable[[Any], tuple[int, bytes]]],
    concurrency: int,
    warmup: float,
    duration: float,
    max_requests: int,
    connect: Callable[[], Any],
    cpu_probe: Callable[[], dict[str, float]] | None = None,
) -> Result:
    """Run `concurrency` threads, each with its own worker and connection (from `connect`, anything with a
    close()): `warmup` seconds unrecorded, then record every request that starts within `duration` seconds,
    stopping early after `max_requests`. `cpu_probe` gives cumulative CPU seconds by consumer; its difference
    over the measured window says where the machine's time went."""
    workers = [make_worker(index) for index in range(concurrency)]
    result = Result(name, concurrency)
    lock = threading.Lock()
    budget = itertools.count()  # next() is atomic under the GIL: a shared request count without a lock
    barrier = threading.Barrier(concurrency + 1)  # all threads ready: the clock starts
    stopped = itertools.count(1)
    done = threading.Event()  # all threads stopped: the CPU is read again ...
    release = threading.Event()  # ... before they close their connections, and PostgreSQL's backends exit
    clock: dict[str, float] = {}
    finished: list[float] = []

    def loop(worker: Callable[[Any], tuple[int, bytes]]) -> None:
        latencies: list[float] = []
        errors: list[str] = []
        barrier.wait()
        measure_from, measure_to = clock["from"], clock["to"]
        last_end = measure_from
        connection = None
        try:
            connection = connect()
            while True:
                start = time.perf_counter()
                if start >= measure_to:
                    break
                measured = start >= measure_from
                if measured and next(budget) >= max_requests:
                    break
                try:
                    status, body = worker(connection)
                    problem = None if 200 <= status < 300 else f"HTTP {status}: {body[:300]!r}"
                except Exception as exc:  # a refused or broken connection is an error to report, not a crash
                    connection.close()
                    connection = connect()
                    problem = f"{type(exc).__name__}: {exc}"
                end = time.perf_counter()
                if measured:
                    latencies.append((end - start) * 1000)
                    last_end = end
                    if problem:
                        errors.append(problem)
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            with lock:
                result.latencies_ms.extend(latencies)
                result.errors += len(errors)
                result.error_samples.extend(errors[: 3 - len(result.error_samples)])
                finished.append(last_end)
            if next(stopped) == concurrency:
                done.set()
            release.wait()
            if connection is not None:
                connection.close()

    threads = [threading.Thread(target=loop, args=(w,), daemon=True) for w in workers]
    for thread in threads:
        thread.start()
    clock["from"] = time.perf_counter() + warmup
    clock["to"] = clock["from"] + duration
    barrier.wait()
    before = None
    if cpu_probe is not None:
        time.sleep(max(0.0, clock["from"] - time.perf_counter()))
        before = cpu_probe()
    # Read the CPU every half second meanwhile: a server process that ends in the window (a database
    # connection past its maximum age) is counted up to its last reading.
    while not done.wait(0.5):
        if cpu_probe is not None:
            cpu_probe()
    if cpu_probe is not None and before is not None:
        after = cpu_probe()
        result.cpu = {who: after[who] - before.get(who, 0.0) for who in after}
    release.set()
    for thread in threads:
        thread.join()
    result.elapsed = max(finished) - clock["from"] if finished else 0.0
    return result


CORES = os.cpu_count() or 1
_TICK = os.sysconf("SC_CLK_TCK")


def process_cpu(pids: list[int]) -> float:
    """User + system CPU seconds of `pids` so far (processes that have gone count as zero)."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / _TICK


def machine_busy_cpu() -> float:
    """CPU seconds the whole machine has been busy (not idle, not waiting for I/O) since boot."""
    with open("/proc/stat") as stat:
        values = [int(v) for v in stat.readline().split()[1:]]
    return (sum(values[:8]) - values[3] - values[4]) / _TICK
