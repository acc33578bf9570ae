"""Meetings' messages: invitations, the day-before and same-morning reminders, moves,
cancellations, and «📝 Báo cáo ngay» once the meeting is over.

Like the quarterly reminders (scheduler/reminders.py), nothing is remembered in jobs: a
sweep derives what is due from the clock and the database, and claims each message just
before it is sent (storage/meeting_messages.py) — claim, send, mark — so whatever crashes
or overlapping sweeps happen, a message goes at most once. Sends go through the shared
Throttle and never in the quiet hours or on days off (``is_quiet``); the meeting itself
may well be on a Saturday evening.

When each reminder is due (local time, BAOCAO_REMINDER_HOUR):
- ``eve``: the working day before the meeting's day;
- ``morning``: the meeting's day, when it is a working day (else the eve one covers it);
  once the morning one is open the eve one is no longer sent (one reminder, not two);
- ``after``: AFTER_MEETING after the start, for AFTER_WINDOW, to those who have not
  reported on the cell that quarter: the report with cell and date already filled.
Reminders go to those who accepted or did not answer, and only to those invited before
the reminder fell due (an invitation and a reminder never arrive together).

Cells with a regular day (``cells.meets_on``) get their next meeting derived DERIVE_AHEAD
before it, unless one was announced (or cancelled) for that day.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from telegram import Bot

from bot.config import Config
from bot.screens import Option, Screen, inline_markup
from bot.texts import pick_language, t
from domain.callbacks import CB_MEETING_NO, CB_MEETING_YES, start_for_cell_data
from domain.clock import Clock, utc_stamp
from domain.meetdays import MeetDayError, parse_regular
from domain.quarters import Quarter
from scheduler.routes import BotRegistry, Route, registry_of, routes_to_cadre
from scheduler.schedule import Settings, is_quiet
from scheduler.sending import Delivery, Outcome, Sleep, Throttle, claim_status, deliver
from scheduler.settings import load_settings
from storage import meeting_messages as messages
from storage import meetings as store
from storage.db import Database
from storage.meeting_messages import AFTER, CANCELLED, EVE, INVITE, MORNING, MOVED, Recipient
from storage.meetings import CellMeetings, Meeting, NewMeeting

log = logging.getLogger(__name__)

AFTER_MEETING = timedelta(hours=2)
AFTER_WINDOW = timedelta(days=7)
INVITE_AHEAD = timedelta(days=62)
DERIVE_AHEAD = timedelta(days=14)
@dataclass
class MeetingResult:
    sent: dict[str, int]
    derived: int = 0
    quiet: bool = False
    stopped: bool = False
    failed: int = 0


def when_text(starts_at: datetime, lang: str) -> str:
    """«19:30 thứ Sáu 04/12/2026»: what every meeting message says."""
    return t("meet.when", lang, at=f"{starts_at:%H:%M}", day=t(f"meet.weekday.{starts_at.weekday()}", lang),
             date=f"{starts_at:%d/%m/%Y}")


async def next_starts(db: Database, cell_ids: list[int], now: datetime) -> dict[int, datetime]:
    """When each of these cells next meets (local, naive), by cell id; cells with no
    meeting announced are left out. For the quarterly reminders."""
    found: dict[int, datetime] = {}
    for meeting in await store.upcoming(db, cell_ids, now.replace(tzinfo=None), limit=len(cell_ids) * 4):
        found.setdefault(meeting.cell_id, meeting.starts_at)
    return found


def short_when(starts: datetime, lang: str) -> str:
    """«19:30 thứ Sáu 04/12»: a meeting's time as the quarterly reminders say it."""
    return t("meet.when", lang, at=f"{starts:%H:%M}", day=t(f"meet.weekday.{starts.weekday()}", lang),
             date=f"{starts:%d/%m}")


def meeting_text(meeting: Meeting, lang: str) -> str:
    """The meeting in a few lines: the cell, when, where, the agenda."""
    lines = [t("meet.line", lang, cell=meeting.cell_name, when=when_text(meeting.starts_at, lang))]
    if meeting.place:
        lines.append(t("meet.place", lang, place=meeting.place))
    if meeting.agenda:
        lines.append(t("meet.agenda", lang, agenda=meeting.agenda))
    return "\n".join(lines)


