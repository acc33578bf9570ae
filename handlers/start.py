"""/start and /help, and the polite refusal of people who are not on the roster."""

from __future__ import annotations

from telegram import KeyboardButton, ReplyKeyboardMarkup, Update

from bot.context import BotContext
from bot.screens import Screen
from bot.texts import t
from domain.textinput import fold
from handlers.common import answer_button, is_private, record_denial, say, show
from handlers.flow import answer_expired
from handlers.menu import help_lines, main_menu
from handlers.private_only import CANONICAL


async def start(update: Update, context: BotContext) -> None:
    """/start: the welcome and the commands this user may use; strangers learn how to register."""
    cadre = await context.cadre()
    if cadre is None:
        await refuse_unknown(update, context)
        return
    lang = await context.lang(update)
    text = t(
        "welcome",
        lang,
        name=cadre.full_name,
        commands=help_lines(lang, admin=await context.is_admin(), secretary=await context.is_secretary()),
    )
    command = CANONICAL.get((context.args or [""])[0].lower()) if context.args else None
    if command:  # opened from a group's link to the private chat (handlers/private_only.py)
        text += t("private.start_here", lang, command=command)
    # No command menu on this messenger (Zalo): the everyday commands as numbered choices.
    menu = main_menu(lang, admin=await context.is_admin(), secretary=await context.is_secretary())
    await show(update, context, Screen(text, menu.rows if context.bot_data.menu_as_choices else ()))


async def help_command(update: Update, context: BotContext) -> None:
    """/help: the commands this user may use (admins and secretaries see theirs too)."""
    if await context.cadre() is None and not await context.is_admin():
        await refuse_unknown(update, context)
        return
    lang = await context.lang(update)
    commands = help_lines(lang, admin=await context.is_admin(), secretary=await context.is_secretary())
    await say(update, context, "help", commands=commands)


async def refuse_unknown(update: Update, context: BotContext) -> None:
    """Tells someone not on the roster what the bot is for and how to register.

    With the bot's one reply keyboard: Telegram's share-my-phone-number button, which no
    inline button can replace (handlers/registration.py links on the shared contact).
    """
    chat = update.effective_chat
    if chat is None or not is_private(update):
        return
    await record_denial(update, context, "unregistered")
    lang = await context.lang(update)
    if not context.bot_data.contact_sharing:  # Zalo: the invite code is the only way in
        await context.bot.send_message(chat.id, t("unknown_user.invite_only", lang))
        return
    button = KeyboardButton(t("reg.btn.share_phone", lang), request_contact=True)
    keyboard = ReplyKeyboardMarkup([[button]], one_time_keyboard=True, resize_keyboard=True)
    await context.bot.send_message(chat.id, t("unknown_user", lang), reply_markup=keyboard)


async def refuse_unknown_button(update: Update, context: BotContext) -> None:
    """A button pressed by someone not on the roster (an old reminder on a phone that was
    unlinked since): a polite answer on the button, then how to register."""
    await answer_button(update, t("unknown_user_button", await context.lang(update)))
    await refuse_unknown(update, context)


# What people write to say hello, folded (domain.textinput.fold): no diacritics, lower case.
GREETINGS = frozenset({
    "xin chao", "chao", "chao bot", "chao ban", "alo", "hello", "hi", "hey", "start", "bat dau", "menu",
})


def is_greeting(text: str) -> bool:
    """A message that only says hello (punctuation and "ạ"/"anh"/"chị" aside)."""
    words = [w for w in fold("".join(c if c.isalnum() or c.isspace() else " " for c in text)).split()
             if w not in ("a", "ad", "admin", "anh", "chi", "em", "nhe", "oi", "dong")]
    return " ".join(words) in GREETINGS


async def fallback(update: Update, context: BotContext) -> None:
    """The last handler: anything no conversation took gets a hint, never silence."""
    if not is_private(update):
        return
    if await context.cadre() is None and not await context.is_admin():
        await refuse_unknown(update, context)
        return
    message = update.effective_message
    if message is not None and is_greeting(message.text or ""):
        await start(update, context)  # "xin chào": the welcome, with what they can do
    elif message is not None and message.text and message.text.startswith("/"):
        await say(update, context, "unknown_command")
    elif context.bot_data.menu_as_choices:  # no command menu on this messenger: offer it here
        admin = await context.is_admin()
        screen = main_menu(await context.lang(update), admin=admin, secretary=await context.is_secretary())
        await show(update, context, screen)
    else:
        await say(update, context, "not_understood")


async def expired_button(update: Update, context: BotContext) -> None:
    """A button no conversation is waiting for (an old message, after a restart of a flow):
    the last-resort handler, answered as every expired button is (handlers/flow.py)."""
    await answer_expired(update, context)
