"""/quy: the savings fund's balance, this month's collection and recent aid; an admin's
approval of the aid a treasurer proposed; /mucquy: a unit's monthly rate.

Approving pays out only if the balance covers it, checked inside the transaction that
writes (storage/fund.py ``decide``), so two admins approving at once cannot overdraw.
An admin decides only for the funds inside their scope; the rate, which every cadre of a
unit pays, belongs to the top unit's admins. Every refusal is audit-logged.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import CommandHandler

from bot.context import BotContext
from bot.screens import Option, Screen
from bot.texts import t
from domain.clock import parse_stamp, utc_stamp
from domain.dates import format_date
from domain.money import AmountError, format_dong, month_key, month_label, parse_dong
from handlers.buttons import answer_expired
from handlers.common import answer_button, deny, may_change_org_settings, say, show
from handlers.flow import button, callback_tail_int
from handlers.fund_notify import CB_APPROVE, CB_REFUSE, tell_treasurer
from handlers.start import refuse_unknown
from storage import fund as store
from storage import roster, scope
from storage.fund import Outcome
from storage.records import Cadre

UNITS_SHOWN = 6


async def _visible_units(context: BotContext, cadre: Cadre | None) -> list[tuple[int, str, str]]:
    """The funds this person may read: an admin's within their scope, a treasurer's own,
    a cadre's the funds whose unit they belong to."""
    units = await store.treasurer_units(context.db)
    if await context.is_admin():
        admin_scope = await context.admin_scope()
        if admin_scope is None:
            return units
        within = await scope.units_within(context.db, admin_scope)
        return [u for u in units if u[0] in within]
    if cadre is None:
        return []
    if cadre.treasurer and cadre.unit_id is not None:
        return [u for u in units if u[0] == cadre.unit_id]
    return [u for u in units if await scope.cadre_in_scope(context.db, cadre.id, u[0])]


async def show_fund(update: Update, context: BotContext) -> None:
    cadre = await context.cadre()
    if cadre is None and not await context.is_admin():
        await refuse_unknown(update, context)
        return
    lang = await context.lang(update)
    units = await _visible_units(context, cadre)
    if not units:
        await say(update, context, "fund.none")
        return
    lines: list[str] = []
    for unit_id, _, name in units[:UNITS_SHOWN]:
        lines += [*await _unit_lines(context, unit_id, name, lang), ""]
    buttons: list[list[Option]] = []
    if await context.is_admin():
        proposals = await store.pending(context.db, {u[0] for u in units})
        if proposals:
            lines.append(t("fund.pending_title", lang))
        for p in proposals:
            lines.append(t("fund.pending_line", lang, number=p.id, unit=p.unit_name, kind=t(f"fund.kind.{p.beneficiary_kind}", lang),
                           who=p.beneficiary, reason=p.reason, amount=format_dong(p.amount)))
            buttons.append([Option(t("fund.btn.approve", lang, number=p.id), f"{CB_APPROVE}{p.id}"),
                            Option(t("fund.btn.refuse", lang, number=p.id), f"{CB_REFUSE}{p.id}")])
    await show(update, context, Screen.of("\n".join(lines).strip(), *buttons))


async def _unit_lines(context: BotContext, unit_id: int, name: str, lang: str) -> list[str]:
    now = context.clock.now().astimezone(context.config.tz)
    month = month_key(now.year, now.month)
    members = await scope.cadres_in_scope(context.db, unit_id)
    paid = await store.paid(context.db, unit_id, month)
    paid_here = len(paid & {m.id for m in members})
    pct = (100 * paid_here) // len(members) if members else 0
    rate = await store.rate(context.db, unit_id, context.config.fund_rate)
    lines = [
        t("fund.view_title", lang, unit=name, balance=format_dong(await store.balance(context.db, unit_id))),
        t("fund.view_rate", lang, month=month_label(month), paid=paid_here, members=len(members), pct=pct,
          rate=format_dong(rate)),
    ]
    aid = await store.recent_aid(context.db, unit_id)
    lines.append(t("fund.view_aid" if aid else "fund.view_no_aid", lang))
    for entry in aid:
        day = parse_stamp(entry.at).astimezone(context.config.tz).date()
        lines.append(t("fund.aid_line", lang, date=format_date(day), who=entry.beneficiary or "",
                       kind=t(f"fund.kind.{entry.beneficiary_kind or 'household'}", lang),
                       amount=format_dong(-entry.amount), reason=entry.reason or ""))
    return lines


