"""Time, injectable: the bot asks a clock, tests move it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Protocol
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


class Clock(Protocol):
    tz: tzinfo

    def now(self) -> datetime:
        """The current time, aware, in the clock's time zone."""
        ...


class SystemClock:
    def __init__(self, tz: tzinfo = VIETNAM) -> None:
        self.tz = tz

    def now(self) -> datetime:
        return datetime.now(self.tz)


class ManualClock:
    """A clock that only moves when told to; for tests, the demo and the benchmarks."""

    def __init__(self, start: datetime, tz: tzinfo = VIETNAM) -> None:
        if start.tzinfo is None:
            start = start.replace(tzinfo=tz)
        self.tz = tz
        self._now = start.astimezone(tz)

    def now(self) -> datetime:
        return self._now

    def set(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=self.tz)
        self._now = moment.astimezone(self.tz)

    def advance(self, delta: timedelta) -> None:
        self._now += delta


def today(clock: Clock) -> date:
    return clock.now().date()


def utc_stamp(moment: datetime) -> str:
    """The form times are stored in: ISO 8601, UTC, second precision."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_stamp(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
