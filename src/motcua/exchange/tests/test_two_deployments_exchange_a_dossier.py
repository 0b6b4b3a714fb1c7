"""Two motcua deployments exchange a dossier there and back as edXML (issue 11, part 4).

Each is a real gunicorn serving a database of its own (two SQLite files, or two PostgreSQL databases in the
PostgreSQL suite), set up through the command line a province uses: `migrate`, `loaddemo`, and
`motcua exchange partner add` naming the other's inbox. Both load the demo province and play a part of it:
deployment A serves Phường Ba Đình's committee (000.A1.01.H26, the competent agency of birth registration),
deployment B the Department of Justice (000.00.21.H26); each has the other's agency as its partner. One
worker cycle on each side (`motcua outbox deliver`) delivers what its outbox holds.

A receives a birth registration, starts on it and transfers it to the department; B registers it (its answer
joins A's history), works on it and finishes its part; its status messages appear in A's history, and the
dossier comes back to the step at A that transferred it, where A finishes, issues and hands over the one
result. A malformed package gets a status message with the reason.

Deselect with `-m "not deployments"`; it runs in `make test`, within about four minutes per database.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from motcua.core.tests.liveserver import (
    OFFICER,
    Server,
    intake_bodies,
    make_server_database,
    motcua,
    post_json,
    prepare_database,
    request,
    server_env,
)
from motcua.exchange.edxml.codec import StatusCode, decode_status

WARD = "000.A1.01.H26"  # deployment A's agency: Phường Ba Đình's committee
DEPARTMENT = "000.00.21.H26"  # deployment B's agency: the Department of Justice
pytestmark = pytest.mark.deployments

A_PRESENTS = "credential-deployment-a-presents-to-b"
B_PRESENTS = "credential-deployment-b-presents-to-a"


class Deployment:
    def __init__(self, tmp_path: Path, name: str) -> None:
        self.database, self.drop = make_server_database(tmp_path, f"motcua_edxml_{name}")
        self.env = server_env(tmp_path / name, self.database.url)
        (tmp_path / name).mkdir()
        self.server = Server(self.env, tmp_path / f"{name}-gunicorn.log")
        self.tokens: dict[str, str] = {}

    @property
    def inbox(self) -> str:
        return f"http://127.0.0.1:{self.server.port}/api/v1/edxml/inbox"

    def prepare(self, partner_code: str, partner: Deployment, presents: str, is_presented: str) -> None:
        self.tokens[OFFICER] = prepare_database(self.env)
        env = {
            **self.env,
            "MOTCUA_PARTNER_OUTBOUND_CREDENTIAL": presents,
            "MOTCUA_PARTNER_INBOUND_CREDENTIAL": is_presented,
        }
        assert "added" in motcua(
            env, "exchange", "partner", "add", partner_code, "--inbox-url", partner.inbox
        )

    def token(self, username: str) -> str:
        if username not in self.tokens:
            self.tokens[username] = motcua(self.env, "apitoken", username).strip().splitlines()[-1].strip()
        return self.tokens[username]

    def act(self, username: str, code: str, action: str, **fields: Any) -> dict[str, Any]:
        token = self.token(username)
        version = request(self.server.port, "GET", f"/api/v1/dossiers/{code}", token=token).json()["version"]
        answer = post_json(
            self.server.port,
            f"/api/v1/dossiers/{code}/actions/{action}",
            {"version": version, **fields},
            token,
        )
        assert answer.status == 200, (action, answer.body)
        return dict(answer.json())

    def events(self, username: str, code: str) -> list[dict[str, Any]]:
        answer = request(
            self.server.port, "GET", f"/api/v1/dossiers/{code}/events", token=self.token(username)
        )
        assert answer.status == 200, answer.body
        return list(answer.json())

    def deliver(self) -> str:
        """One worker cycle (`motcua outbox deliver`): every message due is tried once; what it did."""
        return motcua(self.env, "outbox", "deliver").strip().split(" ", 1)[1]


def test_two_deployments_exchange_a_dossier_there_and_back(tmp_path):
    a, b = Deployment(tmp_path, "a"), Deployment(tmp_path, "b")
    try:
        # The two databases are made at once: each takes a minute of migrations and demo data.
        with ThreadPoolExecutor(2) as pool:
            preparing = [
                pool.submit(a.prepare, DEPARTMENT, b, presents=A_PRESENTS, is_presented=B_PRESENTS),
                pool.submit(b.prepare, WARD, a, presents=B_PRESENTS, is_presented=A_PRESENTS),
            ]
            for done in preparing:
                done.result()
        # The demo's department has no counter of its own; at B it receives what partners send.
        motcua(b.env, "createstaff", "tiepnhan.tp", "--unit", DEPARTMENT, "--role", "counter_officer")
        a.server.start()
        b.server.start()

        body = intake_bodies(a.server.port, a.token(OFFICER), 1)[0]
        intake = post_json(a.server.port, "/api/v1/dossiers", body, a.token(OFFICER))
        assert intake.status == 201, intake.body
        code = intake.json()["code"]
        a.act(OFFICER, code, "forward")
        transferred = a.act("lanhdao.bd", code, "transfer", to_unit=DEPARTMENT)
        assert transferred["status"] == "in_process"

        assert a.deliver().startswith("delivered 1, failed 0 (to be tried again), dead 0")
        registered = [e for e in a.events(OFFICER, code) if e["action"] == "partner_status"]
        assert [e["data"]["status_code"] for e in registered] == [StatusCode.RECEIVED]
        found = re.search(r"000\.00\.21\.H26-\d{6}-\d{4}", registered[0]["note"])
        assert found, registered[0]["note"]
        theirs = found.group(0)
        received = request(b.server.port, "GET", f"/api/v1/dossiers/{theirs}", token=b.token("tiepnhan.tp"))
        assert received.json()["status"] == "received"
        assert b.database.query(
            f"SELECT origin, origin_party, origin_code FROM dossiers_dossier WHERE code = '{theirs}'"
        ) == [("partner", WARD, code)]

        b.act("tiepnhan.tp", theirs, "forward")
        b.act("chuyenvien.tp", theirs, "forward")
        b.act("lanhdao.tp", theirs, "issue_result", result_number="15/TP")
        assert b.deliver().startswith("delivered 3, failed 0 (to be tried again), dead 0")

        reports = [e for e in a.events(OFFICER, code) if e["action"] == "partner_status"]
        assert [e["data"]["status_code"] for e in reports] == ["03", "05", "05", "06"]
        assert "15/TP" in reports[-1]["note"]
        back = request(a.server.port, "GET", f"/api/v1/dossiers/{code}", token=a.token(OFFICER)).json()
        assert back["status"] == "in_process"
        a.act("chuyenvien.bd", code, "forward")
        a.act("lanhdao.bd", code, "issue_result", result_number="42/KS")
        assert a.act(OFFICER, code, "return_result", recipient_name="Nguyễn Văn An")["status"] == "returned"

        malformed = request(
            b.server.port,
            "POST",
            "/api/v1/edxml/inbox",
            body=b"<edXML xmlns='http://www.mic.gov.vn/TBT/QCVN_102_2016'><nothing/></edXML>",
            headers={"Authorization": f"Bearer {A_PRESENTS}", "Content-Type": "application/xml"},
        )
        assert malformed.status == 400
        refusal = decode_status(malformed.body)
        assert refusal.status_code == StatusCode.REFUSED and "edXMLEnvelope" in refusal.description
    finally:
        for deployment in (a, b):
            deployment.server.stop()
            deployment.drop()
