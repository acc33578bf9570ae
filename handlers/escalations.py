"""Escalations: posted to the Standing Committee, acknowledged and answered by admins.

An escalated issue is posted once (``escalation_posts`` remembers where), with buttons
to acknowledge and to answer. The answer is typed in the admin's private chat with the
bot, stored, and sent back to the cadre who raised it.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import Update
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from domain.clock import parse_stamp, utc_stamp
from bot.context import BotContext
from domain.dates import format_date
from domain.ids import parse_id
from bot.screens import Option, Screen, inline_markup
from domain.textinput import TextEmpty, TextTooLong, clean_text
from bot.texts import pick_language, t
from handlers.buttons import answer_expired
from handlers.common import answer_button, deny, show
from handlers.conversation import MarkedCallbackQueryHandler, MarkedMessageHandler, persistent_conversation
from scheduler.routes import send_to_cadre
from storage import escalations, roster, scope
from storage.escalations import Escalation

log = logging.getLogger(__name__)

ANSWER_LIMIT = 1500
CB_ACKNOWLEDGE = "esc:ack:"  # + issue id
CB_ANSWER = "esc:ans:"  # + issue id
CB_SEND = "esc:send"
CB_REWRITE = "esc:rewrite"
CB_DROP = "esc:drop"
TYPING_ANSWER = "escalation.typing_answer"
CONFIRMING_ANSWER = "escalation.confirming_answer"
ANSWERING_KEY = "answering_issue"
ANSWER_DRAFT_KEY = "answer_draft"
ANSWER_TOUCHED_KEY = "answer_touched_at"
# Typed text this long after the last step is not taken as the answer (as in the report flows).
ANSWER_IDLE_TIMEOUT = timedelta(hours=2)


def _where(e: Escalation) -> str:
    return f"{e.cell_name} — {e.commune_name}" if e.commune_name else e.cell_name


def post_screen(e: Escalation, lang: str, *, state: str = "") -> Screen:
    """The escalation as posted to the admins' group; every copy is redrawn from it when the state changes."""
    text = t(
        "esc.post",
        lang,
        number=e.issue_id,
        cadre=e.cadre_name,
        cell=_where(e),
        day=format_date(e.meeting_date),
        text=e.description,
        state=state,
    )
    if e.status == "answered":
        return Screen(text)
    buttons = [Option(t("esc.btn.answer", lang), f"{CB_ANSWER}{e.issue_id}")]
    if e.status == "open":
        buttons.insert(0, Option(t("esc.btn.acknowledge", lang), f"{CB_ACKNOWLEDGE}{e.issue_id}"))
    return Screen.of(text, buttons)


async def post_new_escalations(context: BotContext, report_id: int) -> None:
    """Posts the report's escalations that were not posted yet; failures stay for /kiennghi."""
    lang = context.config.default_language
    targets = await escalations.destinations(context.db, context.config.admin_ids)
    for escalation in await escalations.unposted(context.db, report_id):
        screen = post_screen(escalation, lang)
        for chat_id in targets:
            bot = context.bot_data.channels.bot_for_chat(chat_id)  # the admin's own messenger
            if bot is None:
                continue
            try:
                message = await bot.send_message(chat_id, screen.text, reply_markup=inline_markup(screen))
            except TelegramError as error:
                log.warning("escalation %s not posted to a chat: %s", escalation.issue_id, error)
                continue
            now = utc_stamp(context.clock.now())
            await escalations.record_post(context.db, escalation.issue_id, chat_id, message.message_id, now)


async def _refresh_posts(context: BotContext, issue_id: int) -> None:
    """Shows the new state (acknowledged, answered) on every posted copy."""
    escalation = await escalations.get(context.db, issue_id)
    if escalation is None:
        return
    lang = context.config.default_language
    stamp = format_date(context.clock.now().date())
    if escalation.status == "answered":
        state = t("esc.state_answered", lang, at=stamp, answer=escalation.answer or "")
    else:
        state = t("esc.state_acknowledged", lang, at=stamp)
    screen = post_screen(escalation, lang, state=state)
    for chat_id, message_id in await escalations.posts(context.db, issue_id):
        bot = context.bot_data.channels.bot_for_chat(chat_id)
        if bot is None:
            continue
        try:
            await bot.edit_message_text(
                screen.text, chat_id=chat_id, message_id=message_id, reply_markup=inline_markup(screen)
            )
        except BadRequest as error:  # "not modified", or the message was deleted
            log.debug("escalation post not updated: %s", error)
        except TelegramError as error:
            log.warning("escalation post not updated: %s", error)


async def _tell_cadre(context: BotContext, escalation: Escalation, key: str, **values: object) -> bool:
    """On the messenger the cadre used last, else their other one (scheduler/routes.py)."""
    cadre = await roster.get_cadre(context.db, escalation.cadre_id)
    text = t(
        key,
        pick_language(cadre.language if cadre else None, None, context.config.default_language),
        number=escalation.issue_id,
        cell=_where(escalation),
        day=format_date(escalation.meeting_date),
        **values,
    )
    try:
        sent = await send_to_cadre(
            context.db, context.bot_data.channels, escalation.cadre_id, lambda bot, chat_id: bot.send_message(chat_id, text)
        )
    except (Forbidden, BadRequest):
        return False
    return sent is not None


