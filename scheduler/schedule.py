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

Working days (``Settings.calendar``: weekends, Vietnamese public holidays, the committee's
own days off): every slot falls on one — the start reminder on the first working day on
or after the configured day, a "N days before" one on the next working day, the last one
on the quarter's last working day, so no deadline falls on a holiday — and nothing is
sent on any other day (``is_quiet``). The grace does not count non-working days, so a
reminder missed on a Friday still goes out on Monday morning. Digests move the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo

from bot.config import Config, in_quiet_hours
from domain.quarters import Quarter
from domain.workdays import WorkCalendar

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
    calendar: WorkCalendar = field(default_factory=WorkCalendar)

    @classmethod
    def from_config(cls, config: Config, calendar: WorkCalendar | None = None) -> Settings:
        """The settings of ``config``; ``calendar`` adds the committee's days off
        (scheduler/settings.py ``load_settings`` reads them from the database)."""
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
            calendar=calendar or WorkCalendar(),
        )

    def at(self, day: date, hour: int) -> datetime:
        return datetime.combine(day, time(hour), self.tz)

    def window_end(self, due_at: datetime) -> datetime:
        """Until when a moment due at ``due_at`` may still be sent: ``grace`` later, plus a
        day for every non-working day in between (nothing is sent on those)."""
        end = due_at + self.grace
        day = due_at.date() + timedelta(days=1)
        while day <= end.date():
            if not self.calendar.is_working_day(day):
                end += timedelta(days=1)
            day += timedelta(days=1)
        return end


@dataclass(frozen=True, slots=True)
class Slot:
    """One reminder moment of a quarter."""

    quarter: Quarter
    kind: str
    due_at: datetime

    def open_at(self, now: datetime, settings: Settings) -> bool:
        return self.due_at <= now < settings.window_end(self.due_at)


def last_working_day(quarter: Quarter, calendar: WorkCalendar) -> date:
    """The day of the quarter's last reminder: its last day, or the working day before."""
    return calendar.previous_working_day(quarter.last_day)


def reminder_slots(quarter: Quarter, settings: Settings) -> list[Slot]:
    """The quarter's reminder moments in time order, each on a working day.

    The start reminder goes on the first working day on or after the configured day; a
    follow-up moves to the next working day and is left out when that is not after the
    previous slot's day and before the last one; the last reminder goes on the quarter's
    last working day.
    """
    calendar = settings.calendar
    start_day = calendar.next_working_day(quarter.first_day.replace(day=settings.start_day))
    last_day = last_working_day(quarter, calendar)
    slots = [Slot(quarter, KIND_START, settings.at(start_day, settings.hour))]
    for days in sorted(settings.days_before, reverse=True):
        day = calendar.next_working_day(quarter.last_day - timedelta(days=days - 1))
        if slots[-1].due_at.date() < day < last_day:
            slots.append(Slot(quarter, before_kind(days), settings.at(day, settings.hour)))
    slots.append(Slot(quarter, KIND_LAST, settings.at(last_day, settings.hour)))
    return slots


def current_slot(now: datetime, settings: Settings) -> Slot | None:
    """The reminder slot to send at ``now``: the latest one whose window is open.

    Only the quarter ``now`` is in counts: once a quarter has ended nobody is reminded
    about it any more, however long the bot was down.
    """
    now = now.astimezone(settings.tz)
    quarter = Quarter.of(now.date())
    open_slots = [s for s in reminder_slots(quarter, settings) if s.open_at(now, settings)]
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
    """Nothing is sent in the quiet hours (local time), nor on a non-working day
    (weekends, public holidays, the committee's days off).

    The one place that decides whether the bot may message people now.
    """
    local = now.astimezone(settings.tz)
    if not settings.calendar.is_working_day(local.date()):
        return True
    return in_quiet_hours(local.time(), settings.quiet_start, settings.quiet_end)


def quiet_until(now: datetime, settings: Settings) -> datetime:
    """When sending may start again: the end of the quiet hours, on the next working day
    (``now`` itself when it is not quiet)."""
    moment = now.astimezone(settings.tz)
    while True:
        if not settings.calendar.is_working_day(moment.date()):
            moment = datetime.combine(settings.calendar.next_working_day(moment.date()), time(0), settings.tz)
        elif in_quiet_hours(moment.time(), settings.quiet_start, settings.quiet_end):
            end = datetime.combine(moment.date(), settings.quiet_end, settings.tz)
            moment = end if end > moment else end + timedelta(days=1)
        else:
            return moment


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


def weekly_digest_day(base: date, settings: Settings) -> date:
    """The day a week's digest goes out: the configured weekday, or the working day after."""
    return settings.calendar.next_working_day(base)


def digest_quarter(kind: str, period: str, settings: Settings) -> Quarter:
    """The quarter a digest of digest_log covers (the live due list edits it later)."""
    if kind == DIGEST_QUARTER:
        return Quarter.parse(period)
    year, _, week = period.partition("-W")
    base = date.fromisocalendar(int(year), int(week), settings.digest_weekday + 1)
    return Quarter.of(weekly_digest_day(base, settings))


def digest_slots(now: datetime, settings: Settings) -> list[DigestSlot]:
    """The digests whose window is open at ``now``, each on a working day.

    Weekly: on the configured weekday and hour (or the next working day), covering the
    current quarter; keyed by the week of the configured weekday.
    Quarter-end: on the first working day of the next quarter at the digest hour,
    covering the quarter that has just ended, when every report of it is in.
    """
    now = now.astimezone(settings.tz)
    due: list[DigestSlot] = []
    back = (now.weekday() - settings.digest_weekday) % 7
    this_week = now.date() - timedelta(days=back)
    for base in (this_week, this_week - timedelta(days=7)):
        weekly_at = settings.at(weekly_digest_day(base, settings), settings.digest_hour)
        if weekly_at <= now < settings.window_end(weekly_at):
            due.append(DigestSlot(DIGEST_WEEKLY, week_key(base), Quarter.of(weekly_at.date()), weekly_at))
            break
    quarter = Quarter.of(now.date())
    quarter_at = settings.at(settings.calendar.next_working_day(quarter.first_day), settings.digest_hour)
    if quarter_at <= now < settings.window_end(quarter_at):
        ended = quarter.previous()
        due.append(DigestSlot(DIGEST_QUARTER, ended.key, ended, quarter_at))
    return due
