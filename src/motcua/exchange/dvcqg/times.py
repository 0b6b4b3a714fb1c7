"""Times as the national portal writes them: `yyyyMMddHHmmss` (dates `yyyyMMdd`) in Vietnam's local time."""

from __future__ import annotations

import datetime as dt
import zoneinfo

# The portal's times are Vietnam's wall clock, whatever zone this deployment runs in.
PORTAL_ZONE = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
_TIME_FORMAT = "%Y%m%d%H%M%S"
_DATE_FORMAT = "%Y%m%d"


def portal_time(moment: dt.datetime) -> str:
    return moment.astimezone(PORTAL_ZONE).strftime(_TIME_FORMAT)


def parse_portal_time(text: str) -> dt.datetime:
    """An aware datetime; ValueError when `text` is not `yyyyMMddHHmmss`."""
    if len(text) != len("yyyyMMddHHmmss") or not text.isdigit():
        raise ValueError(text)
    return dt.datetime.strptime(text, _TIME_FORMAT).replace(tzinfo=PORTAL_ZONE)


def parse_portal_date(text: str) -> dt.date:
    """ValueError when `text` is not `yyyyMMdd`."""
    if len(text) != len("yyyyMMdd") or not text.isdigit():
        raise ValueError(text)
    return dt.datetime.strptime(text, _DATE_FORMAT).date()
