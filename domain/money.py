"""Money of the savings fund: whole đồng, Python ints end to end, never floats.

A treasurer on a cheap phone types «5000», «5.000», «5.000 đ», «5,000đ» or «5k»; all
mean five thousand đồng. The đồng has no subunit in use, so «5,5» or «5.5k» is not a
rounding question but a typing mistake: it is refused, and the treasurer asked again.
Amounts are shown the Vietnamese way, «5.000 đ», by ``format_dong`` alone.
"""

from __future__ import annotations

import re

MAX_AMOUNT = 10_000_000_000  # ten billion đồng: far above any aid, below any overflow

# digits, optionally grouped by dots, commas or spaces in threes; an optional «k»
# (nghìn) or «tr» (triệu) multiplier; an optional currency word.
_AMOUNT = re.compile(
    r"^(?P<number>\d{1,3}(?:[., ]\d{3})+|\d+)\s*(?P<unit>k|nghìn|ngàn|tr|triệu)?\s*(?:đ|đồng|d|dong|vnd|vnđ)?$",
    re.IGNORECASE,
)
_MULTIPLIERS = {"k": 1_000, "nghìn": 1_000, "ngàn": 1_000, "tr": 1_000_000, "triệu": 1_000_000}


class AmountError(ValueError):
    """Not a whole, positive amount of đồng; ``reason`` is 'decimal', 'empty' or 'invalid'."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def parse_dong(text: str) -> int:
    """«5000», «5.000», «5.000 đ», «5k», «2tr»: a positive whole number of đồng."""
    cleaned = " ".join(text.strip().lower().split())
    if not cleaned:
        raise AmountError("empty")
    match = _AMOUNT.match(cleaned)
    if match is None:
        raise AmountError("decimal" if re.match(r"^\d+[.,]\d{1,2}\b", cleaned) or
                          re.match(r"^\d+[.,]\d+\s*(k|tr|nghìn|ngàn|triệu)", cleaned) else "invalid")
    digits = re.sub(r"[., ]", "", match["number"])
    amount = int(digits) * _MULTIPLIERS.get((match["unit"] or "").lower(), 1)
    if amount <= 0 or amount > MAX_AMOUNT:
        raise AmountError("invalid")
    return amount


def format_dong(amount: int) -> str:
    """5000 → «5.000 đ»; -2000 → «-2.000 đ». Only ints: a float here is a bug upstream."""
    if not isinstance(amount, int) or isinstance(amount, bool):
        raise TypeError(f"money must be an int of đồng, not {type(amount).__name__}")
    sign = "-" if amount < 0 else ""
    return f"{sign}{abs(amount):,} đ".replace(",", ".")


def month_key(year: int, month: int) -> str:
    """The fund's month as stored: '2026-11'."""
    return f"{year:04d}-{month:02d}"


def month_label(key: str) -> str:
    """'2026-11' → '11/2026', as cadres write it."""
    year, _, month = key.partition("-")
    return f"{month}/{year}"


def previous_months(year: int, month: int, count: int) -> list[str]:
    """This month and the ``count - 1`` before it, newest first."""
    keys = []
    for back in range(count):
        total = year * 12 + (month - 1) - back
        keys.append(month_key(total // 12, total % 12 + 1))
    return keys
