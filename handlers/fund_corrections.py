"""/tietkiem's corrections: a mistake is put right by a reversing entry, with a reason.

The treasurer picks the entry, then the reason: one of the usual ones by a button, or
typed. The reason is kept on the reversing entry (a chosen one as its code, shown in the
reader's language; a typed one as typed), so the ledger says why the money moved back.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import ConversationHandler

from bot.context import BotContext
from bot.screens import Option, Screen
from bot.texts import t
from domain.clock import utc_stamp
from domain.money import format_dong, month_label
from handlers.buttons import answer_expired
from handlers.common import answer_button, show
from handlers.flow import callback_tail, callback_tail_int, read_text
from storage import fund as store
from storage.fund import Outcome

END = ConversationHandler.END
TK_REVERSE, TK_REVERSE_REASON = "tk.reverse", "tk.reverse_reason"
DRAFT_KEY = "fund_draft"  # the conversation's one draft (handlers/fund.py)
REASON_LIMIT = 300

CB_REVERSE = "tk:rv"
CB_REVERSE_ONE = "tk:r1:"  # + entry id
CB_REASON = "tk:rr:"  # + a reason's code
CB_STOP = "tk:stop"

# The usual reasons, by the kind of entry reversed; their labels are fund.reason.<code>.
REASONS: dict[str, tuple[str, ...]] = {
    "contribution": ("not_paid", "wrong_person", "wrong_month", "twice"),
    "aid_approved": ("aid_returned", "aid_not_paid", "twice"),
}
ALL_REASONS = frozenset(code for codes in REASONS.values() for code in codes)


def reason_text(reason: str | None, lang: str) -> str:
    """A reversal's reason as the reader reads it: a chosen one translated, a typed one as typed."""
    if reason in ALL_REASONS:
        return t(f"fund.reason.{reason}", lang)
    return reason or ""


async def list_reversible(update: Update, context: BotContext) -> object:
    await answer_button(update)
    cadre = await context.cadre()
    if cadre is None or cadre.unit_id is None or not cadre.treasurer:
        return END
    lang = await context.lang(update)
    entries = await store.reversible(context.db, cadre.unit_id)
    options = [Option(_entry_label(entry, lang), f"{CB_REVERSE_ONE}{entry.id}") for entry in entries]
    key = "fund.reverse_pick" if entries else "fund.reverse_none"
    await show(update, context, Screen.of(t(key, lang), *options, Option(t("btn.cancel", lang), CB_STOP)), edit=True)
    return TK_REVERSE


def _entry_label(entry: store.Entry, lang: str) -> str:
    if entry.kind == "contribution":
        return t("fund.entry.contribution", lang, number=entry.id, name=(entry.cadre_name or "")[:30],
                 month=month_label(entry.month or ""), amount=format_dong(entry.amount))
    return t("fund.entry.aid", lang, number=entry.id, who=(entry.beneficiary or "")[:30], amount=format_dong(entry.amount))


async def reverse_one(update: Update, context: BotContext) -> object:
    """The entry picked: now why (nothing is written until the reason is given)."""
    await answer_button(update)
    lang = await context.lang(update)
    cadre = await context.cadre()
    entry_id = callback_tail_int(update, CB_REVERSE_ONE)
    entry = await store.entry(context.db, entry_id) if entry_id is not None else None
    if cadre is None or entry is None or entry.unit_id != cadre.unit_id or entry.kind not in REASONS:
        await answer_expired(update, context, answered=True)
        return END
    context.user_data[DRAFT_KEY] = {"reverse": entry.id}
    options = [Option(t(f"fund.reason.{code}", lang), f"{CB_REASON}{code}") for code in REASONS[entry.kind]]
    text = t("fund.reverse_why", lang, entry=_entry_label(entry, lang))
    await show(update, context, Screen.of(text, *options, Option(t("btn.cancel", lang), CB_STOP)), edit=True)
    return TK_REVERSE_REASON


async def pick_reason(update: Update, context: BotContext) -> object:
    await answer_button(update)
    code = callback_tail(update, CB_REASON)
    if code not in ALL_REASONS:
        await answer_expired(update, context, answered=True)
        return END
    return await _reverse(update, context, code)


async def typed_reason(update: Update, context: BotContext) -> object:
    text = await read_text(update, context, REASON_LIMIT)
    if text is None:
        return TK_REVERSE_REASON
    return await _reverse(update, context, text)


async def _reverse(update: Update, context: BotContext, reason: str) -> object:
    """The reversing entry, once: a second tap finds the entry reversed already."""
    lang = await context.lang(update)
    cadre = await context.cadre()
    draft = context.user_data.pop(DRAFT_KEY, None) or {}
    entry_id = draft.get("reverse")
    if cadre is None or cadre.unit_id is None or not cadre.treasurer or not isinstance(entry_id, int):
        await answer_expired(update, context, answered=True)
        return END
    user = update.effective_user
    outcome, balance = await store.reverse(
        context.db, entry_id, unit_id=cadre.unit_id, reason=reason, by=cadre.id,
        telegram_id=user.id if user else None, now=utc_stamp(context.clock.now()),
    )
    if outcome is Outcome.MISSING:
        await answer_expired(update, context, edit=update.callback_query is not None, answered=True)
        return END
    key = {Outcome.DONE: "fund.reversed", Outcome.ALREADY: "fund.reversed_already",
           Outcome.OVERDRAW: "fund.reverse_overdraw"}[outcome]
    text = t(key, lang, number=entry_id, balance=format_dong(balance), reason=reason_text(reason, lang))
    await show(update, context, Screen(text), edit=update.callback_query is not None)
    return END
