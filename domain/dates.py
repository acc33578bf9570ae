"""Dates as cadres type them: 23/11/2026, 23/11, 3-11-26, 23.11.2026, 2026-11-23, "hôm qua"."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta

from domain.quarters import Quarter

_DATE = re.compile(r"^\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?:\s*[/.\-]\s*(\d{2}|\d{4}))?\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
# Words typed for the two quick buttons, folded (no diacritics, lower case): days ago.
_WORDS = {"hom nay": 0, "today": 0, "hom qua": 1, "yesterday": 1}


class DateError(ValueError):
    """Why a typed date was refused; ``reason`` is a catalogue key, ``day`` the date meant."""

    def __init__(self, reason: str, day: date | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.day = day


def parse_date(text: str, today: date) -> date:
    """Reads a day the way Vietnamese write it (day first), or an ISO date; the year
    defaults to this year, or last year when the day would lie in the future (on 05/01,
    "28/12" means last December).
    """
    iso = _ISO.match(text)
    if iso is not None:
        return _make(int(iso[1]), int(iso[2]), int(iso[3]))
    match = _DATE.match(text)
    if match is None:
        raise DateError("date.format")
    day, month, year_text = int(match[1]), int(match[2]), match[3]
    if year_text is not None:
        return _make(int(year_text) + (2000 if len(year_text) == 2 else 0), month, day)
    result = _make(today.year, month, day)
    if result > today:
        result = _make(today.year - 1, month, day)  # 29/02 of a leap year, typed the next year: invalid
    return result


def parse_past_date(text: str, today: date) -> date:
    """A day that has been (a meeting attended): also "hôm nay" and "hôm qua".

    A date without a year is the nearest one not in the future, but only when that lies
    in this quarter or the last one: on 01/12 a cadre typing "05/12" may mean last
    December or have mistyped; rather than filing a report a year late without a word,
    they are asked to type the year.
    """
    words = _WORDS.get(_fold(text))
    if words is not None:
        return today - timedelta(days=words)
    result = parse_date(text, today)
    has_year = _ISO.match(text) is not None or (_DATE.match(text) or [None] * 4)[3] is not None
    if not has_year and Quarter.of(result) < Quarter.of(today).previous():
        raise DateError("date.need_year", result)
    return result


def _make(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise DateError("date.invalid") from None


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.strip().lower().replace("đ", "d"))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def format_date(day: date) -> str:
    return day.strftime("%d/%m/%Y")
