"""Redelivered updates are dropped, so a retried delivery does nothing twice.

Telegram redelivers an update when the bot did not confirm it (a crash, a restart, a
timeout on a bad network). The id is recorded after every handler ran; the first group
drops an update whose id is already recorded.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from domain.clock import utc_stamp
from bot.context import BotContext
from storage import updates

log = logging.getLogger(__name__)


async def drop_if_seen(update: Update, context: BotContext) -> None:
    """An update delivered twice (a retried webhook, a restart before the offset was
    confirmed) is handled once: a report is never stored twice."""
    if await updates.was_processed(context.db, update.update_id):
        log.info("update %s was already processed; dropped", update.update_id)
        raise ApplicationHandlerStop


async def flush_and_record(update: Update, context: BotContext) -> None:
    """Writes drafts and conversation states now, then records the update as handled.

    PTB would otherwise write its persistence once a minute; a restart in between would
    make a cadre start a report again. PTB marks a user's data for writing only once the
    whole update is done - after this handler - so without marking it here the draft
    written would be the one of this user's previous update (or none, when another
    user's update wrote it meanwhile), one step behind the conversation state written
    now: after a kill the cadre would find a draft that does not match their screen.
    """
    user = update.effective_user
    if user is not None:
        context.application.mark_data_for_update_persistence(user_ids=user.id)
    await context.application.update_persistence()
    await updates.mark_processed(context.db, update.update_id, utc_stamp(context.clock.now()))