def answer_options(meeting: Meeting, lang: str) -> list[Option]:
    tail = f"{meeting.id}:{meeting.version}"
    return [Option(t("meet.btn.yes", lang), f"{CB_MEETING_YES}{tail}"),
            Option(t("meet.btn.no", lang), f"{CB_MEETING_NO}{tail}")]


def message_screen(meeting: Meeting, kind: str, recipient: Recipient, lang: str) -> Screen:
    """What one invitee gets for this kind of message."""
    text = t(f"meet.msg.{kind}", lang, meeting=meeting_text(meeting, lang))
    if kind in (INVITE, MOVED) or (kind in (EVE, MORNING) and recipient.answer is None):
        return Screen.of(text, answer_options(meeting, lang))
    if kind == AFTER:
        return Screen.of(text, Option(t("meet.btn.report", lang), start_for_cell_data(meeting.cell_id,
                                                                                        meeting.day.isoformat())))
    return Screen(text)


def due_kinds(meeting: Meeting, now: datetime, settings: Settings) -> list[tuple[str, datetime | None]]:
    """The kinds of message due about this meeting at ``now`` (local, aware), each with the
    moment it fell due (reminders go only to those invited before it)."""
    if meeting.status == store.CANCELLED:
        return [(CANCELLED, None)]
    starts = meeting.starts_at.replace(tzinfo=settings.tz)
    kinds: list[tuple[str, datetime | None]] = []
    if now < starts:
        kinds.append((INVITE, None))
        if meeting.version > 1:
            kinds.append((MOVED, None))
        calendar = settings.calendar
        eve = settings.at(calendar.previous_working_day(meeting.day - timedelta(days=1)), settings.hour)
        morning = settings.at(meeting.day, settings.hour) if calendar.is_working_day(meeting.day) else None
        if morning is not None and morning <= now and morning < starts:
            kinds.append((MORNING, morning))
        elif eve <= now:
            kinds.append((EVE, eve))
    elif starts + AFTER_MEETING <= now < starts + AFTER_WINDOW:
        kinds.append((AFTER, starts + AFTER_MEETING))
    return kinds


async def sweep(
    bots: Bot | BotRegistry,
    db: Database,
    config: Config,
    clock: Clock,
    *,
    sleep: Sleep = asyncio.sleep,
    throttle: Throttle | None = None,
    keep_going: Callable[[], bool] = lambda: True,
) -> MeetingResult:
    """Derives regular meetings, then sends every meeting message due; safe to run any time.
    ``bots``: the process's bots (bot.channels.Channels); each cadre is written on the
    messenger used last, then the next one if that one is blocked or unknown."""
    settings = await load_settings(db, config)
    now = clock.now().astimezone(settings.tz)
    result = MeetingResult(sent={})
    result.derived = await derive_regular(db, now)
    if is_quiet(now, settings):
        result.quiet = True
        return result
    sender = _Sender(registry_of(bots), db, clock, throttle or Throttle(clock, sleep), result, config, settings, keep_going)
    local = now.replace(tzinfo=None)
    for meeting in await store.between(db, local - AFTER_WINDOW, local + INVITE_AHEAD):
        for kind, due in due_kinds(meeting, now, settings):
            if result.stopped:
                break
            await sender.send_kind(meeting, kind, due)
    if result.sent or result.failed:
        log.info("meetings: %s sent, %d failed", dict(result.sent), result.failed)
    return result


async def derive_regular(db: Database, now: datetime) -> int:
    """The next meeting of every cell with a regular day, DERIVE_AHEAD before it."""
    derived = 0
    local = now.replace(tzinfo=None)
    for cell in await store.cells_with_regular_day(db):
        try:
            regular = parse_regular(cell.meets_on or "")
        except MeetDayError:
            continue  # the import refuses these; an old value is left alone
        starts = regular.next_after(local)
        if starts - local > DERIVE_AHEAD or await store.exists_on(db, cell.cell_id, starts.date()):
            continue
        new = NewMeeting(cell.cell_id, starts, "", None, f"regular:{cell.cell_id}:{starts:%Y%m%d}", "regular")
        derived += (await store.create(db, new, by=None, telegram_id=None, now=utc_stamp(now)))[1]
    return derived


