"""Quarters (quý I–IV): the unit of the visit obligation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

ROMAN = ("I", "II", "III", "IV")


@dataclass(frozen=True, order=True, slots=True)
class Quarter:
    year: int
    number: int  # 1..4

    @classmethod
    def of(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, key: str) -> Quarter:
        """Reads the stored form '2026-Q4'."""
        year, _, number = key.partition("-Q")
        quarter = cls(int(year), int(number))
        if not 1 <= quarter.number <= 4:
            raise ValueError(f"not a quarter: {key!r}")
        return quarter

    @property
    def key(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def last_day(self) -> date:
        return self.next().first_day - timedelta(days=1)

    def next(self) -> Quarter:
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    def contains(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day

    def days_left(self, day: date) -> int:
        """Days from ``day`` to the quarter's last day, that day included (0 once past)."""
        return max((self.last_day - day).days + 1, 0)

    def label(self, lang: str = "vi") -> str:
        """'Quý IV/2026' or 'Q4 2026'."""
        if lang == "vi":
            return f"Quý {ROMAN[self.number - 1]}/{self.year}"
        return f"Q{self.number} {self.year}"
