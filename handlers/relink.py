"""An admin re-links a cadre (/golienket CODE: a new phone, a wrong link) and gives them a
fresh invite code; ``baocao invite`` issues codes the same way (``issue_invite``).

The code is shown once and only in a private chat: it is as good as the account.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from telegram import Update

from bot.context import BotContext
from bot.invites import DEFAULT_DAYS, deep_link, expires_at, format_code, hash_code, last_valid_day, new_code
from bot.screens import Option, Screen
from bot.texts import t
from domain.clock import utc_stamp
from domain.dates import format_date
from domain.ids import parse_id
from handlers.common import answer_button, deny, is_private, may_manage, say, show
from storage import audit, invites, registration, roster
from storage.db import Executor
from storage.records import Cadre

CB_NEW_INVITE = "reg:invite:"  # + cadre id


@dataclass(frozen=True, slots=True)
class IssuedInvite:
    cadre_id: int
    code: str  # canonical; the only place the plain code exists
    last_day: date

    @property
    def shown(self) -> str:
        """The code as people read and type it, in groups."""
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
