"""Working days: no reminder on a Vietnamese public holiday, a weekend or a local day off.

Public holidays come from the ``holidays`` package, whose Vietnam calendar follows the
lunar Tết and the substituted days the government announces; a hand-written table would
be wrong within a year. The committee may add its own days off (storage/calendar.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=16)
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.Vietnam(years=year))


@dataclass(frozen=True)
class WorkCalendar:
    """Which days are working days: Monday to Friday, minus holidays and local days off."""

    local_days_off: frozenset[date] = field(default_factory=frozenset)

    @classmethod
    def with_days_off(cls, days: Iterable[date]) -> WorkCalendar:
        return cls(frozenset(days))

    def is_holiday(self, day: date) -> bool:
        return day in _public_holidays(day.year) or day in self.local_days_off

    def holiday_name(self, day: date) -> str | None:
        return holidays.Vietnam(years=day.year).get(day)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and not self.is_holiday(day)

    def next_working_day(self, day: date) -> date:
        """``day`` itself when it is a working day, else the first one after it."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def previous_working_day(self, day: date) -> date:
        """``day`` itself when it is a working day, else the last one before it."""
        while not self.is_working_day(day):
            day -= timedelta(days=1)
        return day

    def working_days_between(self, first: date, last: date) -> int:
        """Working days from ``first`` to ``last``, both included (0 when last < first)."""
        count, day = 0, first
        while day <= last:
            count += self.is_working_day(day)
            day += timedelta(days=1)
        return count
