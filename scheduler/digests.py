"""Digests to registered group chats: weekly, and a report when a quarter ends.

Like reminders, digests are derived from the database and the clock, not remembered
in jobs: ``schedule.digest_slots`` says which digests are due now, ``digest_log``
(claim before send, as in scheduler/reminders.py) says which groups already have them.
A digest is several messages (the text, split under 4096 characters, then the chart);
if it fails before its first message went out it is retried by a later sweep, after
that it is never resent — a group never gets half a digest twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass

from telegram import Bot, Message

from bot.clock import Clock, utc_stamp
from bot.config import Config
from bot.texts import t
from scheduler.schedule import DigestSlot, Settings, digest_slots, is_quiet
from scheduler.sending import Delivery, Outcome, Sleep, Throttle, deliver
from scheduler.summaries import Summary, load_summary, render
from storage import groups
from storage.db import Database
from storage.groups import GroupChat

log = logging.getLogger(__name__)


@dataclass
class DigestResult:
    sent: int = 0
    failed: int = 0
    quiet: bool = False


async def chart_for(summary: Summary, lang: str) -> bytes | None:
    """The coverage chart, drawn in a worker thread; None when nothing is due."""
    if not summary.coverage:
        return None
    from scheduler.charts import coverage_chart  # matplotlib loads in ~1 s: only when drawing

    return await asyncio.to_thread(
        coverage_chart,
        summary.coverage,
        title=t("sched.chart.title", lang, quarter=summary.quarter.label(lang)),
        axis_label=t("sched.chart.axis", lang),
        other_label=t("sched.sum.other_commune", lang),
    )


async def send_summary(
    bot: Bot, throttle: Throttle, chat_id: int, summary: Summary, lang: str
) -> tuple[Delivery, int | None]:
    """Sends the summary's messages, then its chart; returns how the first failure went
    (or the last success) and the id of the first message (None if nothing went out)."""
    first_id: int | None = None
    delivery = Delivery(Outcome.SENT)
    for chunk in render(summary, lang):
        delivery = await deliver(throttle, chat_id, lambda chunk=chunk: bot.send_message(chat_id, chunk))
        if delivery.outcome is not Outcome.SENT:
            return delivery, first_id
        if first_id is None and isinstance(delivery.result, Message):
            first_id = delivery.result.message_id
    png = await chart_for(summary, lang)
    if png is not None:
        caption = t("sched.chart.caption", lang, quarter=summary.quarter.label(lang))
        delivery = await deliver(throttle, chat_id, lambda: bot.send_photo(chat_id, photo=png, caption=caption))
    return delivery, first_id


async def sweep(
    bot: Bot,
    db: Database,
    config: Config,
    clock: Clock,
    *,
    sleep: Sleep = asyncio.sleep,
    throttle: Throttle | None = None,
    keep_going: Callable[[], bool] = lambda: True,
) -> DigestResult:
    """Sends every digest due now to every registered group that has not had it."""
    settings = Settings.from_config(config)
    now = clock.now().astimezone(settings.tz)
    result = DigestResult()
    slots = digest_slots(now, settings)
    if not slots:
        return result
    if is_quiet(now, settings):
        result.quiet = True
        return result
    throttle = throttle or Throttle(clock, sleep)
    for slot in slots:
        for group in await groups.active_groups(db):
            if not keep_going() or is_quiet(clock.now(), settings):
                return result
            await _send_digest(bot, db, config, clock, throttle, group, slot, result)
    return result


async def _send_digest(
    bot: Bot,
    db: Database,
    config: Config,
    clock: Clock,
    throttle: Throttle,
    group: GroupChat,
    slot: DigestSlot,
    result: DigestResult,
) -> None:
    stamp = utc_stamp(clock.now())
    if not await groups.claim_digest(db, group.chat_id, slot.kind, slot.period, now=stamp):
        return
    lang = config.default_language
    now = clock.now().astimezone(config.tz)
    summary = await load_summary(db, group.unit_id, slot.quarter, now, kind=slot.kind)
    chat_id = group.chat_id
    delivery, first_id = await send_summary(bot, throttle, chat_id, summary, lang)
    if delivery.outcome is Outcome.MIGRATED and delivery.new_chat_id is not None and first_id is None:
        # The group became a supergroup before anything went out: follow it, send there.
        chat_id = delivery.new_chat_id
        await groups.move_chat(db, group.chat_id, chat_id)
        delivery, first_id = await send_summary(bot, throttle, chat_id, summary, lang)
    await _record(db, chat_id, slot, delivery, first_id, stamp, result)


async def _record(
    db: Database,
    chat_id: int,
    slot: DigestSlot,
    delivery: Delivery,
    first_id: int | None,
    stamp: str,
    result: DigestResult,
) -> None:
    if delivery.outcome is Outcome.SENT:
        result.sent += 1
        await groups.finish_digest(db, chat_id, slot.kind, slot.period, status="sent", message_id=first_id, now=stamp)
        if first_id is not None:
            await groups.set_last_digest(db, chat_id, first_id)
        return
    result.failed += 1
    if delivery.outcome is Outcome.UNREACHABLE:
        # The bot was removed from the group: no more digests until it is registered again.
        await groups.finish_digest(db, chat_id, slot.kind, slot.period, status="unreachable", error=delivery.error)
        await groups.deactivate(db, chat_id)
        log.warning("group %s unreachable (%s): deactivated", chat_id, delivery.error)
    elif first_id is None and delivery.outcome is not Outcome.UNCERTAIN:
        await groups.finish_digest(db, chat_id, slot.kind, slot.period, status="failed", error=delivery.error)
        log.warning("digest to group %s failed (%s); a later sweep retries", chat_id, delivery.error)
    else:  # part of it went out, or maybe all of it: never resent (see the module docstring)
        await groups.finish_digest(
            db, chat_id, slot.kind, slot.period, status="claimed", error=delivery.error, message_id=first_id
        )
        log.warning("digest to group %s incomplete or uncertain (%s); not resent", chat_id, delivery.error)
