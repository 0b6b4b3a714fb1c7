"""How the forms write dates, durations and places: in Vietnamese, as the legal forms do, whatever the
language of the page that links to them. Pure functions of their arguments."""

from __future__ import annotations

import datetime as dt

from motcua.org.models import Agency
from motcua.worktime.calendar import to_local
from motcua.worktime.constants import DurationUnit, Punctuality

BLANK = "…………"

DURATION_UNITS = {
    DurationUnit.WORKING_DAYS: "ngày làm việc",
    DurationUnit.WORKING_HOURS: "giờ làm việc",
    DurationUnit.DAYS: "ngày",
}

PUNCTUALITY = {
    Punctuality.EARLY: "Trước hạn",
    Punctuality.ON_TIME: "Đúng hạn",
    Punctuality.LATE: "Quá hạn",
}

# The words that open the name of an administrative unit; a form's place line names the place without them
# ("Ba Đình, ngày …", not "Phường Ba Đình, ngày …").
UNIT_LEVEL_WORDS = ("Thành phố", "Tỉnh", "Phường", "Xã", "Đặc khu", "Thị trấn", "Thị xã", "Quận", "Huyện")


def moment_text(moment: dt.datetime | None) -> str:
    """ "09 giờ 30 phút, ngày 02 tháng 03 năm 2026" in local time; a blank to fill in when unknown."""
    if moment is None:
        return BLANK
    local = to_local(moment)
    return f"{local:%H} giờ {local:%M} phút, {day_text(local.date())}"


def day_text(day: dt.date | None) -> str:
    """ "ngày 02 tháng 03 năm 2026"."""
    if day is None:
        return BLANK
    return f"ngày {day:%d} tháng {day:%m} năm {day:%Y}"


def short_moment(moment: dt.datetime | None) -> str:
    """ "09:30 02/03/2026", for the columns of the tracking book."""
    return f"{to_local(moment):%H:%M %d/%m/%Y}" if moment is not None else ""


def duration_text(value: int, unit: str) -> str:
    if unit == DurationUnit.NONE:
        return "Không có thời hạn trả kết quả"
    return f"{value} {DURATION_UNITS[DurationUnit(unit)]}"


def place_name(agency: Agency) -> str:
    name = agency.administrative_unit.name.strip()
    for word in UNIT_LEVEL_WORDS:
        if name.startswith(word + " "):
            return name[len(word) + 1 :]
    return name


def place_and_day(agency: Agency, day: dt.date) -> str:
    """ "Hà Nội, ngày 02 tháng 03 năm 2026": the line under the national heading."""
    return f"{place_name(agency)}, {day_text(day)}"
