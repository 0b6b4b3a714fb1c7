"""The access log as CSV for auditors, safe to open in a spreadsheet: a cell that would start a formula
(= + - @, tab, carriage return) is written with a leading apostrophe, so it stays text."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.privacy.models import AccessRecord
from motcua.privacy.wording import channel_text, kind_text, reader_name, roles_text

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Line:
    """csv.writer writes to this and the last line is handed on: rows stream one at a time."""

    def write(self, value: str) -> str:
        return value


def csv_lines(records: Iterable[AccessRecord]) -> Iterator[str]:
    writer = csv.writer(_Line())
    # A byte order mark makes spreadsheet programs read the file as UTF-8 (Vietnamese names).
    yield "\ufeff" + writer.writerow(
        [
            _("Time"),
            _("Username"),
            _("Name"),
            _("Unit code"),
            _("Unit"),
            _("Roles"),
            _("Dossier"),
            _("Channel"),
            _("What"),
            _("Detail"),
            _("Client address"),
        ]
    )
    for record in records:
        yield writer.writerow(
            [
                safe_cell(value)
                for value in (
                    timezone.localtime(record.at).strftime("%Y-%m-%d %H:%M:%S"),
                    record.user.get_username(),
                    reader_name(record),
                    record.unit.identity_code if record.unit else "",
                    record.unit.name if record.unit else "",
                    roles_text(record),
                    record.dossier_code,
                    channel_text(record),
                    kind_text(record),
                    record.detail,
                    record.client_address,
                )
            ]
        )
