"""The savings fund's messages outside a conversation: an aid proposed reaches the admins
who may decide it, with the two choices; the decision reaches the treasurer.

Each goes out once: ``propose_aid`` says whether this tap wrote the proposal and
``decide`` whether this tap decided it (both inside their transaction, storage/fund.py),
and only that tap sends. Admins are reached on the messenger they used last
(scheduler/routes.py); one who cannot be reached still finds the proposal in /quy. The
treasurer's news is kept as a notice (handlers/notices.py): delivered now, or with their
next message. Logs carry ids, never names or amounts' beneficiaries.
"""

from __future__ import annotations

import logging

from telegram.error import BadRequest, Forbidden, TelegramError

from bot.context import BotContext
from bot.screens import Option, Screen, inline_markup
from bot.texts import pick_language, t
from domain.money import format_dong
from handlers.notices import notify
from scheduler.routes import send_to_cadre
from storage import fund as store
from storage import roster
from storage.accounts import TELEGRAM
from storage.fund import Entry

log = logging.getLogger(__name__)

CB_APPROVE = "fq:ok:"  # + proposal id
CB_REFUSE = "fq:no:"  # + proposal id


def decision_screen(proposal: Entry, unit_name: str, balance: int, lang: str) -> Screen:
    """What an admin is asked: the proposal, the fund's balance, approve or refuse."""
    text = t("fund.ask_admin", lang, number=proposal.id, unit=unit_name,
             kind=t(f"fund.kind.{proposal.beneficiary_kind or 'household'}", lang), who=proposal.beneficiary or "",
             reason=proposal.reason or "", amount=format_dong(proposal.requested or 0), balance=format_dong(balance))
    return Screen.of(text, [Option(t("fund.btn.approve", lang, number=proposal.id), f"{CB_APPROVE}{proposal.id}"),
                            Option(t("fund.btn.refuse", lang, number=proposal.id), f"{CB_REFUSE}{proposal.id}")])


async def tell_approvers(context: BotContext, proposal_id: int) -> int:
    """Sends the new proposal to every admin who may decide it but its author; how many
    were reached. BAOCAO_ADMINS not on the roster are reached on Telegram."""
    proposal = await store.proposal(context.db, proposal_id)
    if proposal is None:
        return 0
    unit = await roster.get_unit(context.db, proposal.unit_id)
    balance = await store.balance(context.db, proposal.unit_id)
    default = context.config.default_language
    author = await roster.get_cadre(context.db, proposal.recorded_by) if proposal.recorded_by else None
    reached, covered = 0, {author.telegram_id if author else None}
    for admin in await store.approvers(context.db, proposal.unit_id):
        covered.add(admin.telegram_id)
        if admin.id == proposal.recorded_by:
            continue
        screen = decision_screen(proposal, unit.name if unit else "", balance, pick_language(admin.language, None, default))
        reached += await _send_to_cadre(context, admin.id, screen)
    telegram = context.bot_data.channels.bot(TELEGRAM)
    for user_id in sorted(context.config.admin_ids - covered):
        screen = decision_screen(proposal, unit.name if unit else "", balance, default)
        reached += await _send(telegram.send_message(user_id, screen.text, reply_markup=inline_markup(screen))
                               if telegram else None)
    log.info("fund proposal %s sent to %s admin(s)", proposal_id, reached)
    return reached


async def _send_to_cadre(context: BotContext, cadre_id: int, screen: Screen) -> int:
    return await _send(send_to_cadre(
        context.db, context.bot_data.channels, cadre_id,
        lambda bot, chat_id: bot.send_message(chat_id, screen.text, reply_markup=inline_markup(screen)),
    ))


async def _send(sending: object) -> int:
    """1 when the message went out; an admin who blocked the bot is no failure of the proposal."""
    if sending is None:
        return 0
    try:
        sent = await sending  # type: ignore[misc]
    except (Forbidden, BadRequest) as error:
        log.info("fund proposal not delivered: %s", error)
        return 0
    except TelegramError as error:
        log.warning("fund proposal not delivered: %s", error)
        return 0
    return int(sent is not None)


async def tell_treasurer(context: BotContext, proposal: Entry, *, approved: bool, balance: int) -> None:
    """The decision, to the treasurer who proposed: now, or with their next message."""
    if proposal.recorded_by is None:
        return
    await notify(context, proposal.recorded_by, "fund.told_approved" if approved else "fund.told_refused",
                 number=proposal.id, who=proposal.beneficiary or "", amount=format_dong(proposal.requested or 0),
                 balance=format_dong(balance))
