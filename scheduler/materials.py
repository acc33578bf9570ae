"""Sending materials to the cells, and reminding cells that have not confirmed them.

Like the visit reminders (scheduler/reminders.py), nothing is remembered in jobs: a sweep
asks storage/materials.py which deliveries are still to send and which cells are due a
reminder, and claims each one just before sending it — claim, send, mark — so a row is
sent at most once whatever crashes or overlapping sweeps happen, and a certainly-failed
one is retried by a later sweep. Sends go through the reminders' Throttle (one shared
object in scheduler/jobs.py) and never in the quiet hours or on days off.

Each copy goes to the recipient's messenger used last (scheduler/routes.py, as
reminders do), then to their other one if that one is blocked. On the messenger the
admin uploaded it on, the file is sent by the file id that bot already has (the one
upload); if the channel hands back another id for the first copy sent, that one is kept
and reused for the rest. On another messenger the bytes are fetched once per sweep
through the uploading bot and sent as a file — on Zalo, which takes no files, the
channel turns that into a link under BAOCAO_PUBLIC_URL (bot/channels/zalo/outgoing.py)
or says where to get it. A cell with no secretary or assigned cadre on the bot stays
pending and goes out once someone links.

A cell that has not pressed «✅ Đã nhận» ``material_remind_after`` working days after
its copy went out is reminded once (the same claim, on the row's reminder columns).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from telegram import Bot, InputFile, Message
from telegram.error import TelegramError

from bot.config import Config
from bot.screens import Option, Screen, inline_markup
from bot.texts import pick_language, t, text_variant
from domain.callbacks import CB_MATERIAL_RECEIVED
from domain.clock import Clock, parse_stamp, utc_stamp
from domain.dates import format_date
from domain.workdays import WorkCalendar
from scheduler.routes import BotRegistry, Route, deliver_on, registry_of, routes_to_cadre
from scheduler.schedule import Settings, is_quiet
from scheduler.sending import Outcome, Sleep, Throttle, claim_status, describe
from scheduler.settings import load_settings
from storage import materials as store
from storage.accounts import TELEGRAM
from storage.db import Database
from storage.materials import Delivery, Receipt

log = logging.getLogger(__name__)

PAGE_SIZE = 200
WORKERS = 4
KEEP_SENDING_DAYS = 90  # a material not delivered within this many days is given up
SUMMARY_MATERIALS = 5
SUMMARY_MISSING = 15

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


def worded_for(route: Route, make: Callable[[], Screen]) -> Screen:
    """A screen written for the route's messenger: "press" on Telegram, "type" on Zalo."""
    token = text_variant.set(None if route.channel == TELEGRAM else route.channel)
    try:
        return make()
    finally:
        text_variant.reset(token)


def material_screen_on(route: Route, delivery: Delivery, lang: str) -> Screen:
    return worded_for(route, lambda: material_screen(delivery, lang))


def file_name(material: store.Material) -> str:
    """The name the file goes by where it is sent as bytes (a photo has none of its own)."""
    if material.file_name:
        return material.file_name
    return f"{material.title[:60]}.jpg" if material.kind == "photo" else material.title[:60]


def sent_by(today: date, working_days: int, calendar: WorkCalendar) -> date:
    """The last day a copy may have gone out and be due its reminder today: ``working_days``
    working days have passed since (today counted when it is one)."""
    day, counted = today, 0
    while counted < working_days:
        counted += calendar.is_working_day(day)
        day -= timedelta(days=1)
    return day


