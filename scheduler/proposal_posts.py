"""Model proposals on the messengers: posted to the Standing Committee like escalations,
every copy updated with the decision, and the decision announced to the model's owner.

Here, below handlers/, because both the handlers (right after a proposal is filed or
decided) and the scheduler's sweep (what is still unposted: a post that failed, a
proposal filed by another flow) post them, through the bots registry of
scheduler/routes.py. Posting is once per chat (``model_proposal_posts``: claimed before
the send, so both at once post one copy; a failed chat is retried a few times); the
announcement goes on each person's last-used messenger.
"""

from __future__ import annotations

import logging
from datetime import tzinfo

from telegram import Bot
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.screens import Option, Screen, inline_markup
from bot.texts import pick_language, t
from domain.callbacks import CB_PROPOSAL_APPROVE, CB_PROPOSAL_BACK, CB_PROPOSAL_FORM, CB_PROPOSAL_REJECT
from domain.clock import parse_stamp
from domain.dates import format_date
from scheduler.routes import BotRegistry, send_to_cadre
from storage import escalations, proposals, roster
from storage import proposal_posts as post_rows
from storage.db import Executor
from storage.proposals import APPROVED, COMMEND, FORMS, PROPOSED, Proposal

log = logging.getLogger(__name__)


def _day(stamp: str | None, tz: tzinfo) -> str:
    return format_date(parse_stamp(stamp).astimezone(tz).date()) if stamp else ""


def form_label(proposal: Proposal, lang: str) -> str:
    """«Bằng khen», or the typed form for 'other'."""
    if proposal.decision_form and proposal.decision_form != "other":
        return t(f"pr.form.{proposal.decision_form}", lang)
    return proposal.decision or t("pr.form.other", lang)


def _suffix(proposal: Proposal, lang: str) -> str:
    """The decision's free text after the form (not repeated when it is the form)."""
    if not proposal.decision or (proposal.decision_form == "other" and proposal.status == APPROVED):
        return ""
    return t("pr.text_suffix", lang, text=proposal.decision)


def _state(proposal: Proposal, lang: str, tz: tzinfo, decider: str) -> str:
    if proposal.status == PROPOSED:
        return ""
    at = _day(proposal.decided_at, tz)
    if proposal.status == APPROVED and proposal.kind == COMMEND:
        return t("pr.state.approved_commend", lang, at=at, by=decider, form=form_label(proposal, lang),
                 text=_suffix(proposal, lang))
    key = "pr.state.approved_replicate" if proposal.status == APPROVED else "pr.state.rejected"
    return t(key, lang, at=at, by=decider, text=_suffix(proposal, lang))


def post_screen(proposal: Proposal, lang: str, tz: tzinfo, *, decider: str = "", choosing_form: bool = False) -> Screen:
    """The proposal as posted: with approve / reject while it waits, the forms of
    commendation after «Khen thưởng», and the decision (no buttons) once decided."""
    source = t("pr.source", lang, number=proposal.source_update_id) if proposal.source_update_id else ""
    text = t(
        f"pr.post.{proposal.kind}", lang, number=proposal.id, model=proposal.model_name, code=proposal.model_code,
        target=proposal.target_name or "", proposer=proposal.proposer_name or t("pr.someone", lang),
        day=_day(proposal.proposed_at, tz), source=source, detail=proposal.detail or t("pr.no_detail", lang),
        state=_state(proposal, lang, tz, decider),
    )
    if proposal.status != PROPOSED:
        return Screen(text)
    if choosing_form:
        forms = [Option(t(f"pr.form.{form}", lang), f"{CB_PROPOSAL_FORM}{proposal.id}:{form}") for form in FORMS[:3]]
        return Screen.of(text + t("pr.choose_form", lang), forms, Option(t("pr.btn.back", lang), f"{CB_PROPOSAL_BACK}{proposal.id}"))
    approve = "pr.btn.commend" if proposal.kind == COMMEND else "pr.btn.replicate"
    return Screen.of(text, [
        Option(t(approve, lang), f"{CB_PROPOSAL_APPROVE}{proposal.id}"),
        Option(t("pr.btn.reject", lang), f"{CB_PROPOSAL_REJECT}{proposal.id}"),
    ])


