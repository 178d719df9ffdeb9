"""Publication dates as printed or declared, normalised to ISO ``YYYY-MM-DD``.

Only what a document prints or its metadata declares is used; a date with no day, or
no year, is not completed by guessing, so the result is None.
"""

from __future__ import annotations

import re
import time
from datetime import date, datetime
from functools import lru_cache
from typing import Any

__all__ = ["date_line", "iso_date", "struct_time_date"]

_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTH_NUMBER = {m: i for i, m in enumerate(_MONTHS, 1)} | {m[:3]: i for i, m in enumerate(_MONTHS, 1)}
_MONTH_NUMBER["sept"] = 9
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTH_NUMBER, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+)?"
_ZONE = r"(?:\s*\(?[A-Z]{2,5}\)?|\s*[+-]\d{2}:?\d{2})?"
_TIME = r"(?:\s*(?:,|at|-|\||·)?\s*\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?" + _ZONE + r")?"
_LABEL = r"(?:(?:published|updated|posted|last\s+updated|date)\s*(?:on|:)?\s*)?"
_DATE_LINE = re.compile(
    r"^\s*"
    + _LABEL
    + _WEEKDAY
    + r"(?:"
    + _MONTH
    + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})"
    + r"|(?P<day2>\d{1,2})(?:st|nd|rd|th)?\s+"
    + _MONTH.replace("month", "month2")
    + r",?\s+(?P<year2>\d{4})"
    + r"|(?P<year3>\d{4})-(?P<month3>\d{2})-(?P<day3>\d{2})"
    + r"(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
    + r")"
    + _TIME
    + r"\s*$",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\d{4}")
_ISO_PREFIX = re.compile(r"^\s*(\d{4})-?(\d{2})-?(\d{2})(?:$|[T ])")
# "14 января 2024", "März 3, 2024": a day, a month word in any language, a year, nothing else
_OTHER_LANGUAGE_LINE = re.compile(
    r"^\s*(?:\d{1,2}\.?\s+[^\W\d_]{3,}\.?|[^\W\d_]{3,}\.?\s+\d{1,2}\.?,?)\s+\d{4}(?:\s*[^\W\d_]{1,4}\.?)?\s*$"
)


def _make(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def date_line(line: str) -> str | None:
    """The ISO date of a line that is only a date (``November 04, 2025``, ``4 Nov 2025 10:30``, ``14 января 2024``)."""
    m = _DATE_LINE.match(line)
    if not m:
        return _parse_strict(line) if _OTHER_LANGUAGE_LINE.match(line) else None
    g = m.groupdict()
    if g["year3"]:
        return _make(int(g["year3"]), int(g["month3"]), int(g["day3"]))
    if g["year"]:
        return _make(int(g["year"]), _MONTH_NUMBER[g["month"].lower()], int(g["day"]))
    return _make(int(g["year2"]), _MONTH_NUMBER[g["month2"].lower()], int(g["day2"]))


def iso_date(value: Any) -> str | None:
    """A date field from metadata or a corpus (ISO, printed, or a datetime) as ``YYYY-MM-DD``, else None."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    m = _ISO_PREFIX.match(text)
    if m:
        return _make(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    printed = date_line(text)
    if printed:
        return printed
    return _parse_strict(text)


@lru_cache(maxsize=4096)
def _parse_strict(text: str) -> str | None:
    """dateparser (any language), only for absolute dates whose day, month and year are all printed."""
    if not _YEAR.search(text):
        return None
    import dateparser  # slow to import; only needed for unusual formats

    parsed = dateparser.parse(
        text,
        languages=["en"] if text.isascii() else None,  # language detection is slow; ASCII dates are English
        settings={
            "REQUIRE_PARTS": ["day", "month", "year"],
            # no "relative-time" (it would count from today) and no "timestamp" (20221105 is not epoch seconds)
            "PARSERS": ["custom-formats", "absolute-time"],
        },
    )
    return parsed.date().isoformat() if parsed else None


def struct_time_date(value: time.struct_time | None) -> str | None:
    """A feed's parsed date (feedparser gives ``time.struct_time``) as ``YYYY-MM-DD``."""
    if value is None:
        return None
    return _make(value.tm_year, value.tm_mon, value.tm_mday)
