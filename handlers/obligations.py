"""Admin tools for the quarterly obligation: excusals, local days off, the transfer rule.

/mienbaocao excuses a cadre (sick leave, a course, a transfer) for a cell or all their
cells until a day: the cadre is told, reminders stop, summaries count it apart.
/ngaynghi adds the committee's own days off to the public holidays. /quytac chooses
whether a cadre transferred mid-quarter still owes that quarter's visit.
"""

from __future__ import annotations

from datetime import date

from telegram import Update
from telegram.ext import CommandHandler, ConversationHandler, MessageHandler, filters

from domain.clock import utc_stamp
from bot.context import BotContext
from domain.dates import DateError, format_date, parse_date
from domain.ids import parse_id
from domain.quarters import Quarter
from bot.screens import Option, Screen
from domain.textinput import matches
from bot.texts import t
from domain.workdays import WorkCalendar
from handlers import notices
from handlers.common import answer_button, deny, may_change_org_settings, record_denial, show
from handlers.conversation import persistent_conversation
from handlers.flow import answer_expired, button, callback_tail, callback_tail_int, read_text
from storage import obligations, places, roster, scope
from storage.obligations import TransferRule

END = ConversationHandler.END
EX_CADRE, EX_CELL, EX_UNTIL, EX_UNTIL_TYPED, EX_REASON, EX_CONFIRM = (
    "excuse.cadre", "excuse.cell", "excuse.until", "excuse.until_typed", "excuse.reason", "excuse.confirm",
)
DRAFT_KEY = "excuse_draft"
REASON_LIMIT = 200

CB_CADRE = "ex:c:"  # + cadre id
CB_CELL = "ex:l:"  # + cell id, or "all"
CB_UNTIL = "ex:u:"  # + ISO date
CB_TYPE_UNTIL = "ex:ut"
CB_CONFIRM = "ex:ok"
CB_STOP = "ex:x"
CB_REVOKE = "ex:rv:"  # + excusal id
CB_RULE = "rule:"  # + TransferRule value
ALL_CELLS = "all"


# --- /mienbaocao ----------------------------------------------------------------------------


async def start_excuse(update: Update, context: BotContext) -> object:
    if not await context.is_admin():
        await deny(update, context, "admin_only", action="admin_command")
        return END
    lang = await context.lang(update)
    context.user_data[DRAFT_KEY] = {}
    current = await _current_excusals(context, lang)
    await show(update, context, current)
    return EX_CADRE


async def _current_excusals(context: BotContext, lang: str) -> Screen:
    today = context.clock.now().date()
    lines, buttons = [], []
    for excusal in await obligations.active_excusals(context.db, today):
        if not await _may_excuse(context, excusal.cadre_id, excusal.cell_id):
            continue
        cadre = await roster.get_cadre(context.db, excusal.cadre_id)
        lines.append(
            t("ex.current_line", lang, number=excusal.id, cadre=cadre.full_name if cadre else "?",
              cell=await _cell_name(context, excusal.cell_id, lang), until=format_date(excusal.ends_on),
              reason=excusal.reason)
        )
        buttons.append(Option(t("ex.btn.revoke", lang, number=excusal.id), f"{CB_REVOKE}{excusal.id}"))
    current = t("ex.current", lang, items="\n".join(lines)) if lines else ""
    return Screen.of(t("ex.start", lang, current=current), *buttons[:6])


async def _cell_name(context: BotContext, cell_id: int | None, lang: str) -> str:
    if cell_id is None:
        return t("ex.all_cells", lang)
    place = await places.cell_place(context.db, cell_id)
    return place.label if place else "?"


async def search_cadre(update: Update, context: BotContext) -> object:
    lang = await context.lang(update)
    message = update.effective_message
    query = (message.text or "")[:60] if message else ""
    pool = await scope.cadres_in_scope(context.db, await context.admin_scope())
    found = [c for c in pool if matches(query, c.full_name, c.code)]
    if not found:
        await show(update, context, Screen(t("ex.no_match", lang, query=query)))
        return EX_CADRE
    options = [Option(c.full_name, f"{CB_CADRE}{c.id}") for c in found[:8]]
    await show(update, context, Screen.of(t("ex.pick_cadre", lang), *options))
    return EX_CADRE


