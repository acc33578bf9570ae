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
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from telegram import ReplyKeyboardRemove, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from domain.ids import parse_id
from domain.clock import parse_stamp, utc_stamp
from bot.context import LANGUAGE_KEY, BotContext
from domain.dates import format_date
from bot.invites import (
    CODE_MESSAGE,
    CODE_PATTERN,
    CODE_SHAPED,
    DEFAULT_DAYS,
    deep_link,
    expires_at,
    format_code,
    hash_code,
    last_valid_day,
    new_code,
    normalise_code,
)
from domain.phones import PhoneError, normalise_phone
from bot.screens import Option, Screen
from bot.texts import LANGUAGES, t
from handlers.common import answer_button, deny, is_private, may_manage, say, show
from handlers.menu import help_lines
from handlers.start import refuse_unknown
from storage import audit, invites, registration, roster
from storage.db import Executor
from storage.invites import Outcome
from storage.records import Cadre
from storage.registration import AccountTaken, CadreTaken

CB_LANGUAGE = "lang:"  # + vi | en
CB_NEW_INVITE = "reg:invite:"  # + cadre id

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


@dataclass(frozen=True, slots=True)
class IssuedInvite:
    cadre_id: int
    code: str  # canonical; the only place the plain code exists
    last_day: date

    @property
    def shown(self) -> str:
        return format_code(self.code)


async def issue_invite(
    tx: Executor,
    cadre_id: int,
    now: datetime,
    days: int = DEFAULT_DAYS,
    *,
    actor_id: int | None = None,
    actor_telegram_id: int | None = None,
) -> IssuedInvite:
    """A new code for a cadre (their older unused ones stop working), audited.

    Shared by ``baocao invite`` and the admin's button after /golienket.
    """
    code = new_code()
    stamp = utc_stamp(now)
    salt = await invites.salt(tx)
    await invites.create(tx, cadre_id, hash_code(code, salt), now=stamp, expires_at=utc_stamp(expires_at(now, days)))
    await audit.record(
        tx,
        at=stamp,
        action="cadre.invite",
        actor_id=actor_id,
        telegram_id=actor_telegram_id,
        subject_type="cadre",
        subject_id=cadre_id,
        details={"days": days},
    )
    return IssuedInvite(cadre_id, code, last_valid_day(now, days))


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


# --- an admin re-links: /golienket CODE ----------------------------------------------------------


async def unlink_command(update: Update, context: BotContext) -> None:
    """/golienket CODE: removes a cadre's Telegram link (a new phone, a wrong link)."""
    lang = await context.lang(update)
    if not await context.is_admin():
        await deny(update, context, "admin_only", action="admin_command")
        return
    if not context.args:
        await say(update, context, "reg.unlink_usage")
        return
    raw = context.args[0].strip()
    cadre = await roster.cadre_by_code(context.db, raw) or await roster.cadre_by_code(context.db, raw.upper())
    if cadre is None:
        await say(update, context, "reg.unlink_not_found", code=raw)
        return
    if not await may_manage(context, cadre):
        await deny(update, context, "scope.cadre_out_of_scope", action="cadre_out_of_scope", code=cadre.code)
        return
    admin = await context.cadre()
    user = update.effective_user
    async with context.db.transaction() as tx:
        previous = await registration.unlink(
            tx,
            cadre.id,
            actor_id=admin.id if admin else None,
            actor_telegram_id=user.id if user else None,
            now=utc_stamp(context.clock.now()),
        )
    key = "reg.unlinked" if previous is not None else "reg.unlink_not_linked"
    text = t(key, lang, name=cadre.full_name, code=cadre.code)
    # The new code is shown only in a private chat: never in a group.
    if is_private(update) and cadre.active:
        button = Option(t("reg.btn.new_invite", lang), f"{CB_NEW_INVITE}{cadre.id}")
        await show(update, context, Screen.of(text, button))
    else:
        await show(update, context, Screen(text))


async def new_invite(update: Update, context: BotContext) -> None:
    """The admin's button after /golienket: a fresh code, shown once, in the private chat."""
    if not await context.is_admin():
        await deny(update, context, "admin_only", action="admin_button")  # answers the button
        return
    lang = await context.lang(update)
    query = update.callback_query
    tail = (query.data or "")[len(CB_NEW_INVITE) :] if query else ""
    cadre_id = parse_id(tail)
    cadre = await roster.get_cadre(context.db, cadre_id) if cadre_id is not None else None
    if cadre is not None and not await may_manage(context, cadre):  # a forged or an old button
        await deny(update, context, "scope.cadre_out_of_scope", action="cadre_out_of_scope", code=cadre.code)
        return
    await answer_button(update)
    if not is_private(update):
        await show(update, context, Screen(t("private_only", lang)))
        return
    if cadre is None or not cadre.active:
        await show(update, context, Screen(t("reg.unlink_not_found", lang, code=tail)))
        return
    issued = await _issue_for_admin(context, cadre, update)
    username = context.bot.username
    link = t("reg.new_invite_link", lang, url=deep_link(username, issued.code)) if username else ""
    text = t(
        "reg.new_invite",
        lang,
        name=cadre.full_name,
        code=cadre.code,
        invite=issued.shown,
        expires=format_date(issued.last_day),
        link=link,
    )
    await show(update, context, Screen(text), edit=True)


async def _issue_for_admin(context: BotContext, cadre: Cadre, update: Update) -> IssuedInvite:
    admin = await context.cadre()
    user = update.effective_user
    async with context.db.transaction() as tx:
        return await issue_invite(
            tx,
            cadre.id,
            context.clock.now(),
            actor_id=admin.id if admin else None,
            actor_telegram_id=user.id if user else None,
        )


# --- language: /ngonngu ------------------------------------------------------------------------


async def language_command(update: Update, context: BotContext) -> None:
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
