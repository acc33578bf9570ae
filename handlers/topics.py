"""/chude: the committee's office sets the quarter's dissemination topics.

Cadres then pick them with a tap in step 3 of the visit report instead of typing the
name of a resolution on a phone keyboard.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from domain.clock import utc_stamp
from bot.context import BotContext
from domain.ids import parse_id
from domain.quarters import Quarter
from bot.screens import Option, Screen
from domain.textinput import TextEmpty, TextTooLong, clean_text
from bot.texts import t
from handlers.common import answer_button, may_change_org_settings, show
from storage import audit, topics

TITLE_LIMIT = 120
CB_REMOVE = "tp:rm:"  # + topic id


async def topics_command(update: Update, context: BotContext) -> None:
    """/chude lists the topics; /chude <text> adds one. Admins only."""
    lang = await context.lang(update)
    if not await may_change_org_settings(update, context):  # the topics are everyone's
        return
    quarter = Quarter.of(context.clock.now().date())
    text = " ".join(context.args or [])
    if text:
        await _add(update, context, quarter, text, lang)
    await _list(update, context, quarter, lang)


async def _add(update: Update, context: BotContext, quarter: Quarter, raw: str, lang: str) -> None:
    try:
        title = clean_text(raw, TITLE_LIMIT)
    except TextTooLong as error:
        await show(update, context, Screen(t("text.too_long", lang, length=error.length, limit=TITLE_LIMIT)))
        return
    except TextEmpty:
        return
    cadre = await context.cadre()
    now = utc_stamp(context.clock.now())
    async with context.db.transaction() as tx:
        topic_id = await topics.add_topic(tx, quarter.key, title, by=cadre.id if cadre else None, now=now)
        if topic_id is not None:
            await audit.record(
                tx, at=now, action="topic.add", actor_id=cadre.id if cadre else None,
                telegram_id=update.effective_user.id if update.effective_user else None,
                subject_type="quarter_topic", subject_id=topic_id,
            )
    key = "topics.added" if topic_id is not None else "topics.exists"
    await show(update, context, Screen(t(key, lang, title=title)))


async def _list(update: Update, context: BotContext, quarter: Quarter, lang: str) -> None:
    current = await topics.topics_of(context.db, quarter.key)
    # Bullets: on Zalo the numbered lines are the choices (here: remove a topic).
    items = "\n".join(f"• {topic.title}" for topic in current)
    buttons = [Option(t("topics.btn.remove", lang, title=topic.title[:40]), f"{CB_REMOVE}{topic.id}") for topic in current[:8]]
    text = t("topics.list", lang, quarter=quarter.label(lang), items=items or t("topics.none", lang))
    await show(update, context, Screen.of(text, *buttons))


async def remove(update: Update, context: BotContext) -> None:
    """Retires a topic (a top-unit admin's setting: it applies to everyone); reports keep it."""
    lang = await context.lang(update)
    if not await may_change_org_settings(update, context):
        return
    await answer_button(update)
    data = update.callback_query.data if update.callback_query else ""
    tail = (data or "")[len(CB_REMOVE) :]
    topic_id = parse_id(tail)
    if topic_id is not None and await topics.remove_topic(context.db, topic_id):
        cadre = await context.cadre()
        await audit.record(
            context.db, at=utc_stamp(context.clock.now()), action="topic.remove",
            actor_id=cadre.id if cadre else None, subject_type="quarter_topic", subject_id=topic_id,
        )
        await show(update, context, Screen(t("topics.removed", lang)))
    await _list(update, context, Quarter.of(context.clock.now().date()), lang)


def handlers() -> list:
    """/chude and its remove buttons."""
    return [
        CommandHandler(["chude", "topics"], topics_command),
        CallbackQueryHandler(remove, pattern=f"^{CB_REMOVE}"),
    ]
