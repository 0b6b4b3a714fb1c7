"""PostgreSQL restarts under load: requests fail cleanly with 503 and the service recovers by itself.

The test makes a PostgreSQL cluster of its own (never the machine's cluster on 5432), migrates it, starts
gunicorn on it and keeps a steady stream of API reads, API writes (counter intakes), public page reads and
health checks going while the cluster is stopped (`pg_ctl stop -m fast`) and started again. Before issue 10
a request during the outage answered 500 (the API's catch-all, Django's error page); now:

- during the outage every answer is 503 with Retry-After: problem+json for the API, a plain Vietnamese page
  for the pages, never a 500 and never a wait of more than a few seconds;
- once the cluster is back, every kind of request succeeds again without restarting the web server.
"""

from __future__ import annotations

import http.client
import itertools
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import psycopg
import pytest
from django.utils import translation
from django.utils.translation import gettext

from motcua.core.tests.liveserver import (
    Answer,
    Server,
    intake_bodies,
    post_json,
    prepare_database,
    request,
    server_env,
)
from motcua.core.tests.pgcluster import Cluster, why_unavailable

pytestmark = [
    pytest.mark.faults,
    pytest.mark.skipif(why_unavailable() is not None, reason=f"no PostgreSQL cluster: {why_unavailable()}"),
]

MAX_SECONDS = 5.0  # "never a hang longer than a few seconds"
OUTAGE_SECONDS = 4.0
RECOVERY_SECONDS = 30.0


@dataclass
class Seen:
    kind: str
    at: float
    answer: Answer | None
    error: str = ""


def test_requests_answer_503_while_postgresql_restarts_and_recover_by_themselves(tmp_path):
    """Issue 10 "Faults": during a PostgreSQL restart the API answered 500 (its catch-all handler) and the
    pages Django's 500; this fails on that code at the first 500 and passes once outages answer 503."""
    cluster = Cluster()
    server = None
    try:
        cluster.init()
        cluster.start()
        with psycopg.connect(f"{cluster.url}/postgres", autocommit=True) as conn:
            conn.execute("CREATE DATABASE motcua")
        env = server_env(tmp_path, f"{cluster.url}/motcua")
        token = prepare_database(env)
        server = Server(env, tmp_path / "gunicorn.log")
        server.start()
        port = server.port
        bodies = intake_bodies(port, token, 50)
        first = post_json(port, "/api/v1/dossiers", bodies[0], token, str(uuid.uuid4()))
        assert first.status == 201, first.body
        code = first.json()["code"]
        body_cycle = itertools.cycle(bodies)

        kinds: dict[str, Callable[[http.client.HTTPConnection], Answer]] = {
            "api read": lambda c: request(port, "GET", f"/api/v1/dossiers/{code}", token=token, conn=c),
            "api list": lambda c: request(port, "GET", "/api/v1/dossiers?page_size=5", token=token, conn=c),
            "api write": lambda c: post_json(
                port, "/api/v1/dossiers", next(body_cycle), token, str(uuid.uuid4()), conn=c
            ),
            "page": lambda c: request(port, "GET", "/procedures/", conn=c),
            "healthz": lambda c: request(port, "GET", "/healthz", conn=c),
        }
        seen: list[Seen] = []
        lock = threading.Lock()
        stop = threading.Event()

        def client(kind: str, call: Callable[[http.client.HTTPConnection], Answer]) -> None:
            while not stop.is_set():
                at = time.monotonic()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=MAX_SECONDS * 4)
                try:
                    record = Seen(kind, at, call(conn))
                except (OSError, http.client.HTTPException) as exc:
                    record = Seen(kind, at, None, f"{type(exc).__name__}: {exc}")
                finally:
                    conn.close()
                with lock:
                    seen.append(record)
                time.sleep(0.05)

        threads = [threading.Thread(target=client, args=item, daemon=True) for item in kinds.items()]
        for thread in threads:
            thread.start()
        time.sleep(2)
        stopped_at = time.monotonic()
        cluster.stop("fast")
        time.sleep(OUTAGE_SECONDS)
        cluster.start()
        started_at = time.monotonic()
        deadline = started_at + RECOVERY_SECONDS
        recovered: dict[str, float] = {}
        while time.monotonic() < deadline and len(recovered) < len(kinds):
            with lock:
                for record in seen:
                    ok = record.answer is not None and record.answer.status in (200, 201)
                    if ok and record.at > started_at and record.kind not in recovered:
                        recovered[record.kind] = record.at - started_at
            time.sleep(0.1)
        time.sleep(0.5)
        stop.set()
        for thread in threads:
            thread.join(timeout=MAX_SECONDS * 5)
        assert server.process is not None and server.process.poll() is None, "the web server died"

        no_answer = [r for r in seen if r.answer is None]
        assert not no_answer, [f"{r.kind}: {r.error}" for r in no_answer[:5]]
        wrong = [
            f"{r.kind}: {r.answer.status} {r.answer.body[:200]!r}"
            for r in seen
            if r.answer is not None and r.answer.status not in (200, 201, 503)
        ]
        assert not wrong, wrong[:5]
        slow = [
            f"{r.kind}: {r.answer.seconds:.1f} s" for r in seen if r.answer and r.answer.seconds > MAX_SECONDS
        ]
        assert not slow, slow[:5]

        with translation.override("vi"):
            page_title = gettext("The service is temporarily unavailable")
        unavailable = [r for r in seen if r.answer is not None and r.answer.status == 503]
        for record in unavailable:
            answer = record.answer
            assert answer is not None
            assert int(answer.headers["retry-after"]) > 0, record.kind
            if record.kind.startswith("api"):
                assert answer.headers["content-type"].startswith("application/problem+json"), answer.headers
                problem = answer.json()
                assert (
                    problem["status"] == 503 and problem["type"] == "urn:motcua:problem:service-unavailable"
                )
            elif record.kind == "page":
                assert answer.headers["content-type"].startswith("text/html"), answer.headers
                assert 'lang="vi"' in answer.body.decode() and page_title in answer.body.decode(), answer.body
            else:
                assert answer.json()["database"] == "down"
        during = {r.kind for r in unavailable if stopped_at <= r.at <= started_at}
        assert during == set(kinds), f"kinds that saw the outage: {sorted(during)}"
        assert set(recovered) == set(kinds), (
            f"recovered: {recovered}; not within {RECOVERY_SECONDS} s of the restart: "
            f"{sorted(set(kinds) - set(recovered))}\n{server.log_tail()}"
        )
        print(
            f"{len(seen)} requests, {len(unavailable)} answered 503; recovered after the restart in "
            + ", ".join(f"{kind} {seconds:.1f} s" for kind, seconds in sorted(recovered.items()))
        )
    finally:
        if server is not None:
            server.stop()
        cluster.destroy()
