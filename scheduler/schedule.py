"""When reminders and digests are due: pure functions of the moment and the settings.

Nothing here reads the database or a clock. The sweeps ask "what is due at this
moment?" and the answer depends only on the quarter, the local time and the settings,
so a bot that was down simply asks again when it comes back (catch-up), and tests ask
about any moment they like.

A reminder *slot* is one of the quarter's reminder moments: ``start`` (the quarter has
begun), ``before30``/``before7`` (that many days are left, that day included) and
``last`` (the last day). Each is sendable from its due time until ``grace`` later; when
several windows overlap (a long downtime), only the latest slot is sent, so a cadre
coming back from a week without the bot gets one reminder, not three.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from bot.config import Config, in_quiet_hours
from bot.quarters import Quarter

KIND_START = "start"
KIND_LAST = "last"
DIGEST_WEEKLY = "weekly"
DIGEST_QUARTER = "quarter"


def before_kind(days_left: int) -> str:
    """The reminder_log kind of the reminder sent when ``days_left`` days are left."""
    return f"before{days_left}"


@dataclass(frozen=True, slots=True)
class Settings:
    """The scheduling part of the configuration."""

    tz: tzinfo
    start_day: int
    hour: int
    days_before: tuple[int, ...]
    quiet_start: time
    quiet_end: time
    digest_weekday: int
    digest_hour: int
    grace: timedelta

    @classmethod
    def from_config(cls, config: Config) -> Settings:
        return cls(
            tz=config.tz,
            start_day=config.reminder_start_day,
            hour=config.reminder_hour,
            days_before=config.reminder_days_before,
            quiet_start=config.quiet_start,
            quiet_end=config.quiet_end,
            digest_weekday=config.digest_weekday,
            digest_hour=config.digest_hour,
            grace=config.catchup_grace,
        )

    def at(self, day: date, hour: int) -> datetime:
        return datetime.combine(day, time(hour), self.tz)


@dataclass(frozen=True, slots=True)
class Slot:
    """One reminder moment of a quarter."""

    quarter: Quarter
    kind: str
    due_at: datetime

    def open_at(self, now: datetime, grace: timedelta) -> bool:
        return self.due_at <= now < self.due_at + grace


def reminder_slots(quarter: Quarter, settings: Settings) -> list[Slot]:
    """The quarter's reminder moments in time order; a follow-up that would fall on or
    before the start reminder's day, or on the last day, is left out."""
    start_day = quarter.first_day.replace(day=settings.start_day)
    slots = [Slot(quarter, KIND_START, settings.at(start_day, settings.hour))]
    for days in sorted(settings.days_before, reverse=True):
        day = quarter.last_day - timedelta(days=days - 1)
        if start_day < day < quarter.last_day:
            slots.append(Slot(quarter, before_kind(days), settings.at(day, settings.hour)))
    slots.append(Slot(quarter, KIND_LAST, settings.at(quarter.last_day, settings.hour)))
    return slots


def current_slot(now: datetime, settings: Settings) -> Slot | None:
    """The reminder slot to send at ``now``: the latest one whose window is open.

    Only the quarter ``now`` is in counts: once a quarter has ended nobody is reminded
    about it any more, however long the bot was down.
    """
    now = now.astimezone(settings.tz)
    quarter = Quarter.of(now.date())
    open_slots = [s for s in reminder_slots(quarter, settings) if s.open_at(now, settings.grace)]
    return open_slots[-1] if open_slots else None


def next_slot(now: datetime, settings: Settings) -> Slot:
    """The next reminder moment after ``now`` (for the operator's dry run)."""
    now = now.astimezone(settings.tz)
    quarter = Quarter.of(now.date())
    for candidate in (quarter, quarter.next()):
        for slot in reminder_slots(candidate, settings):
            if slot.due_at > now:
                return slot
    raise AssertionError("every quarter has reminder slots")  # pragma: no cover


def is_quiet(now: datetime, settings: Settings) -> bool:
    """Nothing is sent in the quiet hours (local time).

    The one place that decides whether the bot may message people now: a later rule
    (no reminders on public holidays) belongs here too.
    """
    local = now.astimezone(settings.tz).time()
    return in_quiet_hours(local, settings.quiet_start, settings.quiet_end)


def quiet_until(now: datetime, settings: Settings) -> datetime:
    """When the current quiet hours end (``now`` itself when it is not quiet)."""
    now = now.astimezone(settings.tz)
    if not is_quiet(now, settings):
        return now
    end = datetime.combine(now.date(), settings.quiet_end, settings.tz)
    return end if end > now else end + timedelta(days=1)


def days_left(quarter: Quarter, today: date) -> int:
    return quarter.days_left(today)


# --- digests ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DigestSlot:
    """A digest to send: ``period`` keys it in digest_log; ``quarter`` is what it covers."""

    kind: str
    period: str
    quarter: Quarter
    due_at: datetime

    @property
    def final(self) -> bool:
        """The quarter-end report: the quarter it covers is over."""
        return self.kind == DIGEST_QUARTER


def week_key(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def digest_slots(now: datetime, settings: Settings) -> list[DigestSlot]:
    """The digests whose window is open at ``now``.

    Weekly: on the configured weekday and hour, covering the current quarter.
    Quarter-end: on the first day of the next quarter at the digest hour, covering the
    quarter that has just ended, when every report of it is in.
    """
    now = now.astimezone(settings.tz)
    due: list[DigestSlot] = []
    back = (now.weekday() - settings.digest_weekday) % 7
    weekly_at = settings.at(now.date() - timedelta(days=back), settings.digest_hour)
    if weekly_at > now:
        weekly_at -= timedelta(days=7)
    if now < weekly_at + settings.grace:
        due.append(
            DigestSlot(DIGEST_WEEKLY, week_key(weekly_at.date()), Quarter.of(weekly_at.date()), weekly_at)
        )
    quarter = Quarter.of(now.date())
    quarter_at = settings.at(quarter.first_day, settings.digest_hour)
    if quarter_at <= now < quarter_at + settings.grace:
        ended = quarter.previous()
        due.append(DigestSlot(DIGEST_QUARTER, ended.key, ended, quarter_at))
    return due