@dataclass
class _Sender:
    bots: BotRegistry
    db: Database
    clock: Clock
    throttle: Throttle
    result: MeetingResult
    config: Config
    settings: Settings
    keep_going: Callable[[], bool]

    async def send_kind(self, meeting: Meeting, kind: str, due: datetime | None) -> None:
        quarter = Quarter.of(meeting.day).key
        for recipient in await messages.recipients(
            self.db, meeting.id, cell_id=meeting.cell_id, version=meeting.version, kind=kind, quarter=quarter,
            invited_before=utc_stamp(due) if due else None,
        ):
            if not self.keep_going() or is_quiet(self.clock.now(), self.settings):
                self.result.stopped = True
                return
            await self.send_one(meeting, kind, recipient)

    async def send_one(self, meeting: Meeting, kind: str, recipient: Recipient) -> None:
        """Claim, send, mark; a cadre on no messenger of this process waits for a later sweep."""
        routes = await routes_to_cadre(self.db, self.bots, recipient.cadre_id)
        if not routes:
            return
        await self.throttle.turn(routes[0].chat_id)
        key = (meeting.id, meeting.version, recipient.cadre_id, kind)
        if not await messages.claim(self.db, *key, now=utc_stamp(self.clock.now())):
            return
        lang = pick_language(recipient.language, None, self.config.default_language)
        screen = message_screen(meeting, kind, recipient, lang)
        sent = await self._deliver_on(routes, screen)
        status = claim_status(sent.outcome)
        await messages.finish(self.db, *key, status=status, error=sent.error, now=utc_stamp(self.clock.now()))
        if sent.outcome is Outcome.SENT:
            self.result.sent[kind] = self.result.sent.get(kind, 0) + 1
        elif status == "failed":
            self.result.failed += 1

    async def _deliver_on(self, routes: list[Route], screen: Screen) -> Delivery:
        """The account used last first; the next only when that one is blocked or unknown
        there (certainly not delivered, so the claim still holds once)."""
        delivery = Delivery(Outcome.UNREACHABLE)
        for n, route in enumerate(routes):
            delivery = await deliver(
                self.throttle, route.chat_id,
                lambda route=route: route.bot.send_message(route.chat_id, screen.text,  # type: ignore[misc]
                                                           reply_markup=inline_markup(screen)),
                turn_taken=n == 0,
            )
            if delivery.outcome is Outcome.SENT or delivery.outcome is Outcome.UNCERTAIN:
                return delivery
            if delivery.outcome is not Outcome.UNREACHABLE and "not found" not in (delivery.error or "").lower():
                return delivery
        return delivery


# --- in the summaries -------------------------------------------------------------------------

SUMMARY_SILENT = 15


def meeting_lines(cells: list[CellMeetings], lang: str) -> list[str]:
    """The summary's section: meetings held and announced in the quarter, and the cells
    that announced none (a finding for the committee). Nothing while no cell of the scope
    has announced a meeting this quarter: the calendar is not in use there yet."""
    announced = sum(c.announced for c in cells)
    if not announced:
        return []
    with_meetings = sum(1 for c in cells if c.announced)
    lines = [t("meet.sum.head", lang, held=sum(c.held for c in cells), announced=announced, cells=len(cells),
               with_meetings=with_meetings)]
    silent = [c for c in cells if not c.announced]
    if silent:
        shown = [f"{_short(c.cell_name)} ({c.commune_name})" if c.commune_name else _short(c.cell_name)
                 for c in silent[:SUMMARY_SILENT]]
        more = t("meet.sum.more", lang, count=len(silent) - len(shown)) if len(silent) > len(shown) else ""
        lines.append(t("meet.sum.silent", lang, count=len(silent), cells=", ".join(shown)) + more)
    return lines


def _short(name: str) -> str:
    return name[len("chi bộ ") :] if name.lower().startswith("chi bộ ") else name