async def post_unposted(db: Executor, bots: BotRegistry, *, admin_ids: frozenset[int], lang: str, tz: tzinfo,
                        now_stamp: str) -> int:
    """Posts every waiting proposal to each of the Standing Committee's groups (or, without
    one, each admin) that lacks it, once per chat; returns how many posts were made.

    Each (proposal, chat) is claimed before sending, so the handler and the sweep running
    at once post it once; a failed send releases the claim and counts the attempt, so the
    next sweep retries that chat (``post_rows.MAX_POST_FAILURES`` times at most). A chat
    this process cannot reach is left to the process that can."""
    made = 0
    for chat_id in await escalations.destinations(db, admin_ids):  # the same place escalations go
        bot = bots.bot_for_chat(chat_id)
        if bot is None:
            continue
        for proposal in await proposals.unposted_in(db, chat_id):
            made += await _post(db, bot, proposal, chat_id, lang=lang, tz=tz, now_stamp=now_stamp)
    return made


async def _post(db: Executor, bot: Bot, proposal: Proposal, chat_id: int, *, lang: str, tz: tzinfo,
                now_stamp: str) -> int:
    """Claim, send, record: 1 when this call posted it, 0 otherwise."""
    if not await post_rows.claim_post(db, proposal.id, chat_id, now_stamp):
        return 0
    screen = post_screen(proposal, lang, tz)
    try:
        message = await bot.send_message(chat_id, screen.text, reply_markup=inline_markup(screen))
    except TelegramError as error:
        log.warning("proposal %s not posted to a chat: %s", proposal.id, error)
        await post_rows.release_post(db, proposal.id, chat_id)
        return 0
    except Exception:  # not a messenger's answer: free the claim, let the caller see it
        await post_rows.release_post(db, proposal.id, chat_id)
        raise
    await post_rows.record_post(db, proposal.id, chat_id, message.message_id, now_stamp)
    return 1


async def refresh_posts(db: Executor, bots: BotRegistry, proposal: Proposal, *, lang: str, tz: tzinfo,
                        decider: str) -> None:
    """Shows the decision on every posted copy (its buttons go)."""
    screen = post_screen(proposal, lang, tz, decider=decider)
    for chat_id, message_id in await post_rows.posts(db, proposal.id):
        bot = bots.bot_for_chat(chat_id)
        if bot is None:
            continue
        try:
            await bot.edit_message_text(screen.text, chat_id=chat_id, message_id=message_id,
                                        reply_markup=inline_markup(screen))
        except TelegramError as error:  # "not modified", a deleted message, a blocked chat
            log.info("proposal post not updated: %s", error)


async def announce(db: Executor, bots: BotRegistry, proposal: Proposal, *, default_lang: str,
                   skip: int | None = None) -> int:
    """Tells the model's owner (storage/proposals.py ``owner_cadres``) the decision, each
    in their language on the messenger they used last; ``skip`` (the decider) is not told
    again. Returns how many were reached."""
    reached = 0
    for cadre_id in await proposals.owner_cadres(db, proposal):
        if cadre_id == skip:
            continue
        cadre = await roster.get_cadre(db, cadre_id)
        lang = pick_language(cadre.language if cadre else None, None, default_lang)
        text = t(
            f"pr.to_owner.{proposal.status}_{proposal.kind}", lang, number=proposal.id, model=proposal.model_name,
            target=proposal.target_name or "", form=form_label(proposal, lang) if proposal.status == APPROVED else "",
            text=_suffix(proposal, lang),
        )
        try:
            sent = await send_to_cadre(db, bots, cadre_id, lambda bot, chat_id: bot.send_message(chat_id, text))
        except (Forbidden, BadRequest) as error:
            log.info("decision of proposal %s not delivered to a cadre: %s", proposal.id, error)
            continue
        reached += sent is not None
    return reached

