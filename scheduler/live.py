"""The live due list: a group's "still due" message, edited in place as reports arrive.

A digest sends who still owes a visit as a message of its own, remembered as the group's
``last_digest_message_id`` (scheduler/digests.py). After a visit report is stored,
edited or withdrawn (handlers/visit.py ``confirm``, handlers/mine.py ``withdraw``),
``report_changed`` redraws that message in every active group whose scope contains the
cell, so "still due" never names someone who has reported — a late report for the
quarter a quarter-end report covers included.

- At most one edit a minute per group (by the bot's clock): a change within a minute of
  the last edit is marked pending and flushed when the minute is up — by a JobQueue
  job when the bot keeps real time, by ``flush`` otherwise (tests move a ManualClock).
- Idempotent and cheap: the list is drawn from the database every time and the message
  is not touched when the list is what it already shows. Telegram's "message is not
  modified" means the same and is swallowed, never logged as an error.
- A deleted message ("message to edit not found", or one too old to edit) is forgotten:
  no more edits until the next digest. A group the bot was removed from (403) is
  deactivated, as a digest does.
- An edit notifies nobody, so it is made in quiet hours and on days off too.
- The last-edit times live in memory: after a restart the first change edits at once,
  and a pending edit lost with the process is made by the next change.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from weakref import WeakKeyDictionary

from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError
from telegram.ext import Application, CallbackContext

from domain.clock import SystemClock
from bot.context import BotContext, BotData
from scheduler.schedule import digest_quarter
from scheduler.sending import describe, retry_after_seconds
from scheduler.settings import load_settings
from scheduler.summaries import load_due_summary, render_due_message
from storage import groups

log = logging.getLogger(__name__)

MIN_INTERVAL = timedelta(seconds=60)
FLUSH_JOB = "live-due-list"


@dataclass
class _GroupState:
    """One group's live list: what it shows and when it was last edited."""

    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    message_id: int | None = None
    shown: str | None = None  # the list the message shows, without its time line
    last_edit: datetime | None = None
    pending: bool = False
    flush_scheduled: bool = False  # a JobQueue job will flush it


@dataclass
class LiveDueLists:
    """The live lists of one running bot."""

    groups: dict[int, _GroupState] = field(default_factory=dict)

    def group(self, chat_id: int) -> _GroupState:
        return self.groups.setdefault(chat_id, _GroupState())


_STATES: WeakKeyDictionary[BotData, LiveDueLists] = WeakKeyDictionary()


def state_of(application: Application) -> LiveDueLists:
    return _STATES.setdefault(application.bot_data, LiveDueLists())


async def report_changed(context: BotContext, cell_id: int) -> None:
    """A visit report of the cell was stored, edited or withdrawn: every live due list
    that shows the cell is brought up to date, now or within the minute."""
    for group in await groups.live_groups_for_cell(context.db, cell_id):
        await refresh(context.application, group.chat_id)


async def flush(application: Application) -> int:
    """Edits every pending list whose minute is up; returns how many were redrawn."""
    done = 0
    for chat_id, state in list(state_of(application).groups.items()):
        if state.pending:
            done += await refresh(application, chat_id)
    return done


async def refresh(application: Application, chat_id: int) -> bool:
    """Redraws the group's list unless it was edited less than a minute ago (then it is
    left pending); True when it was redrawn (edited, or found unchanged)."""
    services: BotData = application.bot_data
    state = state_of(application).group(chat_id)
    async with state.lock:
        now = services.clock.now()
        if state.last_edit is not None and now - state.last_edit < MIN_INTERVAL:
            state.pending = True
            _flush_later(application, chat_id, state, state.last_edit + MIN_INTERVAL - now)
            return False
        state.pending = False
        await _redraw(application, chat_id, state)
        return True


async def _redraw(application: Application, chat_id: int, state: _GroupState) -> None:
    services: BotData = application.bot_data
    db, config = services.db, services.config
    group = await groups.get(db, chat_id)
    if group is None or not group.active or group.last_digest_message_id is None:
        return
    message_id = group.last_digest_message_id
    if state.message_id != message_id:  # a new digest: nothing of it is known yet
        state.message_id, state.shown = message_id, None
    digest = await groups.digest_of_message(db, chat_id, message_id)
    if digest is None:
        return
    quarter = digest_quarter(*digest, await load_settings(db, config))
    now = services.clock.now().astimezone(config.tz)
    summary = await load_due_summary(db, group.unit_id, quarter, now)
    lang = config.default_language
    body = render_due_message(summary, lang, None)
    if body == state.shown:
        return
    state.last_edit = now
    if await _edit(application, chat_id, message_id, render_due_message(summary, lang, now), state):
        state.shown = body


async def _edit(application: Application, chat_id: int, message_id: int, text: str, state: _GroupState) -> bool:
    """Edits the message; True when it now shows ``text``. What each refusal means is in
    the module docstring."""
    db = application.bot_data.db
    # The group's own messenger (a report filed on Telegram may change a Zalo group's list).
    bot = application.bot_data.channels.bot_for_chat(chat_id)
    if bot is None:
        return False
    try:
        await bot.edit_message_text(text, chat_id=chat_id, message_id=message_id)
    except RetryAfter as error:  # Telegram's flood control: try again when it allows
        state.pending = True
        _flush_later(application, chat_id, state, timedelta(seconds=retry_after_seconds(error)))
        return False
    except BadRequest as error:
        words = error.message.lower()
        if "not modified" in words:
            return True
        if "not found" in words or "can't be edited" in words:
            await groups.forget_last_digest(db, chat_id, message_id)
            state.message_id = state.shown = None
            log.info("due list of group %s: message %s is gone; no more edits", chat_id, message_id)
        else:
            log.warning("due list of group %s not updated: %s", chat_id, describe(error))
        return False
    except Forbidden as error:
        await groups.deactivate(db, chat_id)
        log.warning("group %s unreachable (%s): deactivated", chat_id, describe(error))
        return False
    except ChatMigrated:  # a supergroup now: the old group's message stays as it was
        await groups.forget_last_digest(db, chat_id, message_id)
        return False
    except TelegramError as error:  # the network: the next minute tries again
        state.pending = True
        _flush_later(application, chat_id, state, MIN_INTERVAL)
        log.warning("due list of group %s not updated: %s", chat_id, describe(error))
        return False
    return True


def _flush_later(application: Application, chat_id: int, state: _GroupState, delay: timedelta) -> None:
    """A JobQueue job flushes the group when the minute is up. The JobQueue keeps real
    time, so it is used only when the bot does; with another clock the caller flushes."""
    job_queue = application.job_queue
    if job_queue is None or state.flush_scheduled or not isinstance(application.bot_data.clock, SystemClock):
        return
    state.flush_scheduled = True
    job_queue.run_once(
        _flush_job, when=max(delay.total_seconds(), 1.0), data=chat_id, name=f"{FLUSH_JOB}:{chat_id}"
    )


async def _flush_job(context: CallbackContext) -> None:
    job = context.job
    assert job is not None and isinstance(job.data, int)
    state_of(context.application).group(job.data).flush_scheduled = False
    await refresh(context.application, job.data)
