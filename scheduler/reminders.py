"""The reminder sweep: who is due a visit reminder now, and sending each exactly once.

Reminders are derived from the database, not remembered in jobs: at any moment the
sweep asks ``schedule.current_slot`` which reminder of the quarter is due (start of the
quarter, N days before the end, the last day) and ``storage.reminders`` which
assignments still have no visit report and have not had that reminder. Running the
sweep again is always safe, so APScheduler runs it on start-up and every few minutes,
and a bot that was down catches up by simply running it when it is back.

One message per cadre and slot
------------------------------
A cadre assigned to two cells gets one reminder listing both (a button for each), not
two. The exactly-once bookkeeping stays per (cadre, cell, quarter, kind): a message's
claims are taken together and marked together.

Exactly once — the claim-before-send protocol, in batches
---------------------------------------------------------
1. *Claim*: one statement inserts the ``reminder_log`` rows of a batch of BATCH
   messages with status 'claimed' — or re-takes 'failed' ones. A row that exists in any
   other state ('sent', 'unreachable', or 'claimed') is somebody else's, and that cell is
   left out of the message (a message left with no cell is not sent). The claim also
   re-checks that each visit is still unreported.
2. *Send* the messages, at the throttle's pace.
3. *Mark* the batch in one transaction: 'sent' (or 'unreachable' after a 403, or
   'failed' when certainly not delivered, which a later sweep retries). Claims whose
   message was not sent at all (quiet hours began) are released.

A crash (or kill, or a lost answer from Telegram) between 1 and 3 leaves rows
'claimed'. Telegram has no idempotency key, so the bot cannot tell a crash before the
send from one after it. We choose **at most once**: a 'claimed' row is never sent
again, however old. A restart therefore never sends anything twice, and every due
reminder not claimed at the kill is still sent. The cost is that a kill can swallow
the messages claimed and not yet sent: at most IN_FLIGHT (about two batches), which is what
claiming a batch in one statement trades for a database cost of well under a
millisecond a reminder; the next slot (e.g. 7 days before the end, then the last day)
still reaches those cadres. ``baocao remind --dry-run`` lists such rows.

What is owed is storage/obligations.py's status *due*: an excused cadre, or one who owes
nothing for the quarter under the transfer rule, is not reminded (the claim checks it
again at the moment of sending).

The cell's secretary
--------------------
Right after a reminder is marked sent, when that cadre has now had
``BAOCAO_SECRETARY_AFTER`` reminders about the cell this quarter and still owes the
visit, the cell's secretary (when linked to the bot, and not the cadre themself) is told
once which committee member is due at their meeting: the same claim-before-send, under
reminder_log kind 'secretary'. A notice that failed is re-taken after the next reminder.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from telegram import Bot

from bot.config import Config
from bot.screens import inline_markup
from bot.texts import pick_language, text_variant
from domain.clock import Clock, utc_stamp
from domain.quarters import Quarter
from scheduler import meetings
from scheduler.reminder_plan import PAGE_SIZE, Plan, plan
from scheduler.reminder_texts import ReminderMessage, SlotTexts, by_cadre, cell_label, reminder_screen, secretary_text
from scheduler.routes import BotRegistry, Route, registry_of, routes_to_cadre, routes_to_cadres
from scheduler.schedule import Settings, Slot, current_slot, is_quiet
from scheduler.sending import Delivery, Outcome, Sleep, Throttle, claim_status, deliver
from scheduler.settings import load_settings
from storage import obligations
from storage import reminders as store
from storage.db import Database
from storage.obligations import TransferRule
from storage.reminders import KIND_SECRETARY, ReminderKey, ReminderTarget

# The texts and the operator's dry run have modules of their own; their names stay
# importable from here, where the callers have always found them.
__all__ = [
    "IN_FLIGHT", "Plan", "ReminderMessage", "ReminderTarget", "SweepResult", "cell_label", "plan",
    "reminder_screen", "secretary_text", "sweep",
]

log = logging.getLogger(__name__)

WORKERS = 8  # concurrent sends: enough to reach 30 a second over a slow link (~250 ms a send)
BATCH = 16  # messages claimed by one statement, and marked by one transaction
QUEUED = BATCH // 2  # claimed messages waiting for a worker, at most
# Messages claimed and not yet sent, at most: what a kill may swallow (a batch being
# queued, the queue, and one in each worker's hands).
IN_FLIGHT = BATCH + QUEUED + WORKERS


@dataclass
class SweepResult:
    """What one sweep did, for the log and the tests."""

    kind: str | None = None
    quarter: str | None = None
    quiet: bool = False
    sent: int = 0
    unreachable: int = 0
    failed: int = 0
    uncertain: int = 0
    skipped: int = 0  # claimed by someone else meanwhile, or reported meanwhile
    stopped: bool = False  # quiet hours began, the quarter ended, or the bot is stopping
    secretaries: int = 0  # secretaries told which committee member is still due

    def count(self, outcome: Outcome) -> None:
        name = {Outcome.MIGRATED: "failed"}.get(outcome, outcome.value)
        setattr(self, name, getattr(self, name) + 1)


async def sweep(
    bot: Bot | BotRegistry,
    db: Database,
    config: Config,
    clock: Clock,
    *,
    sleep: Sleep = asyncio.sleep,
    throttle: Throttle | None = None,
    keep_going: Callable[[], bool] = lambda: True,
    workers: int = WORKERS,
) -> SweepResult:
    """Sends every reminder due now that has not been sent; safe to run at any time.

    ``bot``: a Telegram bot, or the registry of every messenger's bot of the process
    (``bot_data.channels``): each cadre is reminded on the account they used last, then
    on the other when that one is blocked or unknown (scheduler/routes.py).
    """
    settings = await load_settings(db, config)
    now = clock.now().astimezone(settings.tz)
    slot = current_slot(now, settings)
    result = SweepResult()
    if slot is None:
        return result
    result.kind, result.quarter = slot.kind, slot.quarter.key
    if is_quiet(now, settings):
        result.quiet = True
        return result
    rule = await obligations.transfer_rule(db)
    texts = SlotTexts(slot, now.date(), settings.calendar)
    sender = _Sender(
        registry_of(bot), db, config, clock, slot, throttle or Throttle(clock, sleep), result, settings, rule, texts
    )
    async for messages in _due_messages(db, slot, now.date(), rule):
        await sender.fan_out(messages, workers, keep_going)
        if result.stopped:
            break
    if result.sent or result.unreachable or result.failed or result.uncertain or result.stopped:
        log.info(
            "reminder sweep %s %s: %d sent, %d unreachable, %d failed, %d uncertain, %d secretaries told%s",
            result.quarter, result.kind, result.sent, result.unreachable, result.failed,
            result.uncertain, result.secretaries, " (stopped)" if result.stopped else "",
        )
    return result


@dataclass
class _Sender:
    bots: BotRegistry
    db: Database
    config: Config
    clock: Clock
    slot: Slot
    throttle: Throttle
    result: SweepResult
    settings: Settings
    rule: TransferRule
    texts: SlotTexts  # the slot's lines that are the same for everyone, made once
    keep_going: Callable[[], bool] = lambda: True
    coming: dict[int, datetime] = field(default_factory=dict)  # cells' next meetings (scheduler/meetings.py)

    def may_send(self) -> bool:
        """Still the same quarter, and not the quiet hours (a fan-out can take an hour)."""
        now = self.clock.now().astimezone(self.settings.tz)
        return Quarter.of(now.date()) == self.slot.quarter and not is_quiet(now, self.settings)

    async def fan_out(self, messages: list[ReminderMessage], workers: int, keep_going: Callable[[], bool]) -> None:
        """One page of messages: claims BATCH at a time and sends them with a few workers;
        the next batch is claimed while the last of one is still going out, so the
        throttle never waits for the database, and each batch is marked once its sends
        are done.

        The page's routes and the next meetings of its cells are read once, before any
        claim, so that no claimed message waits on them: three queries a page rather
        than a batch. A cadre linked only on a messenger this process does not serve is
        left unclaimed, for the process that serves it."""
        self.keep_going = keep_going
        self.coming = await meetings.next_starts(
            self.db, list({each.cell_id for m in messages for each in m.targets}),
            self.clock.now().astimezone(self.settings.tz),
        )
        routes = await routes_to_cadres(self.db, self.bots, [message.cadre.cadre_id for message in messages])
        reachable = [message for message in messages if routes.get(message.cadre.cadre_id)]
        self.result.skipped += len(messages) - len(reachable)
        # Half a batch waits in the queue at most: a claim is a promise to send soon.
        queue: asyncio.Queue[tuple[ReminderMessage, list[Route], _Batch] | None] = asyncio.Queue(maxsize=QUEUED)

        async def claim() -> None:
            for start in range(0, len(reachable), BATCH):
                if self.result.stopped or not keep_going() or not self.may_send():
                    self.result.stopped = True
                    break
                batch = reachable[start : start + BATCH]
                taken = await store.claim_batch(
                    self.db, [pair for message in batch for pair in message.pairs], quarter=self.slot.quarter.key,
                    kind=self.slot.kind, now=self._stamp(), today=self._today(), rule=self.rule,
                )
                claimed = [kept for message in batch if (kept := message.only(taken)) is not None]
                self.result.skipped += len(batch) - len(claimed)
                tracker = _Batch(len(claimed))
                for message in claimed:
                    await queue.put((message, routes[message.cadre.cadre_id], tracker))
            for _ in range(workers):
                await queue.put(None)

        async def work() -> None:
            while (item := await queue.get()) is not None:
                await self.remind(*item)

        async with asyncio.TaskGroup() as group:
            group.create_task(claim())
            for _ in range(workers):
                group.create_task(work())

    async def remind(self, message: ReminderMessage, routes: list[Route], batch: _Batch) -> None:
        """Sends one claimed message, after its turn, unless sending stopped meanwhile (its
        claims are then released); the last message of a batch marks the batch."""
        target = message.cadre
        turn = await self.throttle.turn(routes[0].chat_id)
        if self.result.stopped or not self.keep_going() or not self.may_send():
            self.result.stopped = True
            batch.outcome.released += message.pairs
        else:
            lang = pick_language(target.language, None, self.config.default_language)
            coming = {each.cell_id: self.coming[each.cell_id] for each in message.targets if each.cell_id in self.coming}

            def send(route: Route) -> Awaitable[object]:
                # Written for the route's messenger: "press" on Telegram, "type" on Zalo.
                token = text_variant.set(None if route.channel == "telegram" else route.channel)
                try:
                    screen = reminder_screen(
                        message, self.slot, self.texts.today, lang, self.settings.calendar, coming, self.texts
                    )
                finally:
                    text_variant.reset(token)
                return route.bot.send_message(route.chat_id, screen.text, reply_markup=inline_markup(screen))

            delivery = await self.deliver_on(routes, send, turn)
            self.record(message, delivery, batch.outcome)
            if delivery.outcome is Outcome.SENT:
                batch.sent.append(message)
        batch.pending -= 1
        if batch.pending == 0:
            await store.finish_batch(
                self.db, batch.outcome, quarter=self.slot.quarter.key, kind=self.slot.kind, now=self._stamp()
            )
            await self.tell_secretaries(batch.sent)

    async def tell_secretaries(self, sent: list[ReminderMessage]) -> None:
        """After a batch: the secretaries due a notice (one query says which), one by one."""
        if not self.config.secretary_after or not sent:
            return
        targets = {(t.cadre_id, t.cell_id): t for message in sent for t in message.targets}
        due = await store.secretary_candidates(
            self.db, list(targets), quarter=self.slot.quarter.key, after=self.config.secretary_after
        )
        for pair in due:
            if self.result.stopped:
                return
            await self.tell_secretary(targets[pair])

    async def tell_secretary(self, target: ReminderTarget) -> None:
        """After the N-th reminder with no report: the cell's secretary, once (see the
        module docstring).

        Claimed before waiting for a sending turn (the claim is what says whether there
        is anything to send at all); if the wait runs into the quiet hours the claim is
        released as certainly not sent, and the next reminder re-takes it.
        """
        if not self.config.secretary_after:
            return
        key = ReminderKey(target.cadre_id, target.cell_id, self.slot.quarter.key, KIND_SECRETARY)
        notice = await store.claim_secretary(
            self.db, key, after=self.config.secretary_after, now=self._stamp(), today=self._today(), rule=self.rule
        )
        if notice is None:
            return
        routes = await routes_to_cadre(self.db, self.bots, notice.cadre_id)
        if not routes:
            await store.finish_secretary(self.db, key, status="unreachable", error="no account here", now=self._stamp())
            return
        turn = await self.throttle.turn(routes[0].chat_id)
        if not self.may_send():
            await store.finish_secretary(self.db, key, status="failed", error="quiet hours", now=self._stamp())
            self.result.stopped = True
            return
        lang = pick_language(notice.language, None, self.config.default_language)
        text = secretary_text(target, self.slot.quarter, self._today(), lang, self.settings.calendar)
        delivery = await self.deliver_on(routes, lambda route: route.bot.send_message(route.chat_id, text), turn)
        await store.finish_secretary(
            self.db, key, status=claim_status(delivery.outcome), error=delivery.error, now=self._stamp()
        )
        if delivery.outcome is Outcome.SENT:
            self.result.secretaries += 1
        else:
            log.info("notice to the secretary of cell %s: %s (%s)", key.cell_id, delivery.outcome, delivery.error)

    async def deliver_on(
        self, routes: list[Route], send: Callable[[Route], Awaitable[object]], turn: float
    ) -> Delivery:
        """The account used last first; the next one only when that one is blocked or
        unknown there (certainly not delivered, so the claim still holds once)."""
        delivery = Delivery(Outcome.UNREACHABLE)
        for n, route in enumerate(routes):
            taken = turn if n == 0 else False  # the first route's turn is taken: the time it was
            delivery = await deliver(self.throttle, route.chat_id, lambda route=route: send(route), turn_taken=taken)
            if delivery.outcome is not Outcome.UNREACHABLE and not _not_found(delivery):
                return delivery
        return delivery

    def record(self, message: ReminderMessage, delivery: Delivery, outcome: store.BatchOutcome) -> None:
        self.result.count(delivery.outcome)
        error = delivery.error or ""
        pairs = message.pairs
        if delivery.outcome is Outcome.SENT:
            outcome.sent += pairs
        elif delivery.outcome is Outcome.UNREACHABLE:
            outcome.unreachable += [(pair, error) for pair in pairs]
            log.info("cadre %s unreachable: %s", message.cadre.cadre_id, error)
        elif delivery.outcome is Outcome.UNCERTAIN:
            outcome.uncertain += [(pair, error) for pair in pairs]
            log.warning("reminder to cadre %s may or may not have arrived (%s); not resent", message.cadre.cadre_id, error)
        else:
            outcome.failed += [(pair, error) for pair in pairs]
            log.warning("reminder to cadre %s failed (%s); a later sweep retries it", message.cadre.cadre_id, error)

    def _stamp(self) -> str:
        return utc_stamp(self.clock.now())

    def _today(self) -> date:
        return self.clock.now().astimezone(self.settings.tz).date()


@dataclass
class _Batch:
    """A claimed batch on its way: how many of its messages are still to go, and how
    those that went did (marked together when the last one is done)."""

    pending: int
    outcome: store.BatchOutcome = field(default_factory=store.BatchOutcome)
    sent: list[ReminderMessage] = field(default_factory=list)


async def _due_messages(
    db: Database, slot: Slot, today: date, rule: TransferRule
) -> AsyncIterator[list[ReminderMessage]]:
    """The due reminders a page at a time, as one message per cadre: a page that ends in
    the middle of a cadre's cells leaves that cadre to the next page."""
    after = (0, 0)
    while page := await store.due_targets(
        db, quarter=slot.quarter.key, kind=slot.kind, today=today, after=after, limit=PAGE_SIZE, rule=rule
    ):
        messages = by_cadre(page)
        if len(page) == PAGE_SIZE and len(messages) > 1:
            messages.pop()  # may go on in the next page
        last = messages[-1].targets[-1]
        after = (last.cadre_id, last.cell_id)
        yield messages


def _not_found(delivery: Delivery) -> bool:
    return delivery.outcome is Outcome.FAILED and "not found" in (delivery.error or "").lower()