# --- an admin decides an aid ----------------------------------------------------------------------


async def approve(update: Update, context: BotContext) -> None:
    await _decide(update, context, CB_APPROVE, approve=True)


async def refuse(update: Update, context: BotContext) -> None:
    await _decide(update, context, CB_REFUSE, approve=False)


async def _decide(update: Update, context: BotContext, prefix: str, *, approve: bool) -> None:
    lang = await context.lang(update)
    if not await context.is_admin():
        await deny(update, context, "admin_only", action="fund_decide")
        return
    proposal_id = callback_tail_int(update, prefix)
    proposal = await store.proposal(context.db, proposal_id or 0)
    if proposal is None or proposal_id is None:
        await answer_expired(update, context)
        return
    admin_scope = await context.admin_scope()
    if admin_scope is not None and proposal.unit_id not in await scope.units_within(context.db, admin_scope):
        await deny(update, context, "scope.fund_out_of_scope", action="fund_decide_out_of_scope")
        return
    cadre = await context.cadre()
    if cadre is not None and cadre.id == proposal.recorded_by:  # a treasurer who is an admin too
        await deny(update, context, "fund.own_proposal", action="fund_decide_own")
        return
    user = update.effective_user
    outcome, balance = await store.decide(
        context.db, proposal_id, approve=approve, by=cadre.id if cadre else None,
        telegram_id=user.id if user else None, now=utc_stamp(context.clock.now()),
    )
    if outcome is Outcome.MISSING:
        await answer_expired(update, context)
        return
    key = {Outcome.DONE: "fund.approved" if approve else "fund.refused", Outcome.ALREADY: "fund.decided_already",
           Outcome.OVERDRAW: "fund.overdraw"}[outcome]
    text = t(key, lang, number=proposal_id, amount=format_dong(proposal.requested or 0), balance=format_dong(balance))
    await answer_button(update, text[:200])
    await show(update, context, Screen(text))
    if outcome is Outcome.DONE:  # once: a second tap, or another admin, finds it decided
        await tell_treasurer(context, proposal, approved=approve, balance=balance)


# --- /mucquy [CODE] AMOUNT: a unit's monthly rate ---------------------------------------------------


async def set_rate(update: Update, context: BotContext) -> None:
    if not await may_change_org_settings(update, context):
        return
    args = list(context.args or [])
    if not args:
        await _show_rates(update, context)
        return
    codes = await roster.unit_ids_by_code(context.db)
    units = await store.treasurer_units(context.db)
    code = args[0].upper() if args[0].upper() in codes else None
    unit_id = codes[code] if code else (units[0][0] if len(units) == 1 else None)
    amount_text = " ".join(args[1:] if code else args)
    if unit_id is None:
        await say(update, context, "fund.rate_which_unit")
        return
    try:
        amount = parse_dong(amount_text)
    except AmountError as error:
        await say(update, context, f"fund.amount.{error.reason}")
        return
    cadre = await context.cadre()
    user = update.effective_user
    await store.set_rate(context.db, unit_id, amount, by=cadre.id if cadre else None,
                         telegram_id=user.id if user else None, now=utc_stamp(context.clock.now()))
    unit = await roster.get_unit(context.db, unit_id)
    await say(update, context, "fund.rate_set", unit=unit.name if unit else "", rate=format_dong(amount))


async def _show_rates(update: Update, context: BotContext) -> None:
    lang = await context.lang(update)
    lines = [t("fund.rates_title", lang, default=format_dong(context.config.fund_rate))]
    for unit_id, code, name in await store.treasurer_units(context.db):
        rate = await store.rate(context.db, unit_id, context.config.fund_rate)
        lines.append(t("fund.rate_line", lang, code=code, unit=name, rate=format_dong(rate)))
    await show(update, context, Screen("\n".join(lines)))


def handlers() -> list[Any]:
    return [
        CommandHandler(["quy", "fund"], show_fund),
        CommandHandler(["mucquy", "fundrate"], set_rate),
        button(approve, CB_APPROVE),
        button(refuse, CB_REFUSE),
    ]

