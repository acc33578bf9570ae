"""A cadre fills in one report at a time: the entry points of the report flows
(handlers/flow.py) give a hint, rather than start a second flow over a first one left
half-way."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import wraps

from telegram import Update

from bot.context import BotContext
from bot.screens import Screen
from bot.texts import t
from handlers.common import answer_button, show
from storage.persistence import SqlitePersistence

Handler = Callable[[Update, BotContext], Awaitable[object]]

# The conversations a cadre goes through one at a time (their persistent names).
REPORT_FLOWS = frozenset({"visit", "model_update"})


def one_flow_at_a_time(own: str) -> Callable[[Handler], Handler]:
    """For the entry points of a report flow: while the cadre is half-way through another
    one, a hint, rather than a second flow started with the first left dangling underneath.
    """

    def decorate(entry: Handler) -> Handler:
        @wraps(entry)
        async def wrapper(update: Update, context: BotContext) -> object:
            if await other_flow_in_progress(update, context, own):
                await answer_button(update)
                await show(update, context, Screen(t("flow.busy", await context.lang(update))))
                return None  # the conversation is not entered; the other one stays as it is
            return await entry(update, context)

        return wrapper

    return decorate


async def other_flow_in_progress(update: Update, context: BotContext, own: str) -> bool:
    """Whether this chat's user is half-way through another report flow than ``own``.

    Read from the persisted conversation states, which are written after every update
    (handlers/updates.py): the public way to see another ConversationHandler's state.
    """
    chat, user, persistence = update.effective_chat, update.effective_user, context.application.persistence
    if chat is None or user is None or not isinstance(persistence, SqlitePersistence):
        return False
    for name in REPORT_FLOWS - {own}:
        if await persistence.state_of(name, (chat.id, user.id)) is not None:
            return True
    return False
