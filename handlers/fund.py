"""/tietkiem: the unit's treasurer records the savings fund (contributions, aid, corrections).

Contributions are entered in bulk: the treasurer picks a month and confirms «everyone has
paid except…», toggling the few who have not. The draft carries a token, so a confirm
pressed twice (or retried after a lost answer) records once (storage/fund.py). An aid is
proposed here and approved by an admin in /quy (handlers/fund_view.py); a mistake is put
right by a reversing entry, never by an edit.
"""

from __future__ import annotations

import secrets

from telegram import Update
from telegram.ext import CommandHandler, ConversationHandler, MessageHandler, filters

from bot.context import BotContext
from bot.screens import Option, Screen, paged
from bot.texts import t
from domain.clock import utc_stamp
from domain.money import AmountError, format_dong, month_label, parse_dong, previous_months
from handlers.buttons import answer_expired
from handlers.common import answer_button, deny, is_private, say, show
from handlers.conversation import persistent_conversation
from handlers.flow import button, callback_tail, callback_tail_int, read_text
from handlers.fund_corrections import (
    CB_REASON, CB_REVERSE, CB_REVERSE_ONE, CB_STOP, DRAFT_KEY, TK_REVERSE, TK_REVERSE_REASON, list_reversible,
    pick_reason, reverse_one, typed_reason as typed_reversal_reason,
)
from handlers.fund_notify import tell_approvers
from storage import fund as store
from storage import roster, scope
from storage.fund import NewAid
from storage.records import Cadre

END = ConversationHandler.END
TK_MENU, TK_EXCEPT, TK_AID_KIND, TK_AID_WHO, TK_AID_REASON, TK_AID_AMOUNT, TK_AID_CONFIRM = (
    "tk.menu", "tk.except", "tk.aid_kind", "tk.aid_who", "tk.aid_reason", "tk.aid_amount", "tk.aid_confirm",
)
MONTHS_OFFERED = 3
NAME_LIMIT = 120
REASON_LIMIT = 300

CB_MONTH = "tk:m:"  # + 'YYYY-MM'
CB_TOGGLE = "tk:x:"  # + cadre id: paid ⇄ not paid
CB_PAGE = "tk:p:"  # + page
CB_CONFIRM = "tk:ok"
CB_AID = "tk:aid"
CB_AID_KIND = "tk:ak:"  # + household | member
CB_AID_SEND = "tk:as"
BENEFICIARY_KINDS = ("household", "member")


async def _treasurer(update: Update, context: BotContext) -> Cadre | None:
    """The treasurer asking, with a unit; anyone else is refused and audit-logged."""
    cadre = await context.cadre()
    if cadre is None or not cadre.treasurer:
        await deny(update, context, "fund.treasurer_only", action="fund_treasurer")
        return None
    if cadre.unit_id is None:
        await say(update, context, "fund.no_unit")
        return None
    return cadre


def _today(context: BotContext) -> tuple[int, int]:
    now = context.clock.now().astimezone(context.config.tz)
    return now.year, now.month


# --- the menu -----------------------------------------------------------------------------------


async def start(update: Update, context: BotContext) -> object:
    if not is_private(update):
        await say(update, context, "fund.private_only")
        return END
    cadre = await _treasurer(update, context)
    if cadre is None or cadre.unit_id is None:
        return END
    context.user_data.pop(DRAFT_KEY, None)
    return await _menu(update, context, cadre.unit_id)


async def _menu(update: Update, context: BotContext, unit_id: int) -> object:
    lang = await context.lang(update)
    unit = await roster.get_unit(context.db, unit_id)
    rate = await store.rate(context.db, unit_id, context.config.fund_rate)
    text = t("fund.menu", lang, unit=unit.name if unit else "", balance=format_dong(await store.balance(context.db, unit_id)),
             rate=format_dong(rate))
    months = [Option(t("fund.btn.month", lang, month=month_label(m)), f"{CB_MONTH}{m}")
              for m in previous_months(*_today(context), MONTHS_OFFERED)]
    await show(update, context, Screen.of(
        text, months, Option(t("fund.btn.aid", lang), CB_AID), Option(t("fund.btn.reverse", lang), CB_REVERSE),
        Option(t("btn.cancel", lang), CB_STOP),
    ), edit=update.callback_query is not None)
    return TK_MENU


# --- contributions: «everyone has paid except…» ---------------------------------------------------


async def pick_month(update: Update, context: BotContext) -> object:
    await answer_button(update)
    month = callback_tail(update, CB_MONTH)
    if month not in previous_months(*_today(context), MONTHS_OFFERED):
        await answer_expired(update, context, answered=True)
        return END
    context.user_data[DRAFT_KEY] = {"token": secrets.token_hex(8), "month": month, "except": [], "page": 0}
    return await _exceptions(update, context)