async def sweep(
    bots: Bot | BotRegistry,
    db: Database,
    config: Config,
    clock: Clock,
    *,
    sleep: Sleep = asyncio.sleep,
    throttle: Throttle | None = None,
    keep_going: Callable[[], bool] = lambda: True,
) -> MaterialResult:
    """Sends every delivery still to send, then the reminders due; safe to run any time.

    ``bots``: every messenger's bot (``BotData.channels``), or one bot (Telegram's)."""
    settings = await load_settings(db, config)
    now = clock.now().astimezone(settings.tz)
    result = MaterialResult()
    if is_quiet(now, settings):
        result.quiet = True
        return result
    sender = _Sender(registry_of(bots), db, clock, throttle or Throttle(clock, sleep), result, config, settings,
                     keep_going)
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
    bots: BotRegistry
    db: Database
    clock: Clock
    throttle: Throttle
    result: MaterialResult
    config: Config
    settings: Settings
    keep_going: Callable[[], bool]
    # A material's bytes, fetched at most once per sweep through the bot that holds them.
    _files: dict[int, bytes | None] = field(default_factory=dict)
    _fetching: asyncio.Lock = field(default_factory=asyncio.Lock)

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

    async def _routes(self, delivery: Delivery) -> list[Route]:
        """Where the recipient is reached; none when they are linked only on a messenger
        this process does not serve (the row then waits, unclaimed)."""
        routes = await routes_to_cadre(self.db, self.bots, delivery.recipient_id)
        if not routes:
            self.result.skipped += 1
        return routes

    async def send(self, delivery: Delivery) -> None:
        """Claim, send (by file id on the uploading messenger: uploaded once), mark."""
        key = (delivery.material.id, delivery.cell_id)
        routes = await self._routes(delivery)
        if not routes:
            return
        await self.throttle.turn(routes[0].chat_id)
        if not await store.claim_send(self.db, *key, delivery.recipient_id, now=self._stamp()):
            self.result.skipped += 1
            return
        material = await store.get(self.db, delivery.material.id) or delivery.material  # the file id may be newer
        lang = pick_language(delivery.language, None, self.config.default_language)
        route, sent = await deliver_on(
            self.throttle, routes, lambda route: self._send_one(material, route, material_screen_on(route, delivery, lang), lang)
        )
        status = claim_status(sent.outcome)
        await store.finish_send(self.db, *key, status=status, error=sent.error, now=self._stamp())
        self._count(sent.outcome, reminder=False)
        kept_here = route is not None and route.channel == material.channel == TELEGRAM
        if sent.outcome is Outcome.SENT and material.kind != "link" and kept_here:
            await self._keep_file_id(material, sent.result)

    async def _send_one(self, material: store.Material, route: Route, screen: Screen, lang: str) -> Message:
        """The file with the screen as its caption, or, for a link, the screen alone."""
        bot, chat_id, markup = route.bot, route.chat_id, inline_markup(screen)
        if material.kind == "link":
            return await bot.send_message(chat_id, screen.text, reply_markup=markup)
        if route.channel != material.channel:
            return await self._send_bytes(material, route, screen, lang)
        if material.kind == "document":
            return await bot.send_document(chat_id, document=material.file_id, caption=screen.text,
                                           reply_markup=markup)
        return await bot.send_photo(chat_id, photo=material.file_id, caption=screen.text, reply_markup=markup)

    async def _send_bytes(self, material: store.Material, route: Route, screen: Screen, lang: str) -> Message:
        """On a messenger other than the uploader's: the file's bytes, or, when the bot
        that holds them is not in this process, the screen and where to get the file."""
        data = await self._bytes(material)
        markup = inline_markup(screen)
        if data is None:
            text = screen.text + "\n\n" + t("tl.file_elsewhere", lang, name=file_name(material))
            return await route.bot.send_message(route.chat_id, text, reply_markup=markup)
        return await route.bot.send_document(
            route.chat_id, document=InputFile(data, filename=file_name(material)), caption=screen.text,
            reply_markup=markup,
        )

    async def _bytes(self, material: store.Material) -> bytes | None:
        async with self._fetching:
            if material.id not in self._files:
                self._files[material.id] = await self._fetch(material)
            return self._files[material.id]

    async def _fetch(self, material: store.Material) -> bytes | None:
        origin = self.bots.bot(material.channel)
        if origin is None or not material.file_id:
            log.warning("material %s: its file is on %s, which this process does not serve; cells on other "
                        "messengers are told where to get it", material.id, material.channel)
            return None
        try:
            handle = await origin.get_file(material.file_id)
            return bytes(await handle.download_as_bytearray())
        except TelegramError as error:
            log.warning("material %s: its file could not be fetched (%s)", material.id, describe(error))
            return None

    async def _keep_file_id(self, material: store.Material, message: object) -> None:
        """Telegram only: the file id it hands back can be sent again. The Zalo channel's
        ids of what it sent ("zalo-out-…") cannot, and would lose the file for every later cell."""
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
        routes = await self._routes(delivery)
        if not routes:
            return
        await self.throttle.turn(routes[0].chat_id)
        if not await store.claim_reminder(self.db, delivery.material.id, delivery.cell_id, now=self._stamp()):
            self.result.skipped += 1
            return
        lang = pick_language(delivery.language, None, self.config.default_language)

        def send(route: Route) -> Awaitable[Message]:
            screen = worded_for(route, lambda: reminder_screen(delivery, lang, self.config.tz))
            return route.bot.send_message(route.chat_id, screen.text, reply_markup=inline_markup(screen))

        _, sent = await deliver_on(self.throttle, routes, send)
        status = claim_status(sent.outcome)
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
