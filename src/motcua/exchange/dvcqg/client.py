"""Speaking to the National Public Service Portal (DVCQG) over its session protocol
(docs/integrations/dvcqg.md).

One log-in gives a session that every later call names; a call the portal answers with "session expired" logs
in again and is repeated once. What cannot reach the portal (a refused connection, a timeout, a 5xx answer, a
log-in refused) is `Unreachable`: the outbox tries again later. What the portal answers and refuses (its
`error_code` for invalid data, an unknown service) is `PortalRefused`, with the portal's own words.
"""

from __future__ import annotations

import threading
from typing import Any

import httpx

from motcua.delivery.outbox import Refused, Unreachable
from motcua.exchange.dvcqg.config import PortalConfig, portal_config

SESSION_EXPIRED = -2


class PortalRefused(Refused):
    """The portal answered with an error: `code` its error_code, `errors` its per-field complaints."""

    def __init__(self, code: Any, message: str, errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(f"DVCQG error {code}: {message}" if message else f"DVCQG error {code}")
        self.code = code
        self.errors = errors or []


def _succeeded(answer: dict[str, Any]) -> bool:
    # The portal writes success as 0, "0" or "00".
    return str(answer.get("error_code", "")).strip().lstrip("0") == ""


def _error_code(answer: dict[str, Any]) -> int | str:
    code = answer.get("error_code")
    try:
        return int(str(code))
    except ValueError:
        return str(code)


class PortalClient:
    def __init__(self, config: PortalConfig, transport: httpx.BaseTransport | None = None) -> None:
        self.config = config
        self._http = httpx.Client(
            base_url=config.url,
            timeout=config.timeout,
            headers={"dstcode": config.dstcode, "Accept": "application/json"},
            transport=transport,
        )
        self._session: str | None = None
        self._lock = threading.Lock()

    def call(self, service: str, fields: dict[str, Any], *, idempotency_key: str | None = None) -> Any:
        """Call `service` with `fields`; the portal's `result`. Unreachable or PortalRefused otherwise."""
        session = self._current_session()
        answer = self._post_service(service, fields, session, idempotency_key)
        if not _succeeded(answer) and _error_code(answer) == SESSION_EXPIRED:
            answer = self._post_service(service, fields, self._renew_session(session), idempotency_key)
        if not _succeeded(answer):
            raise PortalRefused(_error_code(answer), str(answer.get("message", "")), answer.get("errors"))
        return answer.get("result")

    def _post_service(
        self, service: str, fields: dict[str, Any], session: str, idempotency_key: str | None
    ) -> dict[str, Any]:
        body = {**fields, "session": session, "madonvi": self.config.unit_code, "service": service}
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        return self._post(self.config.service_path, body, headers)

    def _post(self, path: str, body: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
        try:
            response = self._http.post(path, json=body, headers=headers)
        except httpx.TimeoutException:
            raise Unreachable(f"DVCQG did not answer within {self.config.timeout:g} s") from None
        except httpx.HTTPError as error:
            raise Unreachable(f"DVCQG could not be reached: {type(error).__name__}") from None
        if response.status_code >= 500:
            raise Unreachable(f"DVCQG answered HTTP {response.status_code}")
        try:
            answer = response.json()
        except ValueError:
            raise Unreachable(f"DVCQG answered HTTP {response.status_code} without JSON") from None
        if not isinstance(answer, dict):
            raise Unreachable("DVCQG answered JSON that is not an object")
        return answer

    def _current_session(self) -> str:
        with self._lock:
            session = self._session
            if session is None:
                session = self._session = self._log_in()
            return session

    def _renew_session(self, expired: str) -> str:
        with self._lock:
            session = self._session
            # Another thread may have renewed it while this one waited for the lock.
            if session is None or session == expired:
                session = self._session = self._log_in()
            return session

    def _log_in(self) -> str:
        answer = self._post(
            self.config.auth_path, {"username": self.config.user, "password": self.config.password}, {}
        )
        session = answer.get("session")
        if not _succeeded(answer) or not isinstance(session, str) or not session:
            # A refused log-in is the province's configuration, not the message: the messages wait for it.
            raise Unreachable(f"DVCQG refused the log-in: {answer.get('message', '')}".rstrip(": "))
        return session

    def close(self) -> None:
        self._http.close()


_clients: dict[PortalConfig, PortalClient] = {}
_clients_lock = threading.Lock()


def portal_client() -> PortalClient | None:
    """The process's client of the configured portal (it keeps the session), None when sync is off."""
    config = portal_config()
    if config is None:
        return None
    with _clients_lock:
        if config not in _clients:
            _clients[config] = PortalClient(config)
        return _clients[config]
