"""/ngonngu: anyone, linked or not, picks the language the bot speaks to them."""

from __future__ import annotations

from telegram import Update

from bot.context import LANGUAGE_KEY, BotContext
from bot.screens import Option, Screen
from bot.texts import LANGUAGES, t
from handlers.common import answer_button, show
from handlers.start import refuse_unknown
from storage import registration

CB_LANGUAGE = "lang:"  # + vi | en


async def language_command(update: Update, context: BotContext) -> None:
    """/ngonngu: the languages, each named in the user's current one."""
    lang = await context.lang(update)
    options = [Option(t(f"reg.language_{code}", lang), f"{CB_LANGUAGE}{code}") for code in LANGUAGES]
    await show(update, context, Screen.of(t("reg.language_choose", lang), options))


async def language_chosen(update: Update, context: BotContext) -> None:
    """Stores the choice and answers in the new language.

    Strangers may switch too: the very first thing they read is how to register, and
    someone who cannot read it cannot register. They have no cadre row, so their choice
    is kept in their user data (persisted), which ``BotContext.lang`` reads after the
    cadre's own choice; once linked, their cadre's choice (if any) wins.
    """
    await answer_button(update)
    query = update.callback_query
    choice = (query.data or "")[len(CB_LANGUAGE) :] if query else ""
    if choice not in LANGUAGES:
        return
    cadre = await context.cadre()
    if cadre is not None:
        await registration.set_language(context.db, cadre.id, choice)
        context.forget_cadre()
    elif context.user_data is not None:
        context.user_data[LANGUAGE_KEY] = choice
    await show(update, context, Screen(t("reg.language_set", choice)), edit=True)
    if cadre is None and not await context.is_admin():
        await refuse_unknown(update, context)
