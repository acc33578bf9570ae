"""What every handler does the same way: show a screen, answer a button, check a role."""

from __future__ import annotations

import logging

import httpx
from telegram import Message, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, NetworkError

from domain.clock import utc_stamp
from bot.context import BotContext
from bot.screens import Screen, inline_markup
from bot.texts import t
from storage import audit, scope
from storage.records import Cadre

log = logging.getLogger(__name__)


async def show(update: Update, context: BotContext, screen: Screen, *, edit: bool = False) -> Message | None:
    """Shows a screen: edits the pressed message when ``edit``, else sends a new one.

    Editing keeps a conversation to one message that changes, which is what a cadre on
    a small screen can follow; a message that cannot be edited any more (too old, or
    deleted) is replaced by a new one rather than failing.

    A timeout or a dropped connection means Telegram may well have shown the screen
    without the bot hearing back. The step goes on as if it had (the draft is saved
    either way): raising would leave the conversation one step behind the screen the
    cadre sees. If it really was lost, an old button answers "expired" and /baocao
    offers to continue the draft.
    """
    try:
        return await _show(update, context, screen, edit=edit)
    except NetworkError as error:
        if not _maybe_delivered(error):
            raise  # certainly not shown (no connection, a 5xx): the cadre is told to retry
        log.info("no answer from Telegram for update %s; taking the screen as shown", update.update_id)
        return None


def _maybe_delivered(error: NetworkError) -> bool:
    """The request reached Telegram but its answer did not reach us."""
    return isinstance(
        error.__cause__, httpx.ReadTimeout | httpx.WriteTimeout | httpx.RemoteProtocolError | httpx.ReadError
    )


# Telegram's limit on a message's text, in UTF-16 code units.
TEXT_LIMIT = 4096


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """A text in parts that each fit one message, cut at line ends where there are any."""
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        while _units(line) > limit:  # a single line too long: cut it hard
            cut = limit
            while _units(line[:cut]) > limit:
                cut -= 1
            parts, current = [*parts, *([current] if current else []), line[:cut]], ""
            line = line[cut:]
        candidate = f"{current}\n{line}" if current else line
        if _units(candidate) > limit:
            parts.append(current)
            candidate = line
        current = candidate
    return [*parts, current]


async def _show(update: Update, context: BotContext, screen: Screen, *, edit: bool) -> Message | None:
    """A screen too long for one message (a review with long notes and six issues) is
    shown in parts, the buttons on the last one, so that it can still be sent."""
    *heads, last = split_text(screen.text)
    for head in heads:
        await _show_part(update, context, Screen(head), edit=edit)
        edit = False
    return await _show_part(update, context, Screen(last, screen.rows), edit=edit)


async def _show_part(update: Update, context: BotContext, screen: Screen, *, edit: bool) -> Message | None:
    query = update.callback_query
    markup = inline_markup(screen)
    if edit and query is not None and query.message is not None:
        try:
            result = await query.edit_message_text(screen.text, reply_markup=markup)
            return result if isinstance(result, Message) else None
        except BadRequest as exc:
            if "not modified" in str(exc).lower():
                return None
            log.info("could not edit a message (%s); sending a new one", exc)
    chat = update.effective_chat
    if chat is None:
        return None
    return await context.bot.send_message(chat.id, screen.text, reply_markup=markup)


async def answer_button(update: Update, text: str | None = None) -> None:
    """Every button press gets an answer, or the phone keeps showing a spinner."""
    query = update.callback_query
    if query is None:
        return
    try:
        await query.answer(text)
    except BadRequest:
        # The query is too old to answer (the bot was down): nothing is lost by that.
        log.debug("callback query %s too old to answer", query.id)


async def drop_buttons(update: Update) -> None:
    """The pressed message loses its buttons once they are answered (a material received,
    a meeting answered), so an old copy cannot be pressed again by mistake."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    try:
        await query.edit_message_reply_markup(reply_markup=None)
    except BadRequest:
        pass  # too old, or already without them


def is_private(update: Update) -> bool:
    """Whether the update comes from a private chat: codes and personal screens stay there."""
    chat = update.effective_chat
    return chat is not None and chat.type == ChatType.PRIVATE


async def record_denial(update: Update, context: BotContext, action: str) -> None:
    """Writes a refused attempt to the audit log: ids only (who, in which chat, what)."""
    user, chat = update.effective_user, update.effective_chat
    cadre = await context.cadre()
    await audit.record(
        context.db,
        at=utc_stamp(context.clock.now()),
        action=f"denied.{action}",
        actor_id=cadre.id if cadre else None,
        telegram_id=user.id if user else None,
        details={"chat_id": chat.id if chat else None},
    )


async def deny(update: Update, context: BotContext, key: str, *, action: str, **values: object) -> None:
    """Refuses politely in the user's language and records the attempt in the audit log.

    The log keeps ids, never message texts: enough for the Standing Committee to see
    who keeps trying what.
    """
    await record_denial(update, context, action)
    text = t(key, await context.lang(update), **values)
    if update.callback_query is not None:
        await answer_button(update, text)
    if update.callback_query is None or is_private(update):
        await show(update, context, Screen(text))


async def may_manage(context: BotContext, cadre: Cadre) -> bool:
    """Whether this admin may act on ``cadre``'s account: inside their scope, and never
    on an admin of a wider scope (storage/scope.py ``may_manage_cadre``)."""
    whole_roster = cadre.telegram_id is not None and cadre.telegram_id in context.config.admin_ids
    return await scope.may_manage_cadre(context.db, await context.admin_scope(), cadre, whole_roster=whole_roster)


async def is_top_admin(context: BotContext) -> bool:
    """An admin of the top unit (or BAOCAO_ADMINS): settings that apply to everyone are theirs."""
    return await context.is_admin() and await context.admin_scope() is None


async def may_change_org_settings(update: Update, context: BotContext) -> bool:
    """Settings that apply to everyone (days off, topics, the transfer rule) belong to the
    top unit's admins; anyone else is refused, and the refusal audited."""
    if not await context.is_admin():
        action = "admin_button" if update.callback_query else "admin_command"
        await deny(update, context, "admin_only", action=action)
        return False
    if not await is_top_admin(context):
        await deny(update, context, "scope.org_setting", action="org_setting")
        return False
    return True


async def home_unit(context: BotContext) -> int | None:
    """The unit whose commune leads this user's lists: a scoped admin's scope, else the
    cadre's own unit (a commune, or a village in one); None for the top unit."""
    if await context.is_admin():
        return await context.admin_scope()
    cadre = await context.cadre()
    return cadre.unit_id if cadre else None


async def say(update: Update, context: BotContext, key: str, **values: object) -> None:
    """Sends one catalogue text in the user's language."""
    await show(update, context, Screen(t(key, await context.lang(update), **values)))
