"""What the step-by-step report conversations share (the visit report, the model update).

Each of them keeps a draft in the user's persisted data, moves one screen at a time,
reads typed answers the same way and refuses to run alongside the other one: a cadre
fills in one report at a time, and a command of the other flow gets a hint instead of
silently leaving the first one half-done underneath.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import timedelta
from functools import wraps
from typing import Any, Generic, Protocol, TypeVar

from telegram import Message, Update
from telegram.ext import CallbackQueryHandler, ConversationHandler

from domain.clock import parse_stamp, utc_stamp
from bot.context import BotContext
from bot.drafts import DraftPhoto
from domain.ids import parse_id
from bot.screens import Screen
from domain.textinput import TextEmpty, TextTooLong, clean_text
from bot.texts import t
from handlers.common import answer_button, show
from storage.persistence import SqlitePersistence

END = ConversationHandler.END

# The conversations a cadre goes through one at a time (their persistent names).
REPORT_FLOWS = frozenset({"visit", "model_update"})


class Draft(Protocol):
    touched_at: str
    reviewing: bool


D = TypeVar("D", bound=Draft)
Handler = Callable[[Update, BotContext], Awaitable[object]]


def draft_step(
    load: Callable[[dict[str, Any]], D | None], *, timed_out: str, idle_timeout: timedelta
) -> Callable[[Callable[[Update, BotContext, D], Awaitable[object]]], Handler]:
    """A decorator that loads the draft for a step; it ends the conversation politely when
    there is none.

    Typed input (text, photos) after a long pause ends the conversation instead of being
    taken as an answer to a question the cadre no longer sees; the draft is kept and
    ``timed_out`` (a text key) tells them how to continue.
    """

    def decorate(step: Callable[[Update, BotContext, D], Awaitable[object]]) -> Handler:
        @wraps(step)
        async def wrapper(update: Update, context: BotContext) -> object:
            await answer_button(update)
            draft = load(context.user_data)
            lang = await context.lang(update)
            if draft is None:
                await show(update, context, Screen(t("button.expired", lang)))
                return END
            if update.callback_query is None and is_idle(context, draft.touched_at, idle_timeout):
                await show(update, context, Screen(t(timed_out, lang)))
                return END
            return await step(update, context, draft)

        return wrapper

    return decorate


class Steps(Generic[D]):
    """How a draft conversation moves: touch and save the draft, show the state's screen.

    ``after`` is the move once a step is complete: back to the review when the cadre has
    already seen it (they were changing one part), else on to the next step.
    """

    def __init__(
        self,
        save: Callable[[dict[str, Any], D], None],
        screens: Mapping[str, Callable[[Update, BotContext, D], Awaitable[Screen]]],
        review: str,
    ) -> None:
        self.save = save
        self.screens = screens
        self.review = review

    async def go(self, update: Update, context: BotContext, draft: D, state: str) -> str:
        """Saves the draft and shows the screen of ``state``; returns it as the new state."""
        draft.touched_at = utc_stamp(context.clock.now())
        self.save(context.user_data, draft)
        await show(update, context, await self.screens[state](update, context, draft), edit=True)
        return state

    async def after(self, update: Update, context: BotContext, draft: D, next_state: str) -> str:
        reviewing = getattr(draft, "reviewing", False)
        return await self.go(update, context, draft, self.review if reviewing else next_state)


def is_idle(context: BotContext, touched_at: str, timeout: timedelta) -> bool:
    return context.clock.now() - parse_stamp(touched_at) > timeout


def callback_tail(update: Update, prefix: str) -> str:
    """What follows ``prefix`` in the pressed button's data ('' for a message)."""
    data = update.callback_query.data if update.callback_query else None
    return (data or "")[len(prefix) :]


def callback_tail_int(update: Update, prefix: str) -> int | None:
    """The number after ``prefix`` (up to the next ':'), or None."""
    tail = callback_tail(update, prefix).split(":")[0]
    return parse_id(tail)


async def read_text(update: Update, context: BotContext, limit: int) -> str | None:
    """The typed text, cleaned; None (after telling the cadre why) when it cannot be used."""
    lang = await context.lang(update)
    message = update.effective_message
    try:
        return clean_text(message.text or "" if message else "", limit)
    except TextTooLong as error:
        await show(update, context, Screen(t("text.too_long", lang, length=error.length, limit=limit)))
    except TextEmpty:
        await show(update, context, Screen(t("text.empty", lang)))
    return None


def incoming_photo(message: Message | None) -> DraftPhoto | None:
    """The photo of a message (its largest size), or an image sent as a file."""
    if message is None:
        return None
    if message.photo:
        biggest = message.photo[-1]
        return DraftPhoto(biggest.file_id, biggest.file_unique_id)
    if message.document is not None:
        return DraftPhoto(message.document.file_id, message.document.file_unique_id)
    return None


def button(callback: Callable[..., Any], data: str, *, exact: bool = False) -> CallbackQueryHandler:
    """A handler for buttons whose data is ``data`` (exact) or starts with it."""
    pattern = f"^{data}$" if exact else f"^{data}"
    return CallbackQueryHandler(callback, pattern=pattern)


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