async def pick_cadre(update: Update, context: BotContext) -> object:
    await answer_button(update)
    lang = await context.lang(update)
    cadre_id = callback_tail_int(update, CB_CADRE)
    cadre = await roster.get_cadre(context.db, cadre_id or 0)
    if cadre is None or not await scope.cadre_in_scope(context.db, cadre.id, await context.admin_scope()):
        await deny(update, context, "ex.no_match", action="excuse_out_of_scope", query=str(cadre_id))
        return END
    context.user_data[DRAFT_KEY] = {"cadre_id": cadre.id}
    cell_ids, all_in_scope = await _cells_in_scope(context, cadre.id)
    found = await places.cell_places(context.db, cell_ids)
    options = [Option(found[c].label, f"{CB_CELL}{c}") for c in cell_ids if c in found]
    if all_in_scope:  # "all their cells" must not reach a cell outside the admin's scope
        options.insert(0, Option(t("ex.btn.all_cells", lang), f"{CB_CELL}{ALL_CELLS}"))
    screen = Screen.of(
        t("ex.pick_cells", lang, cadre=cadre.full_name),
        *options[:7],
        Option(t("btn.cancel", lang), CB_STOP),
    )
    await show(update, context, screen, edit=True)
    return EX_CELL


async def pick_cell(update: Update, context: BotContext) -> object:
    lang = await context.lang(update)
    tail = callback_tail(update, CB_CELL)
    cell_id = parse_id(tail)
    if tail != ALL_CELLS and cell_id is None:
        await answer_expired(update, context)
        return END
    cadre_id = context.user_data.get(DRAFT_KEY, {}).get("cadre_id", 0)
    if not await _may_excuse(context, cadre_id, cell_id):  # a forged or an old button
        await deny(update, context, "scope.cell_out_of_scope", action="cell_out_of_scope")
        return END
    await answer_button(update)
    context.user_data.setdefault(DRAFT_KEY, {})["cell_id"] = cell_id
    quarter = Quarter.of(context.clock.now().date())
    ends = [quarter.last_day, quarter.next().last_day]
    labels = [quarter.label(lang), quarter.next().label(lang)]
    options = [
        Option(t("ex.btn.quarter_end", lang, quarter=label, day=format_date(day)), f"{CB_UNTIL}{day.isoformat()}")
        for label, day in zip(labels, ends, strict=True)
    ]
    screen = Screen.of(
        t("ex.pick_until", lang), *options, Option(t("ex.btn.type_date", lang), CB_TYPE_UNTIL),
        Option(t("btn.cancel", lang), CB_STOP),
    )
    await show(update, context, screen, edit=True)
    return EX_UNTIL


async def _cells_in_scope(context: BotContext, cadre_id: int) -> tuple[list[int], bool]:
    """The cadre's current cells this admin may excuse, and whether that is all of them."""
    admin_scope = await context.admin_scope()
    today = context.clock.now().date()
    cell_ids = list(dict.fromkeys(a.cell_id for a in await roster.assignments_of_cadre(context.db, cadre_id, today)))
    allowed = [c for c in cell_ids if await scope.cell_in_scope(context.db, c, admin_scope)]
    return allowed, len(allowed) == len(cell_ids)


async def _may_excuse(context: BotContext, cadre_id: int, cell_id: int | None) -> bool:
    """A cadre in scope, for one of their cells in scope (None: all of them, all in scope)."""
    if not await scope.cadre_in_scope(context.db, cadre_id, await context.admin_scope()):
        return False
    allowed, all_in_scope = await _cells_in_scope(context, cadre_id)
    return all_in_scope if cell_id is None else cell_id in allowed


async def ask_until(update: Update, context: BotContext) -> object:
    await answer_button(update)
    await show(update, context, Screen(t("ex.type_date", await context.lang(update))), edit=True)
    return EX_UNTIL_TYPED


async def pick_until(update: Update, context: BotContext) -> object:
    await answer_button(update)
    try:
        until = date.fromisoformat(callback_tail(update, CB_UNTIL))
    except ValueError:
        return EX_UNTIL
    return await _set_until(update, context, until)


async def typed_until(update: Update, context: BotContext) -> object:
    lang = await context.lang(update)
    message = update.effective_message
    text = (message.text or "") if message else ""
    today = context.clock.now().date()
    try:
        until = parse_date(text, date(today.year + 1, 12, 31))
    except DateError as error:
        await show(update, context, Screen(t(error.reason, lang, text=text[:40])))
        return EX_UNTIL_TYPED
    return await _set_until(update, context, until)


