"""The error handler: log without personal data, and tell the user kindly."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError

from bot.context import BotContext
from bot.texts import t
from handlers.common import answer_button, is_private

log = logging.getLogger(__name__)


async def on_error(update: object, context: BotContext) -> None:
    """Logs the error with the update id only (no names, no texts) and apologises."""
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    log.error("error while handling update %s", update_id, exc_info=error)
    # A blocked bot or a network down cannot be apologised to; a request Telegram refused
    # (BadRequest, a NetworkError subclass: a text too long, a message gone) can.
    unreachable = isinstance(error, Forbidden | NetworkError) and not isinstance(error, BadRequest)
    if not isinstance(update, Update) or unreachable:
        return
    await answer_button(update)
    if is_private(update) and update.effective_chat is not None:
        lang = await context.lang(update)
        try:
            await context.bot.send_message(update.effective_chat.id, t("error_generic", lang))
        except Exception:  # noqa: BLE001 - the apology is best effort; the error is logged
            log.warning("could not send the apology for update %s", update_id)
