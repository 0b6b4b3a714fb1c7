"""1,000 counter intakes through the real server, killed with SIGKILL in the middle (issue 10, "Faults").

gunicorn (2 sync workers, as in production) serves a database of its own: a SQLite file, or in the
PostgreSQL suite a PostgreSQL database. Four clients send counter intakes, each with its own Idempotency-Key;
once 40 % are answered the server's whole process group is killed, with requests in flight, and started
again. Every intake whose answer did not come back is sent again with the same key and body. At the end: 0
lost (every key has its dossier) and 0 duplicated (exactly 1,000 new dossiers, a different one for each key).

Deselect with `-m "not faults"`; it runs in `make test`, within about two minutes per database.
"""

from __future__ import annotations

import http.client
import queue
import threading
import time
import uuid

import pytest

from motcua.core.tests.liveserver import Server, make_server_database, post_json, prepare_database, server_env
from motcua.core.tests.liveserver import intake_bodies as make_bodies

pytestmark = pytest.mark.faults

INTAKES = 1000
CLIENTS = 4
KILL_AFTER = 400


def test_sigkill_mid_intake_loses_nothing_and_duplicates_nothing(tmp_path):
    """Issue 10 "Faults": no test killed the server mid-write before; this proves idempotent intake holds."""
    database, drop = make_server_database(tmp_path, "motcua_kill")
    server = None
    try:
        env = server_env(tmp_path, database.url)
        token = prepare_database(env)
        server = Server(env, tmp_path / "gunicorn.log")
        server.start()
        bodies = make_bodies(server.port, token, INTAKES)
        keys = [str(uuid.uuid4()) for _ in range(INTAKES)]
        before = {code for (code,) in database.query("SELECT code FROM dossiers_dossier")}

        answered: dict[int, tuple[int, str]] = {}  # intake → (status, dossier code)
        unanswered: list[int] = []
        failures: list[str] = []
        lock = threading.Lock()
        up = threading.Event()
        up.set()
        work: queue.Queue[int] = queue.Queue()
        for index in range(INTAKES):
            work.put(index)

        def client() -> None:
            conn: http.client.HTTPConnection | None = None
            while True:
                try:
                    index = work.get_nowait()
                except queue.Empty:
                    break
                up.wait()
                try:
                    conn = conn or http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
                    answer = post_json(
                        server.port, "/api/v1/dossiers", bodies[index], token, keys[index], conn=conn
                    )
                except (OSError, http.client.HTTPException):
                    # No answer: the request may or may not have been committed. Keep it for the retry.
                    if conn is not None:
                        conn.close()
                    conn = None
                    with lock:
                        unanswered.append(index)
                    continue
                with lock:
                    if answer.status in (200, 201):
                        answered[index] = (answer.status, answer.json()["code"])
                    else:
                        failures.append(f"intake {index}: {answer.status} {answer.body[:300]!r}")
            if conn is not None:
                conn.close()

        started = time.monotonic()
        threads = [threading.Thread(target=client, daemon=True) for _ in range(CLIENTS)]
        for thread in threads:
            thread.start()
        while len(answered) < KILL_AFTER and any(t.is_alive() for t in threads):
            time.sleep(0.01)
        up.clear()
        server.kill()
        killed_at = len(answered)
        server.start()
        up.set()
        for thread in threads:
            thread.join(timeout=300)
        assert not failures, failures[:5]
        assert unanswered, "the kill hit no request in flight, so it proved nothing"

        # The clients retry every intake whose answer was lost: same key, same body.
        for index in unanswered:
            answer = post_json(server.port, "/api/v1/dossiers", bodies[index], token, keys[index])
            assert answer.status in (200, 201), answer.body
            answered[index] = (answer.status, answer.json()["code"])
        replayed = sum(1 for index in unanswered if answered[index][0] == 200)
        elapsed = time.monotonic() - started

        codes = [code for _, code in answered.values()]
        after = {code for (code,) in database.query("SELECT code FROM dossiers_dossier")}
        new = after - before
        summary = (
            f"{database.vendor}: killed after {killed_at} answers, {len(unanswered)} answers lost and "
            f"retried ({replayed} of them had been committed before the kill), {elapsed:.0f} s"
        )
        print(summary)
        assert len(answered) == INTAKES, summary  # every intake has an answer at last
        assert len(set(codes)) == INTAKES, summary  # no two keys share a dossier
        assert new == set(codes), summary  # 0 lost: every key's dossier is stored; 0 duplicated: nothing else
        assert len(new) == INTAKES
    finally:
        if server is not None:
            server.stop()
        drop()
