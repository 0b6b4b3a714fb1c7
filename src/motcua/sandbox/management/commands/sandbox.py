"""`motcua sandbox`: run the stand-in outside parties (motcua.sandbox), NOT the real national portal, as an
HTTP server on its own, for the demo (`make run`) and the tests (motcua.sandbox.testing). No database.

Once it listens it prints one line, "Sandbox listening on http://HOST:PORT", which the test helper reads to
learn the port (`--port 0` lets the system choose a free one)."""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import fields
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.core.log_masking import MaskPersonalIds
from motcua.sandbox.dvcqg import NationalPortal, PortalOptions
from motcua.sandbox.server import SandboxServer

READY_LINE = "Sandbox listening on {url}"


def positive_seconds(value: str) -> float:
    seconds = float(value)
    if seconds <= 0:
        raise ValueError(value)
    return seconds


def log_requests() -> None:
    """One dated line per request (method, path, answer) on the standard error, never a body: bodies carry
    personal data. The platform's mask of personal ID numbers guards the lines all the same."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    handler.addFilter(MaskPersonalIds())
    logger = logging.getLogger("motcua.sandbox")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


def stop_when_orphaned(server: SandboxServer, parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    server.shutdown()


class Command(BaseCommand):
    help = "Run the sandbox of the outside parties (a stand-in national portal) as an HTTP server."
    requires_system_checks: list[str] = []  # it uses no database and none of the platform's settings
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        defaults = PortalOptions()
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8001, help="0 chooses a free port")
        parser.add_argument("--user", default=defaults.user, help="the user name the portal accepts")
        parser.add_argument("--password", default=defaults.password, help="the password the portal accepts")
        parser.add_argument(
            "--dstcode", default=defaults.dstcode, help="the dstcode header the portal accepts"
        )
        parser.add_argument(
            "--session-seconds",
            type=positive_seconds,
            default=defaults.session_seconds,
            help="how long a portal session lives",
        )
        parser.add_argument("--auth-path", default=defaults.auth_path)
        parser.add_argument("--service-path", default=defaults.service_path)
        parser.add_argument(
            "--parent-pid",
            type=int,
            help="stop when this process (the starter) ends: no test run leaves a sandbox behind",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # Each of the portal's options is the command option of the same name.
        portal = NationalPortal(PortalOptions(**{o.name: options[o.name] for o in fields(PortalOptions)}))
        try:
            server = SandboxServer((options["host"], options["port"]), [portal])
        except OSError as error:
            raise CommandError(f"cannot listen on {options['host']}:{options['port']}: {error}") from error
        log_requests()
        if options["parent_pid"]:
            threading.Thread(
                target=stop_when_orphaned, args=(server, options["parent_pid"]), daemon=True
            ).start()
        self.stdout.write(READY_LINE.format(url=server.url))
        self.stdout.flush()
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
