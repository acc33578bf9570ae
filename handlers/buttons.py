"""Buttons' callback data: the handler that matches it, what follows its prefix, and the
pages of a long pick-list. Shared by every conversation, the report flows' included."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler

from bot.screens import Option, paged
from bot.texts import t
from domain.ids import parse_id


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