async def _issue_for_admin(update: Update, context: BotContext, prefix: str) -> Escalation | None:
    """The escalation a button names, if the presser is an admin; answers the button."""
    query = update.callback_query
    lang = await context.lang(update)
    if not await context.is_admin():
        await deny(update, context, "esc.admins_only", action="escalation_button")
        return None
    tail = (query.data or "")[len(prefix) :] if query else ""
    issue_id = parse_id(tail)
    escalation = await escalations.get(context.db, issue_id) if issue_id is not None else None
    if escalation is None:
        await answer_button(update, t("esc.not_found", lang))
        return None
    if not await scope.cell_in_scope(context.db, escalation.cell_id, await context.admin_scope()):
        await deny(update, context, "esc.out_of_scope", action="escalation_out_of_scope")
        return None
    return escalation


async def acknowledge(update: Update, context: BotContext) -> None:
    """An admin takes up the escalation: recorded once, the cadre told, every copy updated."""
    escalation = await _issue_for_admin(update, context, CB_ACKNOWLEDGE)
    if escalation is None:
        return
    cadre = await context.cadre()
    user_id = update.effective_user.id if update.effective_user else 0
    now = utc_stamp(context.clock.now())
    changed = await escalations.acknowledge(
        context.db, escalation.issue_id, by=cadre.id if cadre else None, telegram_id=user_id, now=now
    )
    await answer_button(update, t("esc.acknowledged_toast", await context.lang(update)))
    if changed:
        await _refresh_posts(context, escalation.issue_id)
        await _tell_cadre(context, escalation, "esc.to_cadre_acknowledged")


async def start_answer(update: Update, context: BotContext) -> object:
    """The Answer button (in the group, in a DM, or in /kiennghi): asks for the text privately."""
    escalation = await _issue_for_admin(update, context, CB_ANSWER)
    if escalation is None:
        return ConversationHandler.END
    lang = await context.lang(update)
    await answer_button(update)
    if escalation.status == "answered":
        await show(update, context, Screen(t("esc.already_answered", lang, number=escalation.issue_id)))
        return ConversationHandler.END
    user = update.effective_user
    assert user is not None
    prompt = t("esc.type_answer", lang, number=escalation.issue_id, text=escalation.description, limit=ANSWER_LIMIT)
    try:
        await context.bot.send_message(user.id, prompt)
    except Forbidden:
        await show(update, context, Screen(t("esc.open_private_chat", lang)))
        return ConversationHandler.END
    context.user_data[ANSWERING_KEY] = escalation.issue_id
    context.user_data[ANSWER_TOUCHED_KEY] = utc_stamp(context.clock.now())
    context.user_data.pop(ANSWER_DRAFT_KEY, None)
    return TYPING_ANSWER


async def typed_answer(update: Update, context: BotContext) -> object:
    """The typed answer is shown back with «Gửi», «Sửa», «Hủy»: nothing is sent yet."""
    lang = await context.lang(update)
    issue_id = context.user_data.get(ANSWERING_KEY)
    message = update.effective_message
    if issue_id is None or message is None:
        return ConversationHandler.END
    touched = context.user_data.get(ANSWER_TOUCHED_KEY)
    if touched is None or context.clock.now() - parse_stamp(touched) > ANSWER_IDLE_TIMEOUT:
        _forget_answer(context)  # typed long after the question: not taken as the answer
        await show(update, context, Screen(t("esc.answer_timed_out", lang)))
        return ConversationHandler.END
    try:
        text = clean_text(message.text or "", ANSWER_LIMIT)
    except TextTooLong as error:
        await show(update, context, Screen(t("text.too_long", lang, length=error.length, limit=ANSWER_LIMIT)))
        return TYPING_ANSWER
    except TextEmpty:
        await show(update, context, Screen(t("text.empty", lang)))
        return TYPING_ANSWER
    context.user_data[ANSWER_DRAFT_KEY] = text
    context.user_data[ANSWER_TOUCHED_KEY] = utc_stamp(context.clock.now())
    screen = Screen.of(
        t("esc.answer_review", lang, number=issue_id, answer=text),
        Option(t("esc.btn.send", lang), CB_SEND),
        Option(t("esc.btn.rewrite", lang), CB_REWRITE),
        Option(t("esc.btn.drop", lang), CB_DROP),
    )
    await show(update, context, screen)
    return CONFIRMING_ANSWER


async def rewrite_answer(update: Update, context: BotContext) -> object:
    """«Sửa»: type the answer again."""
    await answer_button(update)
    lang = await context.lang(update)
    context.user_data[ANSWER_TOUCHED_KEY] = utc_stamp(context.clock.now())
    await show(update, context, Screen(t("esc.type_again", lang, limit=ANSWER_LIMIT)), edit=True)
    return TYPING_ANSWER


