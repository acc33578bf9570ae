"""Buttons' callback data: the handler that matches it, what follows its prefix, the
pages of a long pick-list, and the one answer to a button nobody waits for any more.
Shared by every conversation, the report flows' included."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler

from bot.context import BotContext
from bot.screens import Option, Screen, paged
from bot.texts import t
from domain.ids import parse_id
from handlers.common import answer_button, is_private, record_denial, show


def button(callback: Callable[..., Any], data: str, *, exact: bool = False) -> CallbackQueryHandler:
    """A handler for buttons whose data is ``data`` (exact) or starts with it."""
    pattern = f"^{data}$" if exact else f"^{data}"
    return CallbackQueryHandler(callback, pattern=pattern)


def callback_tail(update: Update, prefix: str) -> str:
    """What follows ``prefix`` in the pressed button's data ('' for a message)."""
    data = update.callback_query.data if update.callback_query else None
    return (data or "")[len(prefix) :]


def callback_tail_int(update: Update, prefix: str) -> int | None:
    """The number after ``prefix`` (up to the next ':'), or None."""
    tail = callback_tail(update, prefix).split(":")[0]
    return parse_id(tail)


def page_of(update: Update, prefix: str) -> int:
    """The page a paging button asks for; 0 when the screen is reached another way."""
    data = update.callback_query.data if update.callback_query else None
    if not data or not data.startswith(prefix):
        return 0
    return callback_tail_int(update, prefix) or 0


def page_rows(options: list[Option], page: int, page_prefix: str, lang: str) -> list[list[Option]]:
    """One page of a long pick-list, with «◀ Trước» / «Sau ▶» buttons carrying ``page_prefix``."""
    return paged(
        options,
        page,
        previous=Option(t("btn.prev_page", lang), f"{page_prefix}{page - 1}"),
        following=Option(t("btn.next_page", lang), f"{page_prefix}{page + 1}"),
    )


def expired_text(lang: str) -> str:
    """The words for a stale or forged button, in the one catalogue key every channel
    uses (also bot/tolerant_bot.py for an update it cannot even parse)."""
    return t("button.expired", lang)


async def answer_expired(
    update: Update,
    context: BotContext,
    *,
    edit: bool = False,
    denied: str | None = None,
    answered: bool = False,
) -> None:
    """The one answer to a button nobody is waiting for, whatever conversation it came
    from (issue 12: said in one place, so every stale press reads and behaves alike).

    The query is answered once, with the words (a cheap phone shows them only briefly),
    and in a private chat they are shown too — as they are for a typed message that finds
    its draft gone, and wherever the query was answered without them. ``edit`` puts them in place of the pressed message (a confirmation whose
    draft is gone); ``denied`` records the press as a refusal in the audit log (a forged
    button, or one outside the admin's scope); ``answered`` says the handler answered the
    query already (at its top, as python-telegram-bot's examples do), so it is not
    answered twice.
    """
    if denied is not None:
        await record_denial(update, context, denied)
    text = expired_text(await context.lang(update))
    if not answered:
        await answer_button(update, text)
    if answered or update.callback_query is None or is_private(update):
        await show(update, context, Screen(text), edit=edit)