async def _set_until(update: Update, context: BotContext, until: date) -> object:
    lang = await context.lang(update)
    if until < context.clock.now().date():
        await show(update, context, Screen(t("ex.date_past", lang, day=format_date(until))))
        return EX_UNTIL_TYPED
    context.user_data.setdefault(DRAFT_KEY, {})["until"] = until.isoformat()
    await show(update, context, Screen(t("ex.type_reason", lang)), edit=True)
    return EX_REASON


async def typed_reason(update: Update, context: BotContext) -> object:
    reason = await read_text(update, context, REASON_LIMIT)
    if reason is None:
        return EX_REASON
    draft = context.user_data.setdefault(DRAFT_KEY, {})
    draft["reason"] = reason
    lang = await context.lang(update)
    cadre = await roster.get_cadre(context.db, draft.get("cadre_id", 0))
    text = t(
        "ex.confirm", lang, cadre=cadre.full_name if cadre else "?",
        cell=await _cell_name(context, draft.get("cell_id"), lang),
        start=format_date(context.clock.now().date()), until=format_date(date.fromisoformat(draft["until"])),
        reason=reason,
    )
    await show(update, context, Screen.of(text, Option(t("ex.btn.confirm", lang), CB_CONFIRM), Option(t("btn.cancel", lang), CB_STOP)))
    return EX_CONFIRM


async def confirm(update: Update, context: BotContext) -> object:
    lang = await context.lang(update)
    draft = context.user_data.pop(DRAFT_KEY, None) or {}
    me = await context.cadre()
    cadre = await roster.get_cadre(context.db, draft.get("cadre_id", 0))
    if cadre is None or "until" not in draft or "reason" not in draft:
        await answer_expired(update, context, edit=True)
        return END
    await answer_button(update)
    if not await _may_excuse(context, cadre.id, draft.get("cell_id")):  # the roster changed meanwhile
        await record_denial(update, context, "cell_out_of_scope")  # the button is answered already
        await show(update, context, Screen(t("scope.cell_out_of_scope", lang)), edit=True)
        return END
    until = date.fromisoformat(draft["until"])
    await obligations.excuse(
        context.db, cadre_id=cadre.id, cell_id=draft.get("cell_id"), starts_on=context.clock.now().date(),
        ends_on=until, reason=draft["reason"], by=me.id if me else None,
        telegram_id=update.effective_user.id if update.effective_user else None,
        scope_unit_id=await context.admin_scope(), now=utc_stamp(context.clock.now()),
    )
    cell = await _cell_name(context, draft.get("cell_id"), context.config.default_language)
    await notices.notify(context, cadre.id, "ex.notice", cell=cell, until=format_date(until), reason=draft["reason"])
    await show(update, context, Screen(t("ex.done", lang, cadre=cadre.full_name, until=format_date(until))), edit=True)
    return END


async def revoke(update: Update, context: BotContext) -> object:
    lang = await context.lang(update)
    excusal_id = callback_tail_int(update, CB_REVOKE)
    excusal = await obligations.get_excusal(context.db, excusal_id or 0)
    admin_scope = await context.admin_scope()
    if excusal is None or not await _may_excuse(context, excusal.cadre_id, excusal.cell_id):
        await answer_expired(update, context, denied="excuse_out_of_scope")
        return END
    await answer_button(update)
    me = await context.cadre()
    await obligations.revoke(
        context.db, excusal.id, by=me.id if me else None,
        telegram_id=update.effective_user.id if update.effective_user else None,
        scope_unit_id=admin_scope, now=utc_stamp(context.clock.now()),
    )
    await show(update, context, Screen(t("ex.revoked", lang, number=excusal.id)))
    return END


async def stop(update: Update, context: BotContext) -> object:
    await answer_button(update)
    context.user_data.pop(DRAFT_KEY, None)
    await show(update, context, Screen(t("ex.stopped", await context.lang(update))), edit=True)
    return END


async def use_buttons(update: Update, context: BotContext) -> None:
    await show(update, context, Screen(t("ex.use_buttons", await context.lang(update))))


