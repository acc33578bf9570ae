"""Registration: a stranger links their Telegram account to a roster cadre.

Two ways in. An invite code from the committee's office (``baocao invite``), typed as a
message or opened as a deep link ``t.me/<bot>?start=CODE``; or the share-my-phone-number
button, when the number is the one on the roster. One account links to one cadre;
linking again needs an admin (``/golienket CODE``), who may then issue a new code.

These handlers sit before the conversations in the main group, so they must never take
what a registered cadre sends to a conversation: typed text is taken only from people
with no cadre (``ForStrangers``). /start CODE and a shared contact from a registered
account are answered with "already linked" (no conversation waits for either), and
/ngonngu and /golienket work for everyone.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from telegram import ReplyKeyboardRemove, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.context import BotContext
from bot.invites import CODE_MESSAGE, CODE_PATTERN, CODE_SHAPED, hash_code, normalise_code
from bot.texts import LANGUAGES, t
from domain.clock import parse_stamp, utc_stamp
from domain.phones import PhoneError, normalise_phone
from handlers.common import say
from handlers.language import CB_LANGUAGE, language_chosen, language_command
from handlers.menu import help_lines
from handlers.relink import CB_NEW_INVITE, new_invite, unlink_command
from storage import invites, registration
from storage.invites import Outcome
from storage.registration import AccountTaken, CadreTaken

# Guessing codes: five failed attempts by one account within an hour block the next ones.
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(hours=1)

START_WITH_CODE = re.compile(rf"^/start(?:@\w+)?\s+({CODE_PATTERN})\s*$")

REFUSAL_KEYS = {
    Outcome.UNKNOWN: "reg.code_wrong",
    Outcome.USED: "reg.code_used",
    Outcome.REVOKED: "reg.code_revoked",
    Outcome.EXPIRED: "reg.code_expired",
    Outcome.CADRE_TAKEN: "reg.cadre_taken",
}


class ForStrangers(MessageHandler):
    """A message handler that acts only for people with no linked cadre (nor admin rights).

    Filters are synchronous and cannot ask the database who is linked, and in a handler
    group the first handler that matches wins. So this handler matches as a plain
    MessageHandler, asks in ``handle_update``, and for a registered cadre hands the update
    to the next handler of its group that wants it (the conversation waiting for their
    answer, or the fallback), exactly as if it had not matched.
    """

    async def handle_update(
        self, update: Update, application: Application, check_result: Any, context: Any
    ) -> Any:
        """Handles the update for a stranger; a cadre's goes on to the next handler."""
        if await context.cadre() is None and not await context.is_admin():
            return await super().handle_update(update, application, check_result, context)
        return await _pass_on(self, update, application, context)


async def _pass_on(handler: MessageHandler, update: Update, application: Application, context: Any) -> Any:
    for group in application.handlers.values():
        if handler not in group:
            continue
        for later in group[group.index(handler) + 1 :]:
            check = later.check_update(update)
            if check is not None and check is not False:
                return await later.handle_update(update, application, check, context)
    return None


# --- invite codes ------------------------------------------------------------------------------


async def typed_code(update: Update, context: BotContext) -> None:
    """A stranger's message that looks like an invite code."""
    message = update.effective_message
    await _use_code(update, context, message.text if message and message.text else "")


async def start_with_code(update: Update, context: BotContext) -> None:
    """/start CODE: the deep link t.me/<bot>?start=CODE, or the code typed after /start."""
    cadre = await context.cadre()
    if cadre is not None:
        await say(update, context, "reg.account_taken", name=cadre.full_name)
        return
    message = update.effective_message
    match = START_WITH_CODE.match(message.text or "") if message else None
    await _use_code(update, context, match[1] if match else "")


async def _use_code(update: Update, context: BotContext, text: str) -> None:
    user = update.effective_user
    if user is None:
        return
    now = context.clock.now()
    blocked_until = await _blocked_until(context, user.id, now)
    if blocked_until is not None:
        time = blocked_until.astimezone(context.clock.tz).strftime("%H:%M")
        await say(update, context, "reg.too_many_attempts", time=time)
        return
    code = normalise_code(text)
    if code is None:
        outcome = Outcome.UNKNOWN
    else:
        code_hash = hash_code(code, await invites.salt(context.db))
        outcome = (await invites.redeem(context.db, code_hash, user.id, utc_stamp(now), channel=context.channel)).outcome
    if outcome is Outcome.LINKED:
        await _welcome(update, context)
        return
    forget_before = utc_stamp(now - FAILURE_WINDOW)
    await invites.record_failure(context.db, user.id, utc_stamp(now), forget_before=forget_before)
    await _refuse(update, context, outcome)


