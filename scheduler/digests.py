"""Digests to registered group chats: weekly, and a report when a quarter ends.

Like reminders, digests are derived from the database and the clock, not remembered
in jobs: ``schedule.digest_slots`` says which digests are due now, ``digest_log``
(claim before send, as in scheduler/reminders.py) says which groups already have them.
A digest is several messages (the text, split under 4096 characters; the "still due"
list as a message of its own; then the chart); if it fails before its first message
went out it is retried by a later sweep, after that it is never resent — a group never
gets half a digest twice. The "still due" message is remembered as the group's
``last_digest_message_id``: scheduler/live.py edits it as reports arrive.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from telegram import Bot, Message

from domain.clock import Clock, utc_stamp
from bot.config import Config
from bot.texts import t
from scheduler.schedule import DigestSlot, digest_slots, is_quiet
from scheduler.routes import BotRegistry, registry_of
from scheduler.sending import Delivery, Outcome, Sleep, Throttle, deliver
from scheduler.settings import load_settings
from scheduler.summaries import Summary, load_summary, render, render_due_message
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
        summary.children if summary.children is not None else summary.coverage,  # the top unit's: by unit under it
        title=t("sched.chart.title", lang, quarter=summary.quarter.label(lang)),
        axis_label=t("sched.chart.axis", lang),
        other_label=t("sched.sum.other_commune", lang),
    )


@dataclass(frozen=True, slots=True)
class SentSummary:
    """How sending went: the first failure (or the last success), the id of the first
    message (None if nothing went out) and of the "still due" message (digests only)."""

    delivery: Delivery
    first_id: int | None
    due_id: int | None = None


async def send_summary(
    bot: Bot,
    throttle: Throttle,
    chat_id: int,
    summary: Summary,
    lang: str,
    *,
    due_list_at: datetime | None = None,
) -> SentSummary:
    """Sends the summary's messages, then its chart. With ``due_list_at`` (a digest) the
    "still due" section goes as its own message, stamped with that time, before the chart."""
    first_id: int | None = None
    due_id: int | None = None
    if summary.children is not None:
        due_list_at = None  # the top unit's group: the due list by name goes to the communes' groups
    messages = render(summary, lang, due_apart=due_list_at is not None)
    if due_list_at is not None:
        messages.append(render_due_message(summary, lang, due_list_at))
    delivery = Delivery(Outcome.SENT)
    for number, text in enumerate(messages, 1):
        delivery = await deliver(throttle, chat_id, lambda text=text: bot.send_message(chat_id, text))
        if delivery.outcome is not Outcome.SENT:
            return SentSummary(delivery, first_id, due_id)
        message_id = delivery.result.message_id if isinstance(delivery.result, Message) else None
        first_id = first_id if first_id is not None else message_id
        if due_list_at is not None and number == len(messages):
            due_id = message_id
    png = await chart_for(summary, lang)
    if png is not None:
        caption = t("sched.chart.caption", lang, quarter=summary.quarter.label(lang))
        delivery = await deliver(throttle, chat_id, lambda: bot.send_photo(chat_id, photo=png, caption=caption))
    return SentSummary(delivery, first_id, due_id)


async def sweep(
    bot: Bot | BotRegistry,
    db: Database,
    config: Config,
    clock: Clock,
    *,
    sleep: Sleep = asyncio.sleep,
    throttle: Throttle | None = None,
    keep_going: Callable[[], bool] = lambda: True,
) -> DigestResult:
    """Sends every digest due now to every registered group that has not had it.

    ``bot``: a Telegram bot, or the registry of every messenger's bot: each group gets
    its digest from its own messenger's bot (scheduler/routes.py).
    """
    bots = registry_of(bot)
    settings = await load_settings(db, config)
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
            group_bot = bots.bot_for_chat(group.chat_id)
            if group_bot is None:  # a group of a messenger this process does not serve
                continue
            await _send_digest(group_bot, db, config, clock, throttle, group, slot, result)
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
    sent = await send_summary(bot, throttle, chat_id, summary, lang, due_list_at=now)
    if sent.delivery.outcome is Outcome.MIGRATED and sent.delivery.new_chat_id is not None and sent.first_id is None:
        # The group became a supergroup before anything went out: follow it, send there.
        chat_id = sent.delivery.new_chat_id
        await groups.move_chat(db, group.chat_id, chat_id)
        sent = await send_summary(bot, throttle, chat_id, summary, lang, due_list_at=now)
    await _record(db, chat_id, slot, sent.delivery, sent.first_id, stamp, result)
    if sent.due_id is not None:  # after the log knows the digest's messages (live.py reads both)
        await groups.set_last_digest(db, chat_id, sent.due_id)


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
