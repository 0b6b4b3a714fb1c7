"""`motcua edxml encode DOSSIER_CODE` prints a dossier as an edXML package; `motcua edxml decode FILE` prints
a package or status message as JSON, or exits 1 with why it is malformed and where
(docs/integrations/edxml.md)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from motcua.core.identifiers import identity_code_problem
from motcua.dossiers.models import Dossier
from motcua.exchange.edxml.codec import (
    Attachment,
    MalformedPackage,
    Package,
    decode_message,
    encode_package,
    max_package_bytes,
)
from motcua.exchange.edxml.transfer_package import package_from_payload, package_payload
from motcua.org.models import Agency
from motcua.org.selectors import agency_by_code


class Command(BaseCommand):
    help = "Write a dossier as an edXML (QCVN 102:2016) package, or read a package or status message."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True)
        encode = commands.add_parser("encode", help="Print the dossier as an edXML package on stdout.")
        encode.add_argument("code", help="The dossier code.")
        encode.add_argument(
            "--to",
            help="The receiving agency's identity code (default: the dossier's receiving unit, when the "
            "dossier is now elsewhere).",
        )
        decode = commands.add_parser("decode", help="Print an edXML package or status message as JSON.")
        decode.add_argument("file", help="The file to read ('-' for stdin).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["command"] == "encode":
            self._encode(options["code"], options["to"])
        else:
            self._decode(options["file"])

    def _encode(self, code: str, to_code: str | None) -> None:
        dossier = (
            Dossier.objects.select_related(
                "procedure_version__procedure", "case", "current_unit", "receiving_unit"
            )
            .filter(code=code)
            .first()
        )
        if dossier is None:
            raise CommandError(f"No dossier has the code {code}.")
        receiver = self._receiver(dossier, to_code)
        # The same mapping as a transfer to a partner: the payload the outbox would keep, then its package.
        payload = package_payload(dossier, receiver, sent_by=dossier.current_unit_id, at=timezone.now())
        try:
            xml = encode_package(package_from_payload(payload))
        except MalformedPackage as error:
            raise CommandError(f"{error.path}: {error.reason}") from None
        self.stdout.write(xml.decode("utf-8"), ending="")

    def _receiver(self, dossier: Dossier, to_code: str | None) -> Agency:
        if to_code is None:
            if dossier.receiving_unit_id == dossier.current_unit_id:
                raise CommandError(
                    "The dossier is at its receiving unit: name the receiving agency with --to CODE."
                )
            return dossier.receiving_unit
        if why := identity_code_problem(to_code):
            raise CommandError(f"--to: {why}")
        agency = agency_by_code(to_code)
        if agency is None:
            raise CommandError(
                f"--to: no agency has the identity code {to_code} here (add a partner agency with "
                "`motcua exchange partner add`)."
            )
        return agency

    def _decode(self, name: str) -> None:
        limit = max_package_bytes()
        try:
            if name == "-":
                data = sys.stdin.buffer.read(limit + 1)
            else:
                with Path(name).open("rb") as source:
                    data = source.read(limit + 1)
        except OSError as error:
            raise CommandError(f"{name}: {error.strerror}") from None
        try:
            message = decode_message(data)
        except MalformedPackage as error:
            raise CommandError(f"Malformed package at {error.path}: {error.reason}") from None
        kind = "package" if isinstance(message, Package) else "status"
        self.stdout.write(json.dumps({"type": kind, **_plain(message)}, ensure_ascii=False, indent=2))


def _attachment_summary(attachment: Attachment) -> dict[str, Any]:
    return {
        "content_id": attachment.content_id,
        "name": attachment.name,
        "content_type": attachment.content_type,
        "description": attachment.description,
        "size": len(attachment.data),
        "sha256": hashlib.sha256(attachment.data).hexdigest(),
    }


def _plain(value: Any) -> Any:
    """A decoded message as JSON data: dates in ISO 8601, attachments summarised, the raw XML left out."""
    if isinstance(value, Attachment):
        return _attachment_summary(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name.rstrip("_"): _plain(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.name != "raw_xml"
        }
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value
