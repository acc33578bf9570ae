"""When a cell meets: its regular day (the roster's ``meets_on``), a typed time or date.

A cell's regular day is written in the roster as ``ngày D [hằng tháng] HH:MM`` — e.g.
«ngày 5 hằng tháng 19:30», «ngày 5 19h30», «Ngày 20 hàng tháng 7h» — or in English
``day D HH:MM``. Diacritics, case and the words «hằng/hàng tháng», «lúc» are optional.
A day past the end of a short month (31 in November) means the month's last day.
Pure functions: no clock, no database.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from domain.textinput import fold

_TIME = re.compile(r"^(\d{1,2})\s*(?:[:hg.]\s*(\d{2})?)?\s*(?:phut|p)?$")
_REGULAR = re.compile(
    r"^(?:ngay|day)\s+(\d{1,2})\s*(?:(?:hang|hàng)\s+thang|moi\s+thang|each\s+month|monthly)?\s*,?\s*(?:luc|at)?\s*(.+)$"
)
_DAY = re.compile(r"^\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?:\s*[/.\-]\s*(\d{2}|\d{4}))?\s*$")


class MeetDayError(ValueError):
    """Why a typed time, date or regular day was refused; ``reason`` is a catalogue key."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class RegularDay:
    """A cell meets on day ``day`` of every month at ``at``."""

    day: int
    at: time

    def on(self, year: int, month: int) -> datetime:
        last = calendar.monthrange(year, month)[1]
        return datetime.combine(date(year, month, min(self.day, last)), self.at)

    def next_after(self, moment: datetime) -> datetime:
        """The first meeting strictly after ``moment`` (naive local time)."""
        year, month = moment.year, moment.month
        for _ in range(3):
            candidate = self.on(year, month)
            if candidate > moment:
                return candidate
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        raise AssertionError("a monthly day comes within three months")  # pragma: no cover

    def text(self) -> str:
        """The canonical form, as the README documents it."""
        return f"ngày {self.day} hằng tháng {self.at:%H:%M}"


def parse_time(text: str) -> time:
    """«19:30», «19h30», «19h», «7.30», «19g30» → a time of day."""
    match = _TIME.match(fold(text).replace(" ", ""))
    if match is None:
        raise MeetDayError("meet.bad_time")
    hour, minute = int(match[1]), int(match[2] or 0)
    if hour > 23 or minute > 59:
        raise MeetDayError("meet.bad_time")
    return time(hour, minute)


def parse_regular(text: str) -> RegularDay:
    """The roster's ``meets_on``: «ngày 5 hằng tháng 19:30»."""
    match = _REGULAR.match(fold(text))
    if match is None:
        raise MeetDayError("meet.bad_regular")
    day = int(match[1])
    if not 1 <= day <= 31:
        raise MeetDayError("meet.bad_regular")
    return RegularDay(day, parse_time(match[2]))


def parse_future_day(text: str, today: date) -> date:
    """A meeting day as typed (day first): today or later; without a year, the next such day."""
    match = _DAY.match(text)
    if match is None:
        raise MeetDayError("meet.bad_date")
    day, month, year_text = int(match[1]), int(match[2]), match[3]
    year = today.year if year_text is None else int(year_text) + (2000 if len(year_text) == 2 else 0)
    try:
        result = date(year, month, day)
        if year_text is None and result < today:
            result = date(year + 1, month, day)
    except ValueError:
        raise MeetDayError("meet.bad_date") from None
    if result < today:
        raise MeetDayError("meet.past_date")
    return result


def same_next_month(moment: datetime) -> datetime:
    """«Như tháng trước»: the same day of the next month (its last day if shorter), same time."""
    year, month = (moment.year + 1, 1) if moment.month == 12 else (moment.year, moment.month + 1)
    return RegularDay(moment.day, moment.time()).on(year, month)


def as_local(text: str) -> datetime:
    """A stored ``starts_at`` (ISO, local, no zone) as a naive datetime."""
    return datetime.fromisoformat(text)


def stored(moment: datetime) -> str:
    return moment.replace(tzinfo=None, second=0, microsecond=0).isoformat(timespec="minutes")


def eve_of(day: date) -> date:
    return day - timedelta(days=1)
