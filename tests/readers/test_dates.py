"""Dates as printed or declared, never completed or computed from today."""

from __future__ import annotations

from datetime import date

import pytest

from crosscheck.readers.dates import date_line, iso_date


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("November 04, 2025", "2025-11-04"),
        ("Tuesday, November 4, 2025", "2025-11-04"),
        ("4 Nov 2025", "2025-11-04"),
        ("4th November 2025 10:32 GMT", "2025-11-04"),
        ("Published: Sept. 3, 2024 at 10:32 a.m. EST", "2024-09-03"),
        ("2025-11-04T10:00:00Z", "2025-11-04"),
        ("14 января 2024", "2024-01-14"),
        ("November 2025", None),
        ("Nov 31, 2025", None),
        ("By AFP", None),
        ("The talks lasted until March 3, 2021, officials said.", None),
    ],
)
def test_date_line(line: str, expected: str | None) -> None:
    assert date_line(line) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022-11-05", "2022-11-05"),
        ("2022-11-05T08:00:00+02:00", "2022-11-05"),
        (20221105, "2022-11-05"),
        ("Sat, 05 Nov 2022 10:00:00 GMT", "2022-11-05"),
        (date(2022, 11, 5), "2022-11-05"),
        ("yesterday", None),
        ("2 days ago", None),
        ("n/a", None),
        ("", None),
        (None, None),
        ("2022-13-01", None),
    ],
)
def test_iso_date(value: object, expected: str | None) -> None:
    assert iso_date(value) == expected
