"""Notices for cadres: sent at once when possible, else when they next open the bot.

A cadre for whom someone filed a report may have no signal, or not have linked
Telegram yet; the notice waits in the database and goes out with their next message.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.error import BadRequest, Forbidden

from domain.clock import utc_stamp
from bot.context import BotContext
from bot.texts import pick_language, t
from handlers.common import is_private
from scheduler.routes import send_to_cadre
from storage import notices, roster

log = logging.getLogger(__name__)


async def notify(context: BotContext, cadre_id: int, key: str, **params: Any) -> None:
    """Keeps a notice for the cadre and tries to deliver it right away."""
    now = utc_stamp(context.clock.now())
    notice_id = await notices.add(context.db, cadre_id, key, params, now=now)
    cadre = await roster.get_cadre(context.db, cadre_id)
    if cadre is None:
        return
    lang = pick_language(cadre.language, None, context.config.default_language)
    text = t(key, lang, **params)
    try:  # on the messenger the cadre used last, else their other one
        sent = await send_to_cadre(context.db, context.bot_data.channels, cadre_id,
                                   lambda bot, chat_id: bot.send_message(chat_id, text))
    except (Forbidden, BadRequest) as error:
        log.info("notice not delivered now: %s", error)
        return
    if sent is not None:
        await notices.mark_delivered(context.db, notice_id, now=now)


async def deliver_pending(update: Update, context: BotContext) -> None:
    """Before anything else a cadre's message triggers: what was kept for them."""
    if not is_private(update):
        return
    cadre = await context.cadre()
    chat = update.effective_chat
    if cadre is None or chat is None:
        return
    waiting = await notices.pending(context.db, cadre.id)
    lang = await context.lang(update)
    for notice in waiting:  # in the chat the cadre writes in now, whichever messenger
        if await _send(context, chat.id, t(notice.text_key, lang, **notice.params)):
            await notices.mark_delivered(context.db, notice.id, now=utc_stamp(context.clock.now()))


async def _send(context: BotContext, chat_id: int, text: str) -> bool:
    try:
        await context.bot.send_message(chat_id, text)
    except (Forbidden, BadRequest) as error:
        log.info("notice not delivered now: %s", error)
        return False
    return True
