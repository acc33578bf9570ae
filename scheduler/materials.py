"""Sending materials to the cells, and reminding cells that have not confirmed them.

Like the visit reminders (scheduler/reminders.py), nothing is remembered in jobs: a sweep
asks storage/materials.py which deliveries are still to send and which cells are due a
reminder, and claims each one just before sending it — claim, send, mark — so a row is
sent at most once whatever crashes or overlapping sweeps happen, and a certainly-failed
one is retried by a later sweep. Sends go through the reminders' Throttle (one shared
object in scheduler/jobs.py) and never in the quiet hours or on days off.

The file is sent by the file id the bot already has from the admin (the one upload);
if the channel hands back another id for the first copy sent, that one is kept and
reused for the rest. A cell with no secretary or assigned cadre on the bot stays pending
and goes out once someone links.

A cell that has not pressed «✅ Đã nhận» ``material_remind_after`` working days after
its copy went out is reminded once (the same claim, on the row's reminder columns).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from telegram import Bot, Message

from bot.config import Config
from bot.screens import Option, Screen, inline_markup
from bot.texts import pick_language, t
from domain.callbacks import CB_MATERIAL_RECEIVED
from domain.clock import Clock, parse_stamp, utc_stamp
from domain.dates import format_date
from domain.workdays import WorkCalendar
from scheduler.schedule import Settings, is_quiet
from scheduler.sending import Outcome, Sleep, Throttle, deliver
from scheduler.settings import load_settings
from storage import materials as store
from storage.db import Database
from storage.materials import Delivery, Receipt

log = logging.getLogger(__name__)

PAGE_SIZE = 200
WORKERS = 4
KEEP_SENDING_DAYS = 90  # a material not delivered within this many days is given up
SUMMARY_MATERIALS = 5
SUMMARY_MISSING = 15

_STATUS = {Outcome.SENT: "sent", Outcome.UNREACHABLE: "unreachable", Outcome.UNCERTAIN: "claimed"}


@dataclass
class MaterialResult:
    sent: int = 0
    reminded: int = 0
    unreachable: int = 0
    failed: int = 0
    skipped: int = 0
    quiet: bool = False
    stopped: bool = False


def cell_label(delivery: Delivery) -> str:
    return f"{delivery.cell_name} ({delivery.commune_name})" if delivery.commune_name else delivery.cell_name


def received_button(delivery: Delivery, lang: str) -> Option:
    return Option(t("tl.btn.received", lang), f"{CB_MATERIAL_RECEIVED}{delivery.material.id}:{delivery.cell_id}")


def _link(delivery: Delivery, lang: str) -> str:
    return t("tl.link", lang, url=delivery.material.url) if delivery.material.url else ""


def material_screen(delivery: Delivery, lang: str) -> Screen:
    """What a cell gets: the title, the cell, the link (or the file it captions), a button."""
    text = t("tl.message", lang, title=delivery.material.title, cell=cell_label(delivery), link=_link(delivery, lang))
    return Screen.of(text, received_button(delivery, lang))


def reminder_screen(delivery: Delivery, lang: str, tz: object) -> Screen:
    sent = parse_stamp(delivery.sent_at).astimezone(tz).date() if delivery.sent_at else None  # type: ignore[arg-type]
    text = t(
        "tl.reminder", lang, cell=cell_label(delivery), title=delivery.material.title,
        date=format_date(sent) if sent else "", link=_link(delivery, lang),
    )
    return Screen.of(text, received_button(delivery, lang))


def sent_by(today: date, working_days: int, calendar: WorkCalendar) -> date:
    """The last day a copy may have gone out and be due its reminder today: ``working_days``
    working days have passed since (today counted when it is one)."""
    day, counted = today, 0
    while counted < working_days:
        counted += calendar.is_working_day(day)
        day -= timedelta(days=1)
    return day


async def sweep(
    bot: Bot,
    db: Database,
    config: Config,
    clock: Clock,
    *,
    sleep: Sleep = asyncio.sleep,
    throttle: Throttle | None = None,
    keep_going: Callable[[], bool] = lambda: True,
) -> MaterialResult:
    """Sends every delivery still to send, then the reminders due; safe to run any time."""
    settings = await load_settings(db, config)
    now = clock.now().astimezone(settings.tz)
    result = MaterialResult()
    if is_quiet(now, settings):
        result.quiet = True
        return result
    sender = _Sender(bot, db, clock, throttle or Throttle(clock, sleep), result, config, settings, keep_going)
    since = utc_stamp(now - timedelta(days=KEEP_SENDING_DAYS))
    today = now.date().isoformat()
    after = (0, 0)
    while not result.stopped and (
        page := await store.to_send(db, today=today, since=since, after=after, limit=PAGE_SIZE)
    ):
        after = (page[-1].material.id, page[-1].cell_id)
        await sender.fan_out(page, sender.send)
    if config.material_remind_after and not result.stopped:
        last_day = sent_by(now.date(), config.material_remind_after, settings.calendar)
        cutoff = utc_stamp(datetime.combine(last_day + timedelta(days=1), time(0), settings.tz))
        after = (0, 0)
        while not result.stopped and (
            page := await store.to_remind(db, sent_by=cutoff, since=since, after=after, limit=PAGE_SIZE)
        ):
            after = (page[-1].material.id, page[-1].cell_id)
            await sender.fan_out(page, sender.remind)
    if result.sent or result.reminded or result.failed or result.unreachable:
        log.info("materials: %d sent, %d reminded, %d unreachable, %d failed", result.sent, result.reminded,
                 result.unreachable, result.failed)
    return result


@dataclass
class _Sender:
    bot: Bot
    db: Database
    clock: Clock
    throttle: Throttle
    result: MaterialResult
    config: Config
    settings: Settings
    keep_going: Callable[[], bool]

    async def fan_out(self, deliveries: Iterable[Delivery], act: Callable[[Delivery], object]) -> None:
        items = iter(deliveries)

        async def work() -> None:
            for delivery in items:
                if self.result.stopped or not self.keep_going() or is_quiet(self.clock.now(), self.settings):
                    self.result.stopped = True
                    return
                await act(delivery)  # type: ignore[misc]

        async with asyncio.TaskGroup() as group:
            for _ in range(WORKERS):
                group.create_task(work())

    def _stamp(self) -> str:
        return utc_stamp(self.clock.now())

    async def send(self, delivery: Delivery) -> None:
        """Claim, send (by file id: uploaded once), mark."""
        key = (delivery.material.id, delivery.cell_id)
        await self.throttle.turn(delivery.telegram_id)
        if not await store.claim_send(self.db, *key, delivery.recipient_id, now=self._stamp()):
            self.result.skipped += 1
            return
        material = await store.get(self.db, delivery.material.id) or delivery.material  # the file id may be newer
        lang = pick_language(delivery.language, None, self.config.default_language)
        screen = material_screen(delivery, lang)
        sent = await deliver(
            self.throttle, delivery.telegram_id, lambda: self._send_one(material, delivery.telegram_id, screen),
            turn_taken=True,
        )
        status = _STATUS.get(sent.outcome, "failed")
        await store.finish_send(self.db, *key, status=status, error=sent.error, now=self._stamp())
        self._count(sent.outcome, reminder=False)
        if sent.outcome is Outcome.SENT and material.kind != "link":
            await self._keep_file_id(material, sent.result)

    async def _send_one(self, material: store.Material, chat_id: int, screen: Screen) -> Message:
        """The file with the screen as its caption, or, for a link, the screen alone."""
        markup = inline_markup(screen)
        if material.kind == "document":
            return await self.bot.send_document(chat_id, document=material.file_id, caption=screen.text,
                                                reply_markup=markup)
        if material.kind == "photo":
            return await self.bot.send_photo(chat_id, photo=material.file_id, caption=screen.text, reply_markup=markup)
        return await self.bot.send_message(chat_id, screen.text, reply_markup=markup)

    async def _keep_file_id(self, material: store.Material, message: object) -> None:
        if not isinstance(message, Message):
            return
        if message.document is not None:
            file_id = message.document.file_id
        elif message.photo:
            file_id = message.photo[-1].file_id
        else:
            return
        if file_id and file_id != material.file_id:
            await store.use_file_id(self.db, material.id, file_id)

    async def remind(self, delivery: Delivery) -> None:
        await self.throttle.turn(delivery.telegram_id)
        if not await store.claim_reminder(self.db, delivery.material.id, delivery.cell_id, now=self._stamp()):
            self.result.skipped += 1
            return
        lang = pick_language(delivery.language, None, self.config.default_language)
        screen = reminder_screen(delivery, lang, self.config.tz)
        sent = await deliver(
            self.throttle, delivery.telegram_id,
            lambda: self.bot.send_message(delivery.telegram_id, screen.text, reply_markup=inline_markup(screen)),
            turn_taken=True,
        )
        status = _STATUS.get(sent.outcome, "failed")
        await store.finish_reminder(self.db, delivery.material.id, delivery.cell_id, status=status)
        self._count(sent.outcome, reminder=True)

    def _count(self, outcome: Outcome, *, reminder: bool) -> None:
        if outcome is Outcome.SENT:
            if reminder:
                self.result.reminded += 1
            else:
                self.result.sent += 1
        elif outcome is Outcome.UNREACHABLE:
            self.result.unreachable += 1
        elif outcome is not Outcome.UNCERTAIN:
            self.result.failed += 1


# --- in the summaries -------------------------------------------------------------------------


def _short(name: str) -> str:
    return name[len("chi bộ ") :] if name.lower().startswith("chi bộ ") else name


def receipt_lines(receipts: list[Receipt], lang: str, tz: object) -> list[str]:
    """The summary's section: each material's receipt rate and the cells not confirmed."""
    if not receipts:
        return []
    lines = [t("tl.sum.head", lang, count=len(receipts))]
    for receipt in receipts[:SUMMARY_MATERIALS]:
        day = parse_stamp(receipt.created_at).astimezone(tz).date()  # type: ignore[arg-type]
        lines.append(t("tl.sum.line", lang, title=receipt.title, date=format_date(day), received=receipt.received,
                       cells=receipt.cells, pct=receipt.percent))
        if receipt.missing:
            shown = [
                f"{_short(cell)} ({commune})" if commune else _short(cell)
                for cell, commune in receipt.missing[:SUMMARY_MISSING]
            ]
            more = receipt.cells - receipt.received - len(shown)
            tail = t("tl.sum.more", lang, count=more) if more > 0 else ""
            lines.append(t("tl.sum.missing", lang, cells=", ".join(shown)) + tail)
    return lines
