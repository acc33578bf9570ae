"""Group chats: registering them for summaries, and summaries on demand.

- ``/dangkynhom`` inside a group, by an admin: the group receives the summaries of the
  organisation's top unit (a scoped admin's: their unit); ``/dangkynhom <commune name or
  unit code>`` scopes it to that unit;
  ``/dangkynhom btv`` makes it the Standing Committee's group, which also receives
  escalations (storage/escalations.py ``destinations``).
- ``/huydangky``: an admin unregisters the group.
- ``/tonghop`` (``/summary``): the summary now — in a registered group for its scope,
  or privately for an admin. An unregistered group is told how to register.

Scoped admins (storage/scope.py): a commune's admin registers a group only for their
commune or a unit inside it (the default is their commune), never the Standing
Committee's group, unregisters only such groups, and privately sees their scope's
summary only. Refusals are audit-logged (handlers/common.py ``deny``).
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from domain.clock import utc_stamp
from bot.context import BotContext
from domain.textinput import fold
from domain.quarters import Quarter
from bot.texts import t
from handlers.common import deny, is_private, say
from scheduler.digests import send_summary
from scheduler.sending import Throttle
from scheduler.summaries import load_summary
from storage import groups, places, roster, scope
from storage.groups import PURPOSE_STANDING_COMMITTEE, PURPOSE_SUMMARY
from storage.records import Unit

STANDING_COMMITTEE_WORDS = {"btv", "ban thuong vu", "bantv", "standing", "standing committee"}


async def _default_scope(context: BotContext) -> Unit | None:
    """A scoped admin's own unit; else the top unit over the admin's unit; else the
    organisation's top unit; else (a roster of several trees) everything (None)."""
    admin_scope = await context.admin_scope()
    if admin_scope is not None:
        return await roster.get_unit(context.db, admin_scope)
    cadre = await context.cadre()
    top = await scope.top_unit_of(context.db, cadre.unit_id if cadre else None)
    return top or await scope.top_unit(context.db)


async def _within_admin_scope(context: BotContext, unit_id: int | None) -> bool:
    """Whether this admin may act for a group scoped to ``unit_id`` (None: everything)."""
    admin_scope = await context.admin_scope()
    if admin_scope is None:
        return True
    return unit_id is not None and unit_id in await scope.units_within(context.db, admin_scope)


async def _deny_out_of_scope(update: Update, context: BotContext) -> None:
    unit = await _default_scope(context)
    await deny(update, context, "sched.group.out_of_scope", action="group_out_of_scope",
               scope=unit.name if unit else "")


async def register_group(update: Update, context: BotContext) -> None:
    """/dangkynhom [unit]: an admin registers the group for the digests of a unit in their
    scope, or (top unit only) as the Standing Committee's group."""
    lang = await context.lang(update)
    chat = update.effective_chat
    if chat is None or is_private(update):
        await say(update, context, "sched.group.use_in_group")
        return
    if not await context.is_admin():
        await deny(update, context, "sched.group.admins_only", action="group_admin_only")
        return
    argument = " ".join(context.args or []).strip()
    purpose = PURPOSE_SUMMARY
    if fold(argument) in STANDING_COMMITTEE_WORDS:
        if await context.admin_scope() is not None:  # the Standing Committee is the top unit's
            await _deny_out_of_scope(update, context)
            return
        purpose, argument = PURPOSE_STANDING_COMMITTEE, ""
    if argument:
        found = await groups.find_scope_units(context.db, argument)
        if len(found) != 1:
            await _explain_unit_choice(update, context, argument, found)
            return
        unit: Unit | None = found[0]
    else:
        unit = await _default_scope(context)
    if not await _within_admin_scope(context, unit.id if unit else None):
        await _deny_out_of_scope(update, context)
        return
    cadre = await context.cadre()
    user = update.effective_user
    await groups.register(
        context.db,
        chat_id=chat.id,
        title=chat.title or "",
        unit_id=unit.id if unit else None,
        purpose=purpose,
        by=cadre.id if cadre else None,
        telegram_id=user.id if user else None,
        now=utc_stamp(context.clock.now()),
    )
    key = "sched.group.registered_btv" if purpose == PURPOSE_STANDING_COMMITTEE else "sched.group.registered"
    await say(
        update, context, key,
        title=chat.title or "",
        scope=unit.name if unit else t("sched.scope_all", lang),
        weekday=t(f"sched.weekday.{context.config.digest_weekday}", lang),
        hour=context.config.digest_hour,
    )


async def _explain_unit_choice(update: Update, context: BotContext, text: str, found: list[Unit]) -> None:
    """No unit, or several, answer to what the admin typed: say so, with codes to use."""
    if found:
        codes = ", ".join(unit.code for unit in found[:8])
        await say(update, context, "sched.group.unit_ambiguous", text=text, codes=codes)
        return
    communes = await places.communes(context.db)
    example = communes[0].code if communes else "KR-TLAP"
    await say(update, context, "sched.group.unit_not_found", text=text, example=example)


async def unregister_group(update: Update, context: BotContext) -> None:
    """/huydangky: the group gets no more digests (an admin within the group's scope)."""
    chat = update.effective_chat
    if chat is None or is_private(update):
        await say(update, context, "sched.group.use_in_group")
        return
    if not await context.is_admin():
        await deny(update, context, "sched.group.admins_only", action="group_admin_only")
        return
    group = await groups.get(context.db, chat.id)
    if group is not None and not await _within_admin_scope(context, group.unit_id):
        await _deny_out_of_scope(update, context)
        return
    cadre = await context.cadre()
    user = update.effective_user
    await groups.unregister(
        context.db, chat.id, by=cadre.id if cadre else None,
        telegram_id=user.id if user else None, now=utc_stamp(context.clock.now()),
    )
    await say(update, context, "sched.group.unregistered")


async def summary_command(update: Update, context: BotContext) -> None:
    """/tonghop: in a registered group its scope's summary; privately, an admin's (a
    scoped admin's covers their scope only)."""
    chat = update.effective_chat
    if chat is None:
        return
    if is_private(update):
        if not await context.is_admin():
            await deny(update, context, "admin_only", action="admin_command")
            return
        unit = await _default_scope(context)
        scope, lang = (unit.id if unit else None), await context.lang(update)
    else:
        group = await groups.get(context.db, chat.id)
        if group is None or not group.active:
            await say(update, context, "sched.group.not_registered")
            return
        scope, lang = group.unit_id, context.config.default_language
    now = context.clock.now().astimezone(context.config.tz)
    summary = await load_summary(context.db, scope, Quarter.of(now.date()), now)
    await send_summary(context.bot, Throttle(context.clock), chat.id, summary, lang)


def handlers() -> list[CommandHandler]:
    """The group commands: registering, unregistering, /tonghop."""
    return [
        CommandHandler("dangkynhom", register_group),
        CommandHandler("huydangky", unregister_group),
        CommandHandler(["tonghop", "summary"], summary_command),
    ]