async def _exceptions(update: Update, context: BotContext) -> object:
    cadre = await context.cadre()
    draft = context.user_data.get(DRAFT_KEY)
    if cadre is None or cadre.unit_id is None or not draft or "month" not in draft:
        await answer_expired(update, context, answered=True)
        return END
    lang = await context.lang(update)
    members = await scope.cadres_in_scope(context.db, cadre.unit_id)
    paid = await store.paid(context.db, cadre.unit_id, draft["month"])
    unpaid = [m for m in members if m.id not in paid]
    rate = await store.rate(context.db, cadre.unit_id, context.config.fund_rate)
    excepted = set(draft["except"])
    paying = [m for m in unpaid if m.id not in excepted]
    options = [
        Option(t("fund.btn.not_paid" if m.id in excepted else "fund.btn.paid", lang, name=m.full_name[:40]),
               f"{CB_TOGGLE}{m.id}")
        for m in unpaid
    ]
    page = int(draft.get("page", 0))
    rows = paged(options, page, previous=Option("◀", f"{CB_PAGE}{page - 1}"), following=Option("▶", f"{CB_PAGE}{page + 1}"))
    text = t("fund.except", lang, month=month_label(draft["month"]), done=len(paid), members=len(members),
             count=len(paying), rate=format_dong(rate), total=format_dong(rate * len(paying)))
    await show(update, context, Screen.of(
        text, *rows, Option(t("fund.btn.confirm", lang, count=len(paying)), CB_CONFIRM),
        Option(t("btn.cancel", lang), CB_STOP),
    ), edit=update.callback_query is not None)
    return TK_EXCEPT


async def toggle(update: Update, context: BotContext) -> object:
    await answer_button(update)
    draft = context.user_data.get(DRAFT_KEY) or {}
    cadre_id = callback_tail_int(update, CB_TOGGLE)
    if cadre_id is not None and "except" in draft:
        excepted = set(draft["except"])
        excepted ^= {cadre_id}
        draft["except"] = sorted(excepted)
    return await _exceptions(update, context)


async def turn_page(update: Update, context: BotContext) -> object:
    await answer_button(update)
    draft = context.user_data.get(DRAFT_KEY) or {}
    draft["page"] = max(callback_tail_int(update, CB_PAGE) or 0, 0)
    return await _exceptions(update, context)


async def confirm(update: Update, context: BotContext) -> object:
    """One transaction for the whole month; the token makes a second tap record nothing."""
    await answer_button(update)
    lang = await context.lang(update)
    draft = context.user_data.get(DRAFT_KEY) or {}
    cadre = await context.cadre()
    if cadre is None or cadre.unit_id is None or "month" not in draft:
        await answer_expired(update, context, edit=True, answered=True)
        return END
    members = await scope.cadres_in_scope(context.db, cadre.unit_id)
    excepted = set(draft["except"])
    rate = await store.rate(context.db, cadre.unit_id, context.config.fund_rate)
    user = update.effective_user
    recorded, first = await store.record_contributions(
        context.db, unit_id=cadre.unit_id, month=draft["month"], cadre_ids=[m.id for m in members if m.id not in excepted],
        amount=rate, token=draft["token"], by=cadre.id, telegram_id=user.id if user else None,
        now=utc_stamp(context.clock.now()),
    )
    context.user_data.pop(DRAFT_KEY, None)
    key = "fund.recorded" if first else "fund.recorded_already"
    await show(update, context, Screen(t(
        key, lang, month=month_label(draft["month"]), count=recorded, rate=format_dong(rate),
        total=format_dong(rate * recorded), balance=format_dong(await store.balance(context.db, cadre.unit_id)),
    )), edit=True)
    return END


# --- aid: proposed here, approved by an admin in /quy ---------------------------------------------


async def ask_aid_kind(update: Update, context: BotContext) -> object:
    await answer_button(update)
    lang = await context.lang(update)
    context.user_data[DRAFT_KEY] = {"token": secrets.token_hex(8)}
    options = [Option(t(f"fund.kind.{kind}", lang), f"{CB_AID_KIND}{kind}") for kind in BENEFICIARY_KINDS]
    await show(update, context, Screen.of(t("fund.ask_kind", lang), *options, Option(t("btn.cancel", lang), CB_STOP)),
               edit=True)
    return TK_AID_KIND


async def pick_aid_kind(update: Update, context: BotContext) -> object:
    await answer_button(update)
    kind = callback_tail(update, CB_AID_KIND)
    draft = context.user_data.get(DRAFT_KEY)
    if kind not in BENEFICIARY_KINDS or draft is None:
        await answer_expired(update, context, answered=True)
        return END
    draft["kind"] = kind
    await show(update, context, Screen(t("fund.ask_who", await context.lang(update))), edit=True)
    return TK_AID_WHO


