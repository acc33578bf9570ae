"""The reminder sweep: who is due a visit reminder now, and sending each exactly once.

Reminders are derived from the database, not remembered in jobs: at any moment the
sweep asks ``schedule.current_slot`` which reminder of the quarter is due (start of the
quarter, N days before the end, the last day) and ``storage.reminders`` which
assignments still have no visit report and have not had that reminder. Running the
sweep again is always safe, so APScheduler runs it on start-up and every few minutes,
and a bot that was down catches up by simply running it when it is back.

Exactly once — the claim-before-send protocol
---------------------------------------------
1. *Claim*: in one transaction, insert the ``reminder_log`` row for (cadre, cell,
   quarter, kind) with status 'claimed' — or re-take a 'failed' one. If the row exists
   in any other state ('sent', 'unreachable', or 'claimed'), somebody already owns it,
   and nothing is sent. The claim also re-checks that the visit is still unreported.
2. *Send* the message.
3. *Mark* the row 'sent' (or 'unreachable' after a 403, or 'failed' when it was
   certainly not delivered, which a later sweep retries).

A crash (or kill, or a lost answer from Telegram) between 1 and 3 leaves the row
'claimed'. Telegram has no idempotency key, so the bot cannot tell a crash before the
send from one after it. We choose **at most once** for that one in-flight reminder: a
'claimed' row is never sent again, however old. A restart therefore never sends
anything twice, and every *other* due reminder is still sent, because each is claimed
only just before its own send. The cost is that a crash can swallow the one reminder
in flight per sending worker; the next slot (e.g. 7 days before the end, then the last
day) still reaches that cadre. ``baocao remind --dry-run`` lists such rows.

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
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from telegram import Bot

from domain.clock import Clock, utc_stamp
from bot.config import Config
from domain.dates import format_date
from domain.quarters import Quarter
from bot.screens import Option, Screen, inline_markup
from bot.texts import pick_language, t
from domain.workdays import WorkCalendar
from domain.callbacks import CB_START_FOR_CELL
from scheduler.routes import BotRegistry, Route, registry_of, routes_to_cadre
from scheduler.schedule import KIND_LAST, KIND_START, Settings, Slot, current_slot, is_quiet
from scheduler.sending import Delivery, Outcome, Sleep, Throttle, deliver
from scheduler.settings import load_settings
from storage import obligations
from storage import reminders as store
from storage.db import Database
from storage.obligations import TransferRule
from storage.reminders import KIND_SECRETARY, ReminderKey, ReminderTarget

log = logging.getLogger(__name__)

PAGE_SIZE = 500
WORKERS = 4  # concurrent sends: enough to reach 30 a second over a slow link


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


def cell_label(target: ReminderTarget) -> str:
    return f"{target.cell_name} ({target.commune_name})" if target.commune_name else target.cell_name


def _days_left(quarter: Quarter, today: date, calendar: WorkCalendar, lang: str) -> str:
    """'Còn 30 ngày, đến hết ngày 31/12/2026 (22 ngày làm việc).'"""
    return t(
        "sched.remind.days_left", lang, days=quarter.days_left(today), end=format_date(quarter.last_day),
        workdays=calendar.working_days_between(today, quarter.last_day),
    )


def reminder_screen(
    target: ReminderTarget, slot: Slot, today: date, lang: str, calendar: WorkCalendar | None = None
) -> Screen:
    """The reminder: why now, which cell, when it meets, how long is left (in days and in
    working days), and a button."""
    calendar = calendar or WorkCalendar()
    quarter = slot.quarter
    left = quarter.days_left(today)
    if slot.kind == KIND_START:
        lead = t("sched.remind.lead.start", lang, quarter=quarter.label(lang))
    elif slot.kind == KIND_LAST and today >= quarter.last_day:
        lead = t("sched.remind.lead.last", lang, quarter=quarter.label(lang))
    elif slot.kind == KIND_LAST:  # the quarter ends on a day off: its last working day
        lead = t("sched.remind.lead.last_working", lang, quarter=quarter.label(lang))
    else:
        lead = t("sched.remind.lead.before", lang, days=left, quarter=quarter.label(lang))
    lines = [lead, "", t("sched.remind.body", lang, cell=cell_label(target))]
    if target.meeting_day:
        lines.append(t("sched.remind.meeting_day", lang, day=target.meeting_day))
    lines.append(_days_left(quarter, today, calendar, lang))
    lines += ["", t("sched.remind.action", lang)]
    button = Option(t("sched.btn.report_now", lang), f"{CB_START_FOR_CELL}{target.cell_id}")
    return Screen.of("\n".join(lines), button)


def secretary_text(target: ReminderTarget, quarter: Quarter, today: date, lang: str, calendar: WorkCalendar) -> str:
    """To a cell's secretary: which committee member still owes this quarter's visit."""
    return "\n".join([
        t("sched.secretary.lead", lang, cadre=target.cadre_name, cell=cell_label(target),
          quarter=quarter.label(lang)),
        _days_left(quarter, today, calendar, lang),
        "",
        t("sched.secretary.action", lang),
    ])


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
    sender = _Sender(registry_of(bot), db, config, clock, slot, throttle or Throttle(clock, sleep), result, settings, rule)
    after = (0, 0)
    while not result.stopped:
        page = await store.due_targets(
            db, quarter=slot.quarter.key, kind=slot.kind, today=now.date(), after=after, limit=PAGE_SIZE,
            rule=rule,
        )
        if not page:
            break
        after = (page[-1].cadre_id, page[-1].cell_id)
        await sender.fan_out(iter(page), workers, keep_going)
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

    def may_send(self) -> bool:
        """Still the same quarter, and not the quiet hours (a fan-out can take an hour)."""
        now = self.clock.now().astimezone(self.settings.tz)
        return Quarter.of(now.date()) == self.slot.quarter and not is_quiet(now, self.settings)

    async def fan_out(
        self, targets: Iterator[ReminderTarget], workers: int, keep_going: Callable[[], bool]
    ) -> None:
        """A few workers take targets from one shared iterator, one at a time."""

        async def work() -> None:
            for target in targets:
                if self.result.stopped or not keep_going() or not self.may_send():
                    self.result.stopped = True
                    return
                await self.remind(target)

        async with asyncio.TaskGroup() as group:
            for _ in range(workers):
                group.create_task(work())

    async def remind(self, target: ReminderTarget) -> None:
        # Wait for a sending slot first, and claim only if sending is still allowed after
        # the wait: a claimed row is a promise to send now.
        routes = await routes_to_cadre(self.db, self.bots, target.cadre_id)
        if not routes:
            self.result.skipped += 1  # linked only on a messenger this process does not serve
            return
        await self.throttle.turn(routes[0].chat_id)
        if not self.may_send():
            self.result.stopped = True
            return
        key = target.key(self.slot.quarter.key, self.slot.kind)
        if await store.claim(self.db, key, now=self._stamp(), today=self._today(), rule=self.rule) is None:
            self.result.skipped += 1
            return
        lang = pick_language(target.language, None, self.config.default_language)
        screen = reminder_screen(target, self.slot, self._today(), lang, self.settings.calendar)
        delivery = await self.deliver_on(
            routes, lambda route: route.bot.send_message(route.chat_id, screen.text, reply_markup=inline_markup(screen))
        )
        await self.record(key, delivery)
        if delivery.outcome is Outcome.SENT:
            await self.tell_secretary(target)

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
        await self.throttle.turn(routes[0].chat_id)
        if not self.may_send():
            await store.finish_secretary(self.db, key, status="failed", error="quiet hours", now=self._stamp())
            self.result.stopped = True
            return
        lang = pick_language(notice.language, None, self.config.default_language)
        text = secretary_text(target, self.slot.quarter, self._today(), lang, self.settings.calendar)
        delivery = await self.deliver_on(routes, lambda route: route.bot.send_message(route.chat_id, text))
        status = {Outcome.SENT: "sent", Outcome.UNREACHABLE: "unreachable", Outcome.UNCERTAIN: "claimed"}
        await store.finish_secretary(
            self.db, key, status=status.get(delivery.outcome, "failed"), error=delivery.error, now=self._stamp()
        )
        if delivery.outcome is Outcome.SENT:
            self.result.secretaries += 1
        else:
            log.info("notice to the secretary of cell %s: %s (%s)", key.cell_id, delivery.outcome, delivery.error)

    async def deliver_on(self, routes: list[Route], send: Callable[[Route], Awaitable[object]]) -> Delivery:
        """The account used last first; the next one only when that one is blocked or
        unknown there (certainly not delivered, so the claim still holds once)."""
        delivery = Delivery(Outcome.UNREACHABLE)
        for n, route in enumerate(routes):
            delivery = await deliver(self.throttle, route.chat_id, lambda route=route: send(route), turn_taken=n == 0)
            if delivery.outcome is not Outcome.UNREACHABLE and not _not_found(delivery):
                return delivery
        return delivery

    async def record(self, key: ReminderKey, delivery: Delivery) -> None:
        self.result.count(delivery.outcome)
        error = delivery.error or ""
        if delivery.outcome is Outcome.SENT:
            await store.mark_sent(self.db, key, now=self._stamp())
        elif delivery.outcome is Outcome.UNREACHABLE:
            await store.mark_unreachable(self.db, key, error=error, now=self._stamp())
            log.info("cadre %s unreachable: %s", key.cadre_id, error)
        elif delivery.outcome is Outcome.UNCERTAIN:
            await store.note_uncertain(self.db, key, error=error)
            log.warning("reminder %s may or may not have arrived (%s); not resent", key, error)
        else:
            await store.mark_failed(self.db, key, error=error)
            log.warning("reminder %s failed (%s); a later sweep retries it", key, error)

    def _stamp(self) -> str:
        return utc_stamp(self.clock.now())

    def _today(self) -> date:
        return self.clock.now().astimezone(self.settings.tz).date()


# --- the operator's dry run -------------------------------------------------------------------


@dataclass
class Plan:
    """What a sweep would do now, and why."""

    now: datetime
    slot: Slot | None
    quiet: bool
    targets: list[ReminderTarget]
    unsettled: list[store.LogEntry]
    settings: Settings


async def plan(db: Database, config: Config, now: datetime) -> Plan:
    """Who would be reminded at ``now``: the same queries as the sweep, nothing claimed."""
    settings = await load_settings(db, config)
    now = now.astimezone(settings.tz)
    slot = current_slot(now, settings)
    quarter = Quarter.of(now.date())
    targets: list[ReminderTarget] = []
    if slot is not None:
        rule = await obligations.transfer_rule(db)
        after = (0, 0)
        while page := await store.due_targets(
            db, quarter=slot.quarter.key, kind=slot.kind, today=now.date(), after=after, limit=PAGE_SIZE, rule=rule
        ):
            targets += page
            after = (page[-1].cadre_id, page[-1].cell_id)
    unsettled = await store.unsettled(db, quarter.key)
    return Plan(now, slot, is_quiet(now, settings), targets, unsettled, settings)


def _not_found(delivery: Delivery) -> bool:
    return delivery.outcome is Outcome.FAILED and "not found" in (delivery.error or "").lower()
