"""Dates as cadres type them: 23/11/2026, 23/11, 3-11-26, 23.11.2026."""

from __future__ import annotations

import re
from datetime import date

_DATE = re.compile(r"^\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?:\s*[/.\-]\s*(\d{2}|\d{4}))?\s*$")


class DateError(ValueError):
    """Why a typed date was refused; ``reason`` is a catalogue key."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def parse_date(text: str, today: date) -> date:
    """Reads a day the way Vietnamese write it (day first); the year defaults to this year.

    A date without a year that would lie in the future is taken from last year: on
    05/01 a cadre typing "28/12" means last December.
    """
    match = _DATE.match(text)
    if match is None:
        raise DateError("date.format")
    day, month, year_text = int(match[1]), int(match[2]), match[3]
    if year_text is None:
        year = today.year
    else:
        year = int(year_text) + (2000 if len(year_text) == 2 else 0)
    try:
        result = date(year, month, day)
    except ValueError:
        raise DateError("date.invalid") from None
    if year_text is None and result > today:
        try:
            result = date(year - 1, month, day)
        except ValueError:  # 29/02 of a leap year, typed the next year
            raise DateError("date.invalid") from None
    return result


def format_date(day: date) -> str:
    return day.strftime("%d/%m/%Y")