def excuse_conversation() -> object:
    typed = filters.TEXT & ~filters.COMMAND
    hint = MessageHandler(~filters.COMMAND, use_buttons)
    return persistent_conversation(
        "excuse",
        entry_points=[CommandHandler(["mienbaocao", "excuse"], start_excuse)],
        states={
            EX_CADRE: [MessageHandler(typed, search_cadre), button(pick_cadre, CB_CADRE), button(revoke, CB_REVOKE)],
            EX_CELL: [button(pick_cell, CB_CELL), hint],
            EX_UNTIL: [button(pick_until, CB_UNTIL), button(ask_until, CB_TYPE_UNTIL, exact=True), hint],
            EX_UNTIL_TYPED: [MessageHandler(typed, typed_until)],
            EX_REASON: [MessageHandler(typed, typed_reason)],
            EX_CONFIRM: [button(confirm, CB_CONFIRM, exact=True), hint],
        },
        fallbacks=[CommandHandler(["huy", "cancel"], stop), button(stop, CB_STOP, exact=True)],
        allow_reentry=True,
    )


# --- /ngaynghi ------------------------------------------------------------------------------


async def days_off(update: Update, context: BotContext) -> None:
    """/ngaynghi lists the days off ahead; '/ngaynghi dd/mm/yyyy reason' adds one; 'xoa' removes.

    Days off apply to everyone (no reminders then): the top unit's admins set them.
    """
    if not await may_change_org_settings(update, context):
        return
    lang = await context.lang(update)
    args = list(context.args or [])
    today = context.clock.now().date()
    me, user = await context.cadre(), update.effective_user
    if args:
        removing = args[0].lower() in ("xoa", "xóa", "remove")
        text = args[1] if removing and len(args) > 1 else args[0]
        try:
            day = parse_date(text, date(today.year + 1, 12, 31))
        except DateError as error:
            await show(update, context, Screen(t(error.reason, lang, text=text[:40])))
            return
        now = utc_stamp(context.clock.now())
        if removing:
            removed = await obligations.remove_day_off(
                context.db, day, by=me.id if me else None, now=now, telegram_id=user.id if user else None
            )
            key = "off.removed" if removed else "off.not_found"
        else:
            reason = " ".join(args[1:])[:100]
            added = await obligations.add_day_off(
                context.db, day, reason, by=me.id if me else None, now=now, telegram_id=user.id if user else None
            )
            key = "off.added" if added else "off.exists"
        await show(update, context, Screen(t(key, lang, day=format_date(day))))
    await show(update, context, Screen(await _days_off_text(context, today, lang)))


async def _days_off_text(context: BotContext, today: date, lang: str) -> str:
    local = await obligations.local_days_off(context.db)
    calendar = WorkCalendar.with_days_off(local)
    quarter = Quarter.of(today)
    lines = []
    day = today
    while day <= quarter.last_day:
        if calendar.is_holiday(day):
            kind = t("off.local", lang) if day in calendar.local_days_off else t("off.public", lang)
            lines.append(f"• {format_date(day)} — {kind}")
        day = date.fromordinal(day.toordinal() + 1)
    return t("off.list", lang, quarter=quarter.label(lang), items="\n".join(lines) or t("off.none", lang))


# --- /quytac --------------------------------------------------------------------------------


async def transfer_rule(update: Update, context: BotContext) -> None:
    if not await may_change_org_settings(update, context):
        return
    lang = await context.lang(update)
    current = await obligations.transfer_rule(context.db)
    await show(update, context, _rule_screen(current, lang))


def _rule_screen(current: TransferRule, lang: str) -> Screen:
    options = [
        Option(("● " if rule is current else "○ ") + t(f"rule.{rule.value}", lang), f"{CB_RULE}{rule.value}")
        for rule in TransferRule
    ]
    return Screen.of(t("rule.show", lang, current=t(f"rule.{current.value}", lang)), *options)


async def choose_rule(update: Update, context: BotContext) -> None:
    if not await may_change_org_settings(update, context):  # the rule applies to everyone
        return
    await answer_button(update)
    lang = await context.lang(update)
    try:
        rule = TransferRule(callback_tail(update, CB_RULE))
    except ValueError:
        return
    me = await context.cadre()
    await obligations.set_transfer_rule(
        context.db, rule, by=me.id if me else None,
        telegram_id=update.effective_user.id if update.effective_user else None, now=utc_stamp(context.clock.now()),
    )
    await show(update, context, _rule_screen(rule, lang), edit=True)


def handlers() -> list:
    return [
        excuse_conversation(),
        CommandHandler(["ngaynghi", "daysoff"], days_off),
        CommandHandler(["quytac", "transferrule"], transfer_rule),
        button(choose_rule, CB_RULE),
    ]
