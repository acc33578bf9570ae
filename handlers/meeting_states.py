"""/hop's states, callback data and its draft, shared by the conversation
(handlers/meetings.py) and its steps (handlers/meeting_steps.py), so that neither imports
the other for a name.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import ConversationHandler

from bot.context import BotContext
from handlers.buttons import answer_expired

END = ConversationHandler.END
HP_CELL, HP_MENU, HP_DATE, HP_TIME, HP_PLACE, HP_AGENDA, HP_CONFIRM = (
    "hp.cell", "hp.menu", "hp.date", "hp.time", "hp.place", "hp.agenda", "hp.confirm",
)
DRAFT_KEY = "meeting_draft"
PLACE_LIMIT = 120
AGENDA_LIMIT = 300
SHOWN_MEETINGS = 3
TIMES = ("19:30", "14:00", "07:30")

CB_CELLS = "hp:cs:"  # + page
CB_CELL = "hp:c:"  # + cell id
CB_NEW = "hp:new"
CB_MOVE = "hp:mv:"  # + meeting id
CB_CANCEL = "hp:cx:"  # + meeting id
CB_CANCEL_YES = "hp:cxy"
CB_REGULAR = "hp:reg"
CB_LAST_MONTH = "hp:last"
CB_TIME = "hp:t:"  # + index into TIMES
CB_KEEP_PLACE = "hp:pl"
CB_NO_AGENDA = "hp:na"
CB_CONFIRM = "hp:ok"
CB_STOP = "hp:x"


def draft_of(context: BotContext) -> dict[str, Any] | None:
    """The meeting being made or moved; None once it is confirmed, stopped or lost."""
    draft = context.user_data.get(DRAFT_KEY)
    return draft if isinstance(draft, dict) and "cell_id" in draft else None


async def expired(update: Update, context: BotContext) -> object:
    """A button of a finished or lost draft: said so, and the conversation ends."""
    await answer_expired(update, context)
    return END