async def _blocked_until(context: BotContext, telegram_id: int, now: datetime) -> datetime | None:
    """When the account may try a code again, if it failed too often in the last hour."""
    failures = await invites.failures_since(context.db, telegram_id, utc_stamp(now - FAILURE_WINDOW))
    if len(failures) < MAX_FAILURES:
        return None
    return parse_stamp(failures[-MAX_FAILURES]) + FAILURE_WINDOW


async def _refuse(update: Update, context: BotContext, outcome: Outcome) -> None:
    if outcome is Outcome.ACCOUNT_TAKEN:
        context.forget_cadre()
        cadre = await context.cadre()
        await say(update, context, "reg.account_taken", name=cadre.full_name if cadre else "")
        return
    await say(update, context, REFUSAL_KEYS.get(outcome, "reg.code_wrong"))


# --- sharing the phone contact ------------------------------------------------------------------


def mask_phone(raw: str) -> str:
    """The number as the person knows it, mostly hidden: 0912345678 → 09•• ••• 678."""
    try:
        national = "0" + normalise_phone(raw)[3:]
    except PhoneError:
        digits = "".join(c for c in raw if c.isdigit())
        return "•" * max(len(digits) - 3, 0) + digits[-3:]
    return f"{national[:2]}•• ••• {national[-3:]}"


async def shared_contact(update: Update, context: BotContext) -> None:
    """Telegram's share-my-phone-number button: links when the number is on the roster."""
    message = update.effective_message
    user = update.effective_user
    if message is None or message.contact is None or user is None:
        return
    cadre = await context.cadre()
    if cadre is not None:
        await say(update, context, "reg.account_taken", name=cadre.full_name)
        return
    contact = message.contact
    if contact.user_id != user.id:
        await say(update, context, "reg.contact_not_own")
        return
    cadre_ids = await _cadres_with_phone(context, contact.phone_number)
    if len(cadre_ids) != 1:
        key = "reg.phone_ambiguous" if cadre_ids else "reg.phone_not_found"
        await say(update, context, key, phone=mask_phone(contact.phone_number))
        return
    try:
        async with context.db.transaction() as tx:
            await registration.link(tx, cadre_ids[0], user.id, utc_stamp(context.clock.now()), method="contact")
    except CadreTaken:
        await _refuse(update, context, Outcome.CADRE_TAKEN)
        return
    except AccountTaken:
        await _refuse(update, context, Outcome.ACCOUNT_TAKEN)
        return
    await _welcome(update, context)


async def _cadres_with_phone(context: BotContext, raw: str) -> list[int]:
    try:
        phone = normalise_phone(raw)
    except PhoneError:
        return []
    return await registration.active_cadre_ids_by_phone(context.db, phone)


async def _welcome(update: Update, context: BotContext) -> None:
    """The welcome of /start, and the share-phone keyboard goes away."""
    context.forget_cadre()
    cadre = await context.cadre()
    chat = update.effective_chat
    if cadre is None or chat is None:
        return
    lang = await context.lang(update)
    commands = help_lines(lang, admin=await context.is_admin(), secretary=await context.is_secretary())
    text = t("welcome", lang, name=cadre.full_name, commands=commands)
    await context.bot.send_message(chat.id, text, reply_markup=ReplyKeyboardRemove())


def handlers() -> list:
    """The registration handlers, in the order they are tried."""
    private = filters.ChatType.PRIVATE
    code_shaped = filters.Regex(CODE_MESSAGE) | filters.Regex(CODE_SHAPED)  # valid or not: told which
    return [
        CommandHandler(["ngonngu", "language"], language_command),
        CallbackQueryHandler(language_chosen, pattern=f"^{CB_LANGUAGE}({'|'.join(LANGUAGES)})$"),
        CommandHandler(["golienket", "unlink"], unlink_command),
        CallbackQueryHandler(new_invite, pattern=rf"^{CB_NEW_INVITE}\d+$"),
        MessageHandler(private & filters.Regex(START_WITH_CODE), start_with_code),
        MessageHandler(private & filters.CONTACT, shared_contact),
        ForStrangers(private & filters.TEXT & ~filters.COMMAND & code_shaped, typed_code),
    ]
