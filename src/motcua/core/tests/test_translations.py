"""The Vietnamese catalogue is complete, and the API speaks the caller's language (Vietnamese by default)."""

import re
from pathlib import Path

from django.utils import translation

from motcua.dossiers.lifecycle import Status

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def test_every_message_is_translated_and_none_is_fuzzy():
    text = CATALOGUE.read_text()
    assert "#, fuzzy" not in text
    entries = re.findall(r'^msgid (".*"(?:\n".*")*)\nmsgstr (".*"(?:\n".*")*)', text, flags=re.MULTILINE)
    untranslated = [msgid for msgid, msgstr in entries[1:] if msgstr == '""']
    assert untranslated == []


def test_status_names_are_the_national_ones():
    with translation.override("vi"):
        assert str(Status.SUBMITTED.label) == "Mới đăng ký"
        assert str(Status.RETURNED.label) == "Đã trả kết quả"
    with translation.override("en"):
        assert str(Status.RETURNED.label) == "Result returned"


def test_problems_in_the_callers_language(client, db):
    assert client.get("/api/v1/procedures/9.999999").json()["title"] == "Không tìm thấy"
    english = client.get("/api/v1/procedures/9.999999", headers={"Accept-Language": "en"})
    assert english.json()["title"] == "Not found"


def test_vietnamese_dates_read_as_offices_write_them():
    import datetime as dt

    from django.utils import formats, translation

    with translation.override("vi"):
        assert formats.date_format(dt.date(2026, 3, 2), "SHORT_DATE_FORMAT") == "02/03/2026"
        assert (
            formats.date_format(dt.datetime(2026, 3, 2, 14, 5), "SHORT_DATETIME_FORMAT") == "14:05 02/03/2026"
        )
    with translation.override("en"):
        assert formats.date_format(dt.date(2026, 3, 2), "SHORT_DATE_FORMAT") == "03/02/2026"
