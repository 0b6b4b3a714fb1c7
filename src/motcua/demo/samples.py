"""Plausible applicants and e-form answers: for the simulated history and for the benchmarks alike."""

from __future__ import annotations

import datetime as dt
import random
import re
from typing import Any

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Minh", "Thu", "Đức", "Ngọc", "Quang", "Thanh", "Hữu", "Gia", "Bảo", "Khánh"]
GIVEN = ["An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hùng", "Khánh", "Lan", "Linh"]
GIVEN += ["Long", "Mai", "Nam", "Nga", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Yến"]
STREETS = ["Phố Huế", "Hàng Bài", "Kim Mã", "Đội Cấn", "Láng Hạ", "Cầu Giấy", "Nguyễn Trãi", "Giải Phóng"]
# Birth-registration province codes of Hà Nội and its neighbours, the bulk of a Hà Nội office's applicants.
ID_PROVINCES = ["001", "001", "001", "001", "022", "026", "030", "033", "034", "036", "037", "038"]


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def birth_date(rng: random.Random, low_year: int = 1950, high_year: int = 2005) -> dt.date:
    return dt.date(low_year, 1, 1) + dt.timedelta(days=rng.randrange((high_year - low_year) * 365))


def personal_id(rng: random.Random, born: dt.date) -> str:
    """A 12-digit number the intake accepts: a real province code, then the sex/century digit and the year
    of birth (DOMAIN.md §1.4, `core.identifiers`)."""
    century_digit = (born.year - 1900) // 100 * 2 + rng.randrange(2)
    return f"{rng.choice(ID_PROVINCES)}{century_digit}{born.year % 100:02d}{rng.randrange(1_000_000):06d}"


def phone(rng: random.Random) -> str:
    return f"09{rng.randrange(10**8):08d}"


def address(rng: random.Random) -> str:
    return f"{rng.randrange(1, 300)} {rng.choice(STREETS)}, Hà Nội"


def applicant(rng: random.Random) -> dict[str, Any]:
    born = birth_date(rng)
    return {
        "kind": "person",
        "full_name": person_name(rng),
        "id_number": personal_id(rng, born),
        "date_of_birth": born.isoformat(),
        "phone": phone(rng),
        "email": "",
        "address": address(rng),
    }


# One digit, a digit class or a literal digit, with an optional {n} or {m,n}: the patterns e-forms use for
# identity and phone numbers ("^[0-9]{12}$", "^0[0-9]{9,10}$").
_DIGIT_ATOM = re.compile(r"(\\d|\[0-9\]|[0-9])(?:\{(\d+)(?:,(\d+))?\})?")


def digits_for_pattern(pattern: str, rng: random.Random) -> str:
    """Digits that match a digit-only `pattern`; any other pattern is a ValueError rather than a guess."""
    text = []
    for atom, low, high in _DIGIT_ATOM.findall(pattern.strip("^$")):
        count = rng.randint(int(low), int(high or low)) if low else 1
        text.append(atom if atom.isdigit() else "".join(str(rng.randrange(10)) for _ in range(count)))
    value = "".join(text)
    if not re.fullmatch(pattern, value):
        raise ValueError(f"no sample value for the form pattern {pattern!r}")
    return value


def fill_form(schema: dict[str, Any], rng: random.Random) -> Any:
    """Answers the e-form `schema` accepts, every field filled as a careful officer would at the counter."""
    if "enum" in schema:
        return rng.choice(schema["enum"])
    kind = schema.get("type", "string")
    if kind == "object":
        properties = schema.get("properties", {})
        return {name: fill_form(properties[name], rng) for name in properties}
    if kind == "array":
        return [fill_form(schema.get("items", {}), rng) for _ in range(max(1, schema.get("minItems", 1)))]
    if kind in ("integer", "number"):
        low = int(schema.get("minimum", 1))
        return rng.randint(low, max(low, int(schema.get("maximum", low + 10))))
    if kind == "boolean":
        return rng.random() < 0.5
    if pattern := schema.get("pattern"):
        return digits_for_pattern(pattern, rng)
    fmt = schema.get("format")
    if fmt == "date":
        return birth_date(rng, 1960, 2025).isoformat()
    if fmt == "date-time":
        return f"{birth_date(rng, 2024, 2026).isoformat()}T09:30:00+07:00"
    if fmt == "email":
        return f"nguoidan{rng.randrange(100_000)}@example.vn"
    text = address(rng) if "maxLength" in schema and schema["maxLength"] > 100 else person_name(rng)
    return text.ljust(schema.get("minLength", 0), ".")[: schema.get("maxLength", 255)]