async def send_answer(update: Update, context: BotContext) -> object:
    """«Gửi»: the answer is stored, sent to the cadre and shown on every posted copy."""
    await answer_button(update)
    lang = await context.lang(update)
    issue_id = context.user_data.get(ANSWERING_KEY)
    text = context.user_data.get(ANSWER_DRAFT_KEY)
    _forget_answer(context)
    if issue_id is None or not text:
        await answer_expired(update, context, edit=True, answered=True)
        return ConversationHandler.END
    cadre = await context.cadre()
    user_id = update.effective_user.id if update.effective_user else 0
    now = utc_stamp(context.clock.now())
    saved = await escalations.answer(
        context.db, issue_id, text, by=cadre.id if cadre else None, telegram_id=user_id, now=now
    )
    escalation = await escalations.get(context.db, issue_id)
    if not saved or escalation is None:
        await show(update, context, Screen(t("esc.already_answered", lang, number=issue_id)), edit=True)
        return ConversationHandler.END
    delivered = await _tell_cadre(context, escalation, "esc.to_cadre_answer", question=escalation.description, answer=text)
    key = "esc.answer_saved" if delivered else "esc.answer_saved_unsent"
    await show(update, context, Screen(t(key, lang, number=issue_id, cadre=escalation.cadre_name)), edit=True)
    await _refresh_posts(context, issue_id)
    return ConversationHandler.END


async def cancel_answer(update: Update, context: BotContext) -> object:
    """/huy or «Hủy»: nothing is stored or sent."""
    await answer_button(update)
    _forget_answer(context)
    await show(update, context, Screen(t("esc.answer_cancelled", await context.lang(update))), edit=True)
    return ConversationHandler.END


async def end_answer_on_command(update: Update, context: BotContext) -> None:
    """Any command ends an answer being typed: what follows belongs to that command's
    flow (a name typed for /mienbaocao must never become an answer to an escalation)."""
    if context.user_data is not None and ANSWERING_KEY in context.user_data:
        _forget_answer(context)


def _forget_answer(context: BotContext) -> None:
    for key in (ANSWERING_KEY, ANSWER_DRAFT_KEY, ANSWER_TOUCHED_KEY):
        context.user_data.pop(key, None)


async def list_open(update: Update, context: BotContext) -> None:
    """/kiennghi: open escalations with their age, oldest first, for admins."""
    lang = await context.lang(update)
    if not await context.is_admin():
        await deny(update, context, "admin_only", action="admin_command")
        return
    waiting = await escalations.open_ones(context.db, await context.admin_scope(), limit=20)
    if not waiting:
        await show(update, context, Screen(t("esc.list_empty", lang)))
        return
    today = context.clock.now().date()
    lines = [t("esc.list_title", lang, count=len(waiting))]
    for e in waiting:
        age = (today - parse_stamp(e.reported_at).astimezone(context.clock.tz).date()).days
        acknowledged = t("esc.list_acknowledged", lang) if e.status == "acknowledged" else ""
        lines.append(
            t("esc.list_line", lang, number=e.issue_id, days=age, cadre=e.cadre_name,
              cell=_where(e), text=e.description[:120], acknowledged=acknowledged)
        )
    buttons = [Option(t("esc.btn.answer_number", lang, number=e.issue_id), f"{CB_ANSWER}{e.issue_id}") for e in waiting[:8]]
    await show(update, context, Screen.of("\n\n".join(lines), *buttons))


def handlers() -> list:
    """The escalation handlers, in the order they are tried."""
    typed = filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE
    answering = {"marker": ANSWERING_KEY}  # a command since then has ended the answer
    answer_conversation = persistent_conversation(
        "escalation_answer",
        entry_points=[CallbackQueryHandler(start_answer, pattern=f"^{CB_ANSWER}")],
        states={
            TYPING_ANSWER: [MarkedMessageHandler(typed, typed_answer, **answering)],
            CONFIRMING_ANSWER: [
                MarkedCallbackQueryHandler(send_answer, pattern=f"^{CB_SEND}$", **answering),
                MarkedCallbackQueryHandler(rewrite_answer, pattern=f"^{CB_REWRITE}$", **answering),
                MarkedCallbackQueryHandler(cancel_answer, pattern=f"^{CB_DROP}$", **answering),
                MarkedMessageHandler(typed, typed_answer, **answering),  # a new text replaces it
            ],
        },
        fallbacks=[CommandHandler(["huy", "cancel"], cancel_answer)],
        per_chat=False,  # pressed in the group, typed in the private chat
        allow_reentry=True,
    )
    return [
        answer_conversation,
        CallbackQueryHandler(acknowledge, pattern=f"^{CB_ACKNOWLEDGE}"),
        CommandHandler(["kiennghi", "escalations"], list_open),
    ]


def interruptions() -> list:
    """Run before the main group: a command ends an answer being typed."""
    return [MessageHandler(filters.COMMAND, end_answer_on_command)]
