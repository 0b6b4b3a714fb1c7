"""Validation of identifiers: the personal identification numbers and tax codes applicants give, the identity
codes of agencies."""

from __future__ import annotations

import datetime as dt
import re
import secrets

from django.utils.translation import gettext_lazy as _

# The first three digits of a 12-digit personal identification number (CCCD) name the province of birth
# registration under the pre-2025 catalogue (Circular 07/2016/TT-BCA); codes not in this set do not exist.
BIRTH_PROVINCE_CODES = frozenset(
    [
        "001",
        "002",
        "004",
        "006",
        "008",
        "010",
        "011",
        "012",
        "014",
        "015",
        "017",
        "019",
        "020",
        "022",
        "024",
        "025",
        "026",
        "027",
        "030",
        "031",
        "033",
        "034",
        "035",
        "036",
        "037",
        "038",
        "040",
        "042",
        "044",
        "045",
        "046",
        "048",
        "049",
        "051",
        "052",
        "054",
        "056",
        "058",
        "060",
        "062",
        "064",
        "066",
        "067",
        "068",
        "070",
        "072",
        "074",
        "075",
        "077",
        "079",
        "080",
        "082",
        "083",
        "084",
        "086",
        "087",
        "089",
        "091",
        "092",
        "093",
        "094",
        "095",
        "096",
    ]
)
# The fourth digit encodes sex and century: 0/1 born 1900-1999, 2/3 2000-2099, and so on every century.
_CENTURY_BY_DIGIT = {d: 1900 + 100 * (d // 2) for d in range(10)}
_TAX_CODE_RE = re.compile(r"^\d{10}(-\d{3})?$|^\d{12}$")
# QCVN 102:2016 / Decision 20/2020: groups of digits separated by dots, the right-most group naming the
# level-1 body (H + 2 digits for a province, G + 2 digits for a ministry); at most 35 characters
# (DOMAIN.md §5.1).
IDENTITY_CODE_RE = re.compile(r"^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[GH][0-9]{2}$")
IDENTITY_CODE_MAX_LENGTH = 35


def personal_id_problem(value: str, date_of_birth: dt.date | None = None) -> str | None:
    """Why `value` is not a valid personal identification number, or None when it is."""
    if not re.fullmatch(r"\d{12}", value or ""):
        return str(_("A personal identification number has exactly 12 digits."))
    if value[:3] not in BIRTH_PROVINCE_CODES:
        return str(_("The first three digits are not a province code."))
    if date_of_birth is not None:
        year = _CENTURY_BY_DIGIT[int(value[3])] + int(value[4:6])
        if year != date_of_birth.year:
            return str(_("The number does not match the year of birth."))
    return None


def tax_code_problem(value: str) -> str | None:
    """Why `value` is not a tax code (10 digits, 10-3 for a branch, or a 12-digit personal number)."""
    if not _TAX_CODE_RE.match(value or ""):
        return str(_("A tax code has 10 digits, 10 digits and a 3-digit branch suffix, or 12 digits."))
    return None


def identity_code_problem(value: str) -> str | None:
    """Why `value` is not an agency identity code (mã định danh), or None when it is."""
    if len(value or "") > IDENTITY_CODE_MAX_LENGTH or not IDENTITY_CODE_RE.match(value or ""):
        return str(_("%(value)s is not an agency identity code like 000.00.00.H26.") % {"value": value})
    return None


def mask_personal_id(value: str) -> str:
    if len(value) < 6:
        return "*" * len(value)
    return f"{value[:3]}{'*' * (len(value) - 6)}{value[-3:]}"


# A personal identification number as it may appear in free text: 12 digits (CCCD) or 9 (the old CMND), not
# part of a longer run of digits (a phone number has 10, a tax code 10 or 13 with its branch).
PERSONAL_ID_RUN = re.compile(r"(?<!\d)(?:\d{12}|\d{9})(?!\d)")


def contains_personal_id(text: str) -> bool:
    """Whether `text` carries something shaped like a personal identification number."""
    return PERSONAL_ID_RUN.search(text) is not None


def mask_personal_ids(text: str) -> str:
    """`text` with every run shaped like a personal identification number masked (for logs)."""
    return PERSONAL_ID_RUN.sub(lambda match: mask_personal_id(match.group()), text)


def mask_name(full_name: str) -> str:
    """'Nguyễn Văn An' → 'N***** V** An': enough for the applicant to recognise, useless to anyone else. A
    one-word name is masked too ('Hoa' → 'H**'): shown whole, it would be the whole name."""
    words = full_name.split()
    if not words:
        return ""
    masked = [w[0] + "*" * (len(w) - 1) for w in words[:-1]]
    last = words[-1] if len(words) > 1 else words[-1][0] + "*" * (len(words[-1]) - 1)
    return " ".join([*masked, last])


# The secret printed on a receipt beside the dossier code and carried by its QR code: without it, the public
# lookup says nothing of a dossier (ADR 0014). No 0/O, 1/I/L: it is read off paper and typed on a phone.
LOOKUP_KEY_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LOOKUP_KEY_LENGTH = 8


def new_lookup_key() -> str:
    """8 characters of a 31-letter alphabet: about 40 bits, out of reach of guessing at the lookup's rate."""
    return "".join(secrets.choice(LOOKUP_KEY_ALPHABET) for _ in range(LOOKUP_KEY_LENGTH))


def normalised_lookup_key(text: str) -> str:
    """The key as typed, in capitals without spaces or hyphens ("abcd-efgh" → "ABCDEFGH")."""
    return re.sub(r"[\s-]", "", text).upper()
