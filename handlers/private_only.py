"""Private flows asked for in a group chat: a short note with a link to the private chat.

A report, a model update, one's own reports or an excusal are filled in step by step and
show a cadre's own data; in a group everyone would read along, and a conversation kept
per chat would wait there for every member's messages. So these commands never run in a
group. The link that opens the private chat is the channel's own (``BotContext
.private_chat_link``): a t.me deep link on Telegram, another wording on another channel.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.context import BotContext
from bot.screens import Screen
from bot.texts import t
from handlers.common import show

# Each private command and its aliases; the first name is the one the link opens with.
PRIVATE_COMMANDS: tuple[tuple[str, ...], ...] = (
    ("baocao", "report"),
    ("baocaothay", "reportfor"),
    ("mohinh", "model"),
    ("cuatoi", "me"),
    ("xembaocao", "viewreport"),
    ("mienbaocao", "excuse"),
    ("baocaoquy", "quarterreport"),  # the workbook names every cadre not yet visited
    ("tailieu", "materials"),
)
CANONICAL = {alias: names[0] for names in PRIVATE_COMMANDS for alias in names}


def command_of(update: Update) -> str:
    """The canonical name of the private command in this message ('' if none)."""
    message = update.effective_message
    first = (message.text or "").split(maxsplit=1)[0] if message and message.text else ""
    return CANONICAL.get(first.lstrip("/").split("@", 1)[0].lower(), "")


async def go_private(update: Update, context: BotContext) -> None:
    """The note in the group: where to do this, and the link that opens it there."""
    command = command_of(update)
    lang = await context.lang(update)
    link = context.private_chat_link(command, lang)
    await show(update, context, Screen(t("private.in_group", lang, command=command, link=link)))


def handlers() -> list:
    """Before the conversations: a private command in a group goes no further."""
    names = [alias for names in PRIVATE_COMMANDS for alias in names]
    return [CommandHandler(names, go_private, filters=~filters.ChatType.PRIVATE)]