async def typed_who(update: Update, context: BotContext) -> object:
    text = await read_text(update, context, NAME_LIMIT)
    if text is None:
        return TK_AID_WHO
    context.user_data.setdefault(DRAFT_KEY, {})["who"] = text
    await say(update, context, "fund.ask_reason")
    return TK_AID_REASON


async def typed_reason(update: Update, context: BotContext) -> object:
    text = await read_text(update, context, REASON_LIMIT)
    if text is None:
        return TK_AID_REASON
    context.user_data.setdefault(DRAFT_KEY, {})["reason"] = text
    await say(update, context, "fund.ask_amount")
    return TK_AID_AMOUNT


async def typed_amount(update: Update, context: BotContext) -> object:
    lang = await context.lang(update)
    message = update.effective_message
    try:
        amount = parse_dong(message.text or "" if message else "")
    except AmountError as error:
        await say(update, context, f"fund.amount.{error.reason}")
        return TK_AID_AMOUNT
    draft = context.user_data.get(DRAFT_KEY) or {}
    if not {"kind", "who", "reason"} <= draft.keys():
        await answer_expired(update, context, answered=True)
        return END
    draft["amount"] = amount
    text = t("fund.aid_review", lang, kind=t(f"fund.kind.{draft['kind']}", lang), who=draft["who"],
             reason=draft["reason"], amount=format_dong(amount))
    await show(update, context, Screen.of(text, Option(t("fund.btn.propose", lang), CB_AID_SEND),
                                          Option(t("btn.cancel", lang), CB_STOP)))
    return TK_AID_CONFIRM


async def send_aid(update: Update, context: BotContext) -> object:
    await answer_button(update)
    lang = await context.lang(update)
    draft = context.user_data.get(DRAFT_KEY) or {}
    cadre = await context.cadre()
    if cadre is None or cadre.unit_id is None or "amount" not in draft:
        await answer_expired(update, context, edit=True, answered=True)
        return END
    user = update.effective_user
    proposal_id, first = await store.propose_aid(
        context.db, NewAid(cadre.unit_id, draft["kind"], draft["who"], draft["reason"], int(draft["amount"]),
                           draft["token"]),
        by=cadre.id, telegram_id=user.id if user else None, now=utc_stamp(context.clock.now()),
    )
    context.user_data.pop(DRAFT_KEY, None)
    await show(update, context, Screen(t("fund.proposed", lang, number=proposal_id, amount=format_dong(int(draft["amount"])))),
               edit=True)
    if first:  # a second tap found the first proposal: the admins heard of it already
        await tell_approvers(context, proposal_id)
    return END


async def stop(update: Update, context: BotContext) -> object:
    await answer_button(update)
    context.user_data.pop(DRAFT_KEY, None)
    await show(update, context, Screen(t("fund.stopped", await context.lang(update))),
               edit=update.callback_query is not None)
    return END


async def use_buttons(update: Update, context: BotContext) -> None:
    await say(update, context, "fund.use_buttons")


def conversation() -> ConversationHandler:
    typed = filters.TEXT & ~filters.COMMAND
    hint = MessageHandler(~filters.COMMAND, use_buttons)
    return persistent_conversation(
        "fund",
        entry_points=[CommandHandler(["tietkiem", "savings"], start)],
        states={
            TK_MENU: [button(pick_month, CB_MONTH), button(ask_aid_kind, CB_AID, exact=True),
                      button(list_reversible, CB_REVERSE, exact=True), hint],
            TK_EXCEPT: [button(toggle, CB_TOGGLE), button(turn_page, CB_PAGE), button(confirm, CB_CONFIRM, exact=True),
                        hint],
            TK_AID_KIND: [button(pick_aid_kind, CB_AID_KIND), hint],
            TK_AID_WHO: [MessageHandler(typed, typed_who)],
            TK_AID_REASON: [MessageHandler(typed, typed_reason)],
            TK_AID_AMOUNT: [MessageHandler(typed, typed_amount)],
            TK_AID_CONFIRM: [button(send_aid, CB_AID_SEND, exact=True), hint],
            TK_REVERSE: [button(reverse_one, CB_REVERSE_ONE), hint],
            TK_REVERSE_REASON: [button(pick_reason, CB_REASON), MessageHandler(typed, typed_reversal_reason)],
        },
        fallbacks=[CommandHandler(["huy", "cancel"], stop), button(stop, CB_STOP, exact=True)],
        allow_reentry=True,
    )
